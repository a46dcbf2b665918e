// Everything DMS needs for one environment, from plain values: the account-level service roles (or
// their adoption), the replication instance, endpoints keyed by name, tasks keyed by name that
// name their endpoints by key, event notifications and optional CDC latency alarms. It knows
// nothing about where the values come from, so it works with any network and any database.
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CdcLatencyAlarms } from "./cdc-latency-alarms.js";
import { DatabaseEndpoint, DatabaseEndpointProps } from "./database-endpoint.js";
import { DmsEncryptionKey } from "./dms-encryption-key.js";
import { DMS_INSTANCE_ID_MAX, DMS_RESOURCE_ID_MAX, dmsIdentifierProblem } from "./dms-identifiers.js";
import { DmsNotifications } from "./dms-notifications.js";
import { DmsServiceRoles, ServiceRolesMode } from "./dms-service-roles.js";
import { ReplicationInstance, ReplicationInstanceProps } from "./replication-instance.js";
import { replicationSubnetGroup } from "./replication-subnet-group.js";
import { includesCdc, MigrationType, ReplicationTask, ReplicationTaskProps } from "./replication-task.js";
import { ServerlessCompute, ServerlessReplication } from "./serverless-replication.js";
import { TableMappingsDocument } from "./table-mappings.js";
import { TaskReloadSchedule } from "./task-reload-schedule.js";
import { TaskSettingsOptions } from "./task-settings.js";
import { arnField } from "../core/arn-field.js";
import { refuseProblems } from "../core/construct-error.js";

export type DmsEndpointSpec = Omit<DatabaseEndpointProps, "endpointId">;

export interface ReloadScheduleSpec {
  /** `cron(...)` or `rate(...)`. */
  readonly expression: string;
  /** @default "UTC" */
  readonly timezone?: string;
  /** @default true */
  readonly enabled?: boolean;
}

export interface DmsTaskSpec {
  readonly sourceEndpointKey: string;
  readonly targetEndpointKey: string;
  readonly migrationType: MigrationType;
  readonly tableMappings: TableMappingsDocument;
  /** @default DMS's defaults, validation and logging on, limited LOB mode */
  readonly settings?: TaskSettingsOptions;
  readonly cdcStartTime?: string;
  readonly cdcStartPosition?: string;
  /** @default false */
  readonly start?: boolean;
  /** @default false */
  readonly ignoreSettingsChanges?: boolean;
  /**
   * Reload the target on a schedule (full-load tasks only).
   * @default no schedule
   */
  readonly reloadSchedule?: ReloadScheduleSpec;
}

export interface CdcLatencyAlarmSettings {
  /** @default 300 */
  readonly thresholdSeconds?: number;
  /** @default 3 */
  readonly evaluationPeriods?: number;
}

/** Where tasks run: one replication instance, or DMS Serverless (one replication config per task). */
export type DmsCompute = "instance" | "serverless";

/** One migration, whichever compute runs it. */
export type DmsTask = ReplicationTask | ServerlessReplication;

export interface DmsMigrationProps {
  /** `<project>-<environment>`: the instance (or subnet group) identifier and the prefix of every other name. */
  readonly name: string;
  /** @default "create" */
  readonly serviceRoles?: ServiceRolesMode;
  /** @default "instance" */
  readonly compute?: DmsCompute;
  /** The instance; with serverless compute only its subnets, security groups and KMS key are used. */
  readonly instance: Omit<ReplicationInstanceProps, "instanceId" | "dependsOn">;
  /**
   * Capacity and Multi-AZ of each serverless replication (compute "serverless").
   * @default DMS_CAPACITY_UNITS bounds 1-16, single-AZ
   */
  readonly serverless?: Omit<ServerlessCompute, "subnetGroupId" | "securityGroupIds" | "kmsKeyArn">;
  /** Endpoints by key; DMS identifiers are `<name>-<key>`. */
  readonly endpoints: Readonly<Record<string, DmsEndpointSpec>>;
  /** Tasks by key; DMS identifiers are `<name>-<key>`. */
  readonly tasks: Readonly<Record<string, DmsTaskSpec>>;
  /**
   * What must be in place before a task runs: the PrivateLink hops' accepted connections.
   * @default []
   */
  readonly networkReady?: readonly ITerraformDependable[];
  /**
   * E-mail addresses subscribed to the DMS event topic.
   * @default []
   */
  readonly notificationEmails?: readonly string[];
  /**
   * CDC latency alarms on every task that includes CDC. They notify the events topic, so they need
   * at least one of `notificationEmails`: an alarm nobody receives is refused.
   * @default no alarms
   */
  readonly cdcLatencyAlarms?: CdcLatencyAlarmSettings;
  /**
   * Other alarms named `<name>-...` (the operations view) notify the events topic: CloudWatch is
   * admitted to the topic and its key as for the CDC latency alarms, and a subscriber is required.
   * @default false
   */
  readonly admitAlarms?: boolean;
  /** `prevent_destroy` on the DMS key (protected environments). @default false */
  readonly preventKeyDestroy?: boolean;
}

export class DmsMigration extends Construct {
  readonly serviceRoles: DmsServiceRoles;
  /** Encrypts the instance's storage and the endpoints' connection data unless props name other keys, and the events topic always. */
  readonly key: DmsEncryptionKey;
  /** The replication instance (compute "instance" only). */
  readonly replication?: ReplicationInstance;
  readonly endpoints: Readonly<Record<string, DatabaseEndpoint>>;
  readonly tasks: Readonly<Record<string, DmsTask>>;
  readonly notifications: DmsNotifications;
  /** ARNs of the CDC latency alarms (for the dashboard's alarm widget). */
  readonly cdcLatencyAlarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: DmsMigrationProps) {
    super(scope, id);
    const problems = migrationProblems(props);
    refuseProblems(this, problems);

    this.serviceRoles = new DmsServiceRoles(this, "service_roles", { mode: props.serviceRoles });
    const alarmNamePrefix = alarmedTasks(props).length > 0 || props.admitAlarms ? `${props.name}-` : undefined;
    this.key = new DmsEncryptionKey(this, "key", { alias: `${props.name}-dms`, preventDestroy: props.preventKeyDestroy, alarmNamePrefix });
    const kmsKeyArn = props.instance.kmsKeyArn ?? this.key.arn;
    let serverless: ServerlessCompute | undefined;
    if (props.compute === "serverless") {
      // Same address as the instance's group (dms/replication/subnet_group), so switching keeps it.
      const group = replicationSubnetGroup(new Construct(this, "replication"), "subnet_group", {
        groupId: props.name,
        description: `Private subnets of the DMS serverless replications ${props.name}`,
        subnets: props.instance.subnets,
        dependsOn: this.serviceRoles.vpcRoleReady,
      });
      serverless = { ...props.serverless, subnetGroupId: group.replicationSubnetGroupId, securityGroupIds: props.instance.securityGroupIds, kmsKeyArn };
    } else {
      this.replication = new ReplicationInstance(this, "replication", {
        ...props.instance,
        kmsKeyArn,
        instanceId: props.name,
        dependsOn: this.serviceRoles.vpcRoleReady,
      });
    }

    const endpointScope = new Construct(this, "endpoints");
    const endpoints: Record<string, DatabaseEndpoint> = {};
    for (const [key, spec] of Object.entries(props.endpoints)) {
      endpoints[key] = new DatabaseEndpoint(endpointScope, key, { ...spec, kmsKeyArn: spec.kmsKeyArn ?? this.key.arn, endpointId: `${props.name}-${key}` });
    }
    this.endpoints = endpoints;

    const taskScope = new Construct(this, "tasks");
    const tasks: Record<string, DmsTask> = {};
    for (const [key, spec] of Object.entries(props.tasks)) {
      if (serverless) {
        tasks[key] = new ServerlessReplication(taskScope, key, {
          configId: `${props.name}-${key}`,
          migrationType: spec.migrationType,
          sourceEndpointArn: endpoints[spec.sourceEndpointKey].arn,
          targetEndpointArn: endpoints[spec.targetEndpointKey].arn,
          tableMappings: spec.tableMappings,
          settings: spec.settings,
          compute: serverless,
          start: spec.start,
          ignoreSettingsChanges: spec.ignoreSettingsChanges,
          dependsOn: this.serviceRoles.logsRoleReady,
        });
        continue;
      }
      const taskProps: ReplicationTaskProps = {
        taskId: `${props.name}-${key}`,
        migrationType: spec.migrationType,
        replicationInstanceArn: this.replication!.arn,
        sourceEndpointArn: endpoints[spec.sourceEndpointKey].arn,
        targetEndpointArn: endpoints[spec.targetEndpointKey].arn,
        tableMappings: spec.tableMappings,
        settings: spec.settings,
        cdcStartTime: spec.cdcStartTime,
        cdcStartPosition: spec.cdcStartPosition,
        start: spec.start,
        ignoreSettingsChanges: spec.ignoreSettingsChanges,
        // Task logging needs the dms-cloudwatch-logs-role in place; a started task, its endpoints' network paths.
        dependsOn: [...this.serviceRoles.logsRoleReady, ...(props.networkReady ?? [])],
      };
      const task = new ReplicationTask(taskScope, key, taskProps);
      tasks[key] = task;
      if (spec.reloadSchedule) {
        new TaskReloadSchedule(task, "reload_schedule", {
          name: `${props.name}-${key}-reload`,
          taskArn: task.arn,
          scheduleExpression: spec.reloadSchedule.expression,
          timezone: spec.reloadSchedule.timezone,
          enabled: spec.reloadSchedule.enabled,
        });
      }
    }
    this.tasks = tasks;

    this.notifications = new DmsNotifications(this, "notifications", {
      name: `${props.name}-dms-events`,
      kmsKeyArn: this.key.arn,
      replicationInstanceId: this.replication?.instance.replicationInstanceId,
      taskIds: Object.values(tasks).flatMap((task) => (task instanceof ReplicationTask ? [task.task.replicationTaskId] : [])),
      emails: props.notificationEmails,
      alarmNamePrefix,
    });

    if (props.cdcLatencyAlarms) {
      for (const key of alarmedTasks(props)) {
        const task = tasks[key];
        const alarms = new CdcLatencyAlarms(task, "cdc_latency", {
          name: `${props.name}-${key}`,
          dimensions: this.metricDimensions(task),
          thresholdSeconds: props.cdcLatencyAlarms.thresholdSeconds,
          evaluationPeriods: props.cdcLatencyAlarms.evaluationPeriods,
          actions: [this.notifications.topic.arn],
        });
        this.cdcLatencyAlarmArns.push(alarms.source.arn, alarms.target.arn);
      }
    }
  }

  /** `arn:<partition>:iam::<account>:role/<name>` for a role in this environment's account (read off the DMS key's ARN). */
  roleArn(roleName: string): string {
    return `arn:${arnField(this.key.arn, "partition")}:iam::${arnField(this.key.arn, "account")}:role/${roleName}`;
  }

  /**
   * The CloudWatch dimensions of a task's AWS/DMS metrics: instance and task resource ID on an
   * instance; the replication config's identifier for DMS Serverless.
   */
  metricDimensions(task: DmsTask): Record<string, string> {
    if (task instanceof ServerlessReplication) return { ReplicationConfigIdentifier: task.configId };
    return { ReplicationInstanceIdentifier: this.replication!.instance.replicationInstanceId, ReplicationTaskIdentifier: task.resourceId };
  }
}

/** Keys of the tasks that get CDC latency alarms. */
function alarmedTasks(props: DmsMigrationProps): string[] {
  if (!props.cdcLatencyAlarms) return [];
  return Object.entries(props.tasks).filter(([, task]) => includesCdc(task.migrationType)).map(([key]) => key);
}

/** Every cross-reference problem at once, before any resource exists. */
function migrationProblems(props: DmsMigrationProps): string[] {
  const problems: string[] = [];
  const nameProblem = dmsIdentifierProblem(props.name, DMS_INSTANCE_ID_MAX);
  if (nameProblem) problems.push(`name "${props.name}" ${nameProblem}`);
  for (const key of [...Object.keys(props.endpoints), ...Object.keys(props.tasks)]) {
    const problem = dmsIdentifierProblem(`${props.name}-${key}`, DMS_RESOURCE_ID_MAX);
    if (problem) problems.push(`identifier "${props.name}-${key}" ${problem}`);
  }
  if ((alarmedTasks(props).length > 0 || props.admitAlarms) && (props.notificationEmails ?? []).length === 0) {
    problems.push("alarms notify the events topic, which has no subscriber: add notification e-mails or turn the alarms off");
  }
  for (const [key, task] of Object.entries(props.tasks)) {
    const source = props.endpoints[task.sourceEndpointKey];
    const target = props.endpoints[task.targetEndpointKey];
    if (!source) problems.push(`task "${key}": no endpoint "${task.sourceEndpointKey}"`);
    else if (source.endpointType !== "source") problems.push(`task "${key}": endpoint "${task.sourceEndpointKey}" is a ${source.endpointType} endpoint, not a source`);
    if (!target) problems.push(`task "${key}": no endpoint "${task.targetEndpointKey}"`);
    else if (target.endpointType !== "target") problems.push(`task "${key}": endpoint "${task.targetEndpointKey}" is a ${target.endpointType} endpoint, not a target`);
    if (source?.sqlServer?.capture === "full-load-only" && includesCdc(task.migrationType)) {
      problems.push(`task "${key}": source "${task.sourceEndpointKey}" captures no changes (full-load-only), so migration type "${task.migrationType}" cannot work`);
    }
    if (props.compute === "serverless" && (task.cdcStartTime !== undefined || task.cdcStartPosition !== undefined)) {
      problems.push(`task "${key}": DMS Serverless does not support custom CDC start points`);
    }
    if (props.compute === "serverless" && task.reloadSchedule) {
      problems.push(`task "${key}": reload schedules start instance tasks; serverless replications have none here`);
    }
    if (task.reloadSchedule && includesCdc(task.migrationType)) {
      problems.push(`task "${key}": a reload schedule re-runs a full load; migration type "${task.migrationType}" keeps replicating instead`);
    }
  }
  return problems;
}
