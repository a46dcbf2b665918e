// One DMS Serverless replication (`aws_dms_replication_config`): what a replication task is on an
// instance, with its own compute (DCUs between a minimum and a maximum that DMS scales within).
// The same endpoints, table mappings and complete settings document as a task (the provider
// compares `replication_settings` the way it compares task settings, so the document that plans
// clean for a task plans clean here); not started unless asked, as tasks are not.
import { DmsReplicationConfig } from "@cdktf/provider-aws/lib/dms-replication-config";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { refuseProblems } from "../core/construct-error.js";
import { includesCdc, type MigrationType } from "./replication-task.js";
import { formatMappingProblem, TableMappingsDocument, validateTableMappings } from "./table-mappings.js";
import { buildTaskSettings, TaskSettingsOptions } from "./task-settings.js";

/** The capacities DMS Serverless accepts (AWS ComputeConfig: MinCapacityUnits/MaxCapacityUnits). */
export const DMS_CAPACITY_UNITS = [1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384] as const;
export const DEFAULT_MIN_CAPACITY_UNITS = 1;
export const DEFAULT_MAX_CAPACITY_UNITS = 16;

export interface ServerlessCompute {
  /** Replication subnet group identifier (private subnets in two AZs). */
  readonly subnetGroupId: string;
  readonly securityGroupIds: readonly string[];
  /** @default DEFAULT_MIN_CAPACITY_UNITS */
  readonly minCapacityUnits?: number;
  /** @default DEFAULT_MAX_CAPACITY_UNITS */
  readonly maxCapacityUnits?: number;
  /** A standby in a second AZ. @default false */
  readonly multiAz?: boolean;
  /** KMS key of the replication's data. @default the AWS managed key for DMS */
  readonly kmsKeyArn?: string;
  /** Weekly window, `ddd:hh24:mi-ddd:hh24:mi` UTC. @default DMS picks one */
  readonly maintenanceWindow?: string;
}

export interface ServerlessReplicationProps {
  /** Replication config identifier (also its resource identifier, so the ARN is readable). */
  readonly configId: string;
  readonly migrationType: MigrationType;
  readonly sourceEndpointArn: string;
  readonly targetEndpointArn: string;
  readonly tableMappings: TableMappingsDocument;
  /** @default as for a replication task */
  readonly settings?: TaskSettingsOptions;
  readonly compute: ServerlessCompute;
  /** Start (and resume after changes) when Terraform applies. @default false */
  readonly start?: boolean;
  /** lifecycle ignore_changes on the settings document. @default false */
  readonly ignoreSettingsChanges?: boolean;
  /** @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class ServerlessReplication extends Construct {
  readonly config: DmsReplicationConfig;
  readonly configId: string;
  readonly migrationType: MigrationType;

  constructor(scope: Construct, id: string, props: ServerlessReplicationProps) {
    super(scope, id);
    refuseProblems(this, [
      ...validateTableMappings(props.tableMappings).map((problem) => `table mappings ${formatMappingProblem(problem)}`),
      ...capacityProblems(props.compute),
    ]);
    this.configId = props.configId;
    this.migrationType = props.migrationType;
    const compute = props.compute;
    this.config = new DmsReplicationConfig(this, "config", {
      replicationConfigIdentifier: props.configId,
      resourceIdentifier: props.configId,
      replicationType: props.migrationType,
      sourceEndpointArn: props.sourceEndpointArn,
      targetEndpointArn: props.targetEndpointArn,
      tableMappings: JSON.stringify(props.tableMappings),
      replicationSettings: JSON.stringify(buildTaskSettings(props.settings)),
      startReplication: props.start ?? false,
      computeConfig: {
        replicationSubnetGroupId: compute.subnetGroupId,
        vpcSecurityGroupIds: [...compute.securityGroupIds],
        minCapacityUnits: compute.minCapacityUnits ?? DEFAULT_MIN_CAPACITY_UNITS,
        maxCapacityUnits: compute.maxCapacityUnits ?? DEFAULT_MAX_CAPACITY_UNITS,
        multiAz: compute.multiAz ?? false,
        kmsKeyId: compute.kmsKeyArn,
        preferredMaintenanceWindow: compute.maintenanceWindow,
      },
      tags: { Name: props.configId },
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      lifecycle: props.ignoreSettingsChanges ? { ignoreChanges: ["replication_settings"] } : undefined,
    });
  }

  get arn(): string {
    return this.config.arn;
  }

  get includesCdc(): boolean {
    return includesCdc(this.migrationType);
  }
}

/** What AWS refuses in a ComputeConfig's capacities. */
export function capacityProblems(compute: Pick<ServerlessCompute, "minCapacityUnits" | "maxCapacityUnits">): string[] {
  const min = compute.minCapacityUnits ?? DEFAULT_MIN_CAPACITY_UNITS;
  const max = compute.maxCapacityUnits ?? DEFAULT_MAX_CAPACITY_UNITS;
  const valid = DMS_CAPACITY_UNITS as readonly number[];
  const problems: string[] = [];
  if (!valid.includes(min)) problems.push(`minimum capacity ${min} DCU is not one of ${valid.join(", ")}`);
  if (!valid.includes(max)) problems.push(`maximum capacity ${max} DCU is not one of ${valid.join(", ")}`);
  if (min > max) problems.push(`minimum capacity ${min} DCU is above the maximum ${max} DCU`);
  return problems;
}
