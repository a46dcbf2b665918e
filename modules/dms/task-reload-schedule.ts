// Re-runs a full-load task on a schedule (the playbook's "full load from a reporting server, daily").
// AWS allows only `start-replication` for a task's first run ("any other action used for the first
// time on a given task ... will result in data errors") and refuses it once the task has run, so
// one fixed start type cannot serve every night. EventBridge Scheduler starts a small Step
// Functions state machine instead, which reads the task and picks the start type: start-replication
// when it was never started, reload-target afterwards, nothing while it is still running. No Lambda:
// both calls are Step Functions' AWS SDK integrations.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";
import { isKnownText, refuseProblems } from "../core/construct-error.js";

/** The states that mean a run is under way: starting another would fail or cut it short. */
const BUSY_STATES = ["starting", "running", "stopping", "modifying", "moving", "testing"];

export interface TaskReloadScheduleProps {
  /** Schedule, state machine and role names (64 characters at most). */
  readonly name: string;
  /** The task to reload. */
  readonly taskArn: string;
  /** `cron(...)` or `rate(...)`, e.g. `cron(0 2 * * ? *)` for 02:00 daily. */
  readonly scheduleExpression: string;
  /** IANA time zone of the expression. @default "UTC" */
  readonly timezone?: string;
  /** @default true */
  readonly enabled?: boolean;
}

export class TaskReloadSchedule extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: TaskReloadScheduleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (isKnownText(props.name) && props.name.length > 64) problems.push(`schedule name "${props.name}" is longer than 64 characters`);
    if (isKnownText(props.scheduleExpression) && !/^(cron|rate)\(.+\)$/.test(props.scheduleExpression)) {
      problems.push(`schedule expression ${JSON.stringify(props.scheduleExpression)} is not cron(...) or rate(...)`);
    }
    refuseProblems(this, problems);
    const account = arnField(props.taskArn, "account");

    const runRole = new IamRole(this, "run_role", {
      name: `${props.name}-run`.slice(0, 64),
      description: "Step Functions: start or reload one DMS task",
      assumeRolePolicy: serviceTrustPolicy("states.amazonaws.com", { sourceAccount: account }),
    });
    new IamRolePolicy(this, "run_policy", {
      role: runRole.name,
      name: "start-replication-task",
      policy: policyDocument([
        // DescribeReplicationTasks has no resource-level permission; the filter names the task.
        { Sid: "ReadTask", Effect: "Allow", Action: "dms:DescribeReplicationTasks", Resource: "*" },
        { Sid: "StartTask", Effect: "Allow", Action: "dms:StartReplicationTask", Resource: props.taskArn },
      ]),
    });
    this.stateMachine = new SfnStateMachine(this, "state_machine", {
      name: props.name,
      roleArn: runRole.arn,
      definition: Fn.jsonencode(reloadDefinition(props.taskArn)),
    });

    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "EventBridge Scheduler: run the DMS task reload state machine",
      assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", { sourceAccount: account }),
    });
    new IamRolePolicy(this, "start_execution_policy", {
      role: this.role.name,
      name: "start-reload",
      policy: policyDocument([{ Effect: "Allow", Action: "states:StartExecution", Resource: this.stateMachine.arn }]),
    });
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: props.name,
      description: "Run the DMS task's full load again (start-replication the first time, reload-target after)",
      scheduleExpression: props.scheduleExpression,
      scheduleExpressionTimezone: props.timezone ?? "UTC",
      state: (props.enabled ?? true) ? "ENABLED" : "DISABLED",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: this.stateMachine.arn,
        roleArn: this.role.arn,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}

/** The Amazon States Language definition: describe the task, then start it the way its history allows. */
export function reloadDefinition(taskArn: string): Record<string, unknown> {
  const start = (type: string) => ({
    Type: "Task",
    Resource: "arn:aws:states:::aws-sdk:databasemigration:startReplicationTask",
    Parameters: { ReplicationTaskArn: taskArn, StartReplicationTaskType: type },
    End: true,
  });
  return {
    Comment: "Start a DMS full-load task: start-replication on its first run, reload-target afterwards",
    StartAt: "DescribeTask",
    States: {
      DescribeTask: {
        Type: "Task",
        Resource: "arn:aws:states:::aws-sdk:databasemigration:describeReplicationTasks",
        Parameters: { Filters: [{ Name: "replication-task-arn", Values: [taskArn] }], WithoutSettings: true },
        ResultSelector: { "task.$": "$.ReplicationTasks[0]" },
        Next: "ChooseStartType",
      },
      ChooseStartType: {
        Type: "Choice",
        Choices: [
          { Or: BUSY_STATES.map((state) => ({ Variable: "$.task.Status", StringEquals: state })), Next: "AlreadyRunning" },
          // Set once the task was started, fresh or reloaded; absent on a task that never ran.
          { Variable: "$.task.ReplicationTaskStartDate", IsPresent: true, Next: "ReloadTarget" },
        ],
        Default: "FirstRun",
      },
      FirstRun: start("start-replication"),
      ReloadTarget: start("reload-target"),
      AlreadyRunning: { Type: "Succeed", Comment: "The previous run is still going; the next schedule tries again" },
    },
  };
}
