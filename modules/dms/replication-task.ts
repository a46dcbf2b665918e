// One DMS replication task: typed table mappings, the complete settings document, and a run state
// Terraform leaves alone unless asked (`start` off: a task is started, resumed or reloaded with the
// DMS commands in docs/dms.md, since Terraform does not own whether a task is running).
import { DmsReplicationTask } from "@cdktf/provider-aws/lib/dms-replication-task";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { formatMappingProblem, TableMappingsDocument, validateTableMappings } from "./table-mappings.js";
import { buildTaskSettings, TaskSettingsOptions } from "./task-settings.js";
import { arnField } from "../core/arn-field.js";
import { refuseProblems } from "../core/construct-error.js";

export const MIGRATION_TYPES = ["full-load", "cdc", "full-load-and-cdc"] as const;
export type MigrationType = (typeof MIGRATION_TYPES)[number];

/** Whether a task of this type replicates changes (every type but a plain full load). */
export function includesCdc(type: MigrationType): boolean {
  return type !== "full-load";
}

export interface ReplicationTaskProps {
  /** DMS task identifier. */
  readonly taskId: string;
  readonly migrationType: MigrationType;
  readonly replicationInstanceArn: string;
  readonly sourceEndpointArn: string;
  readonly targetEndpointArn: string;
  /** The rules document (from `buildTableMappings` or a validated file). */
  readonly tableMappings: TableMappingsDocument;
  /** @default DMS's defaults with validation and logging on, limited LOB mode (32 KB) */
  readonly settings?: TaskSettingsOptions;
  /**
   * Where CDC starts (migration type `cdc` only): an RFC 3339 time or Unix seconds.
   * @default when the task starts
   */
  readonly cdcStartTime?: string;
  /**
   * Where CDC starts (migration type `cdc` only): a native position, e.g. a PostgreSQL LSN.
   * @default when the task starts
   */
  readonly cdcStartPosition?: string;
  /**
   * Start the task when it is created (and resume it after changes). Off: the task waits for
   * `aws dms start-replication-task`.
   * @default false
   */
  readonly start?: boolean;
  /**
   * Ignore drift in the settings document (lifecycle ignore_changes). Only for a DMS engine that
   * rewrites a setting this project sends, which shows as a change on every plan; settings changes
   * in config are then ignored too.
   * @default false
   */
  readonly ignoreSettingsChanges?: boolean;
  /**
   * What the task waits for, e.g. the dms-cloudwatch-logs-role's policy attachment.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class ReplicationTask extends Construct {
  readonly task: DmsReplicationTask;
  readonly taskId: string;
  readonly migrationType: MigrationType;

  constructor(scope: Construct, id: string, props: ReplicationTaskProps) {
    super(scope, id);
    const problems = [
      ...validateTableMappings(props.tableMappings).map((problem) => `table mappings ${formatMappingProblem(problem)}`),
      ...cdcStartProblems(props),
    ];
    refuseProblems(this, problems);
    this.taskId = props.taskId;
    this.migrationType = props.migrationType;

    this.task = new DmsReplicationTask(this, "task", {
      replicationTaskId: props.taskId,
      migrationType: props.migrationType,
      replicationInstanceArn: props.replicationInstanceArn,
      sourceEndpointArn: props.sourceEndpointArn,
      targetEndpointArn: props.targetEndpointArn,
      tableMappings: JSON.stringify(props.tableMappings),
      replicationTaskSettings: JSON.stringify(buildTaskSettings(props.settings)),
      cdcStartTime: props.cdcStartTime,
      cdcStartPosition: props.cdcStartPosition,
      startReplicationTask: props.start ?? false,
      tags: { Name: props.taskId },
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      lifecycle: props.ignoreSettingsChanges ? { ignoreChanges: ["replication_task_settings"] } : undefined,
    });
  }

  get arn(): string {
    return this.task.replicationTaskArn;
  }

  /** The task's resource ID (the ARN's last part): what CloudWatch's ReplicationTaskIdentifier dimension holds. */
  get resourceId(): string {
    return arnField(this.arn, "resourceId");
  }

  get includesCdc(): boolean {
    return includesCdc(this.migrationType);
  }
}

function cdcStartProblems(props: ReplicationTaskProps): string[] {
  const problems: string[] = [];
  if (props.cdcStartTime !== undefined && props.cdcStartPosition !== undefined) problems.push("give cdcStartTime or cdcStartPosition, not both");
  if ((props.cdcStartTime !== undefined || props.cdcStartPosition !== undefined) && props.migrationType !== "cdc") {
    problems.push(`a CDC start point applies to migration type "cdc" only, not "${props.migrationType}"`);
  }
  if (props.cdcStartTime !== undefined && !isCdcStartTime(props.cdcStartTime)) {
    problems.push(`cdcStartTime ${JSON.stringify(props.cdcStartTime)} is neither an RFC 3339 time nor Unix seconds`);
  }
  return problems;
}

/** RFC 3339 with a zone (`2026-05-01T00:00:00Z`) or whole Unix seconds, as the provider accepts. */
export function isCdcStartTime(value: string): boolean {
  if (/^\d{1,12}$/.test(value)) return Number(value) > 0;
  const match = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!match) return false;
  // Date.parse rolls 2026-02-30 over into March; a calendar date must survive the round trip.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12;
}
