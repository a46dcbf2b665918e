// Re-runs a full-load task on a schedule (the playbook's "full load from a reporting server, daily"),
// with EventBridge Scheduler calling DMS StartReplicationTask through its universal target instead
// of a hand-written scheduler Lambda. `reload-target` reloads every table of a stopped task.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { isKnownText, refuseProblems } from "../core/construct-error.js";

export const START_REPLICATION_TASK_TARGET = "arn:aws:scheduler:::aws-sdk:databasemigration:startReplicationTask";

export interface TaskReloadScheduleProps {
  /** Schedule and role name (64 characters at most). */
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
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: TaskReloadScheduleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (isKnownText(props.name) && props.name.length > 64) problems.push(`schedule name "${props.name}" is longer than 64 characters`);
    if (isKnownText(props.scheduleExpression) && !/^(cron|rate)\(.+\)$/.test(props.scheduleExpression)) {
      problems.push(`schedule expression ${JSON.stringify(props.scheduleExpression)} is not cron(...) or rate(...)`);
    }
    refuseProblems(this, problems);
    const account = Fn.element(Fn.split(":", props.taskArn), 4);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: "EventBridge Scheduler: reload one DMS task",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, "start_task_policy", {
      role: this.role.name,
      name: "start-replication-task",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "dms:StartReplicationTask", Resource: props.taskArn }],
      }),
    });
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: props.name,
      description: "Reload the DMS task's target (full load re-run)",
      scheduleExpression: props.scheduleExpression,
      scheduleExpressionTimezone: props.timezone ?? "UTC",
      state: (props.enabled ?? true) ? "ENABLED" : "DISABLED",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: START_REPLICATION_TASK_TARGET,
        roleArn: this.role.arn,
        input: Fn.jsonencode({ ReplicationTaskArn: props.taskArn, StartReplicationTaskType: "reload-target" }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}
