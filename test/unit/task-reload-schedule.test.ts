import { describe, expect, it } from "vitest";
import { reloadDefinition, TaskReloadSchedule } from "../../modules/dms/task-reload-schedule.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

const taskArn = "arn:aws:dms:eu-central-1:111122223333:task:ABCDEFGHIJKLMNOP";

function schedule(expression = "cron(0 2 * * ? *)", name = "dms-lz-dev-report-reload") {
  return synthConstruct((scope) => new TaskReloadSchedule(scope, "reload", { name, taskArn, scheduleExpression: expression, timezone: "Europe/Berlin" }));
}

describe("TaskReloadSchedule", () => {
  it("runs a state machine on the schedule instead of sending one fixed start type", () => {
    const json = schedule();
    const resource = onlyResource(json, "aws_scheduler_schedule");
    expect(resource).toMatchObject({
      name: "dms-lz-dev-report-reload",
      schedule_expression: "cron(0 2 * * ? *)",
      schedule_expression_timezone: "Europe/Berlin",
      state: "ENABLED",
      flexible_time_window: { mode: "OFF" },
      target: { arn: "${aws_sfn_state_machine.reload_state_machine.arn}", role_arn: "${aws_iam_role.reload_role.arn}" },
    });
    expect(JSON.parse(json.resource!.aws_iam_role_policy.reload_start_execution_policy.policy as string).Statement).toEqual([
      { Effect: "Allow", Action: "states:StartExecution", Resource: "${aws_sfn_state_machine.reload_state_machine.arn}" },
    ]);
  });

  it("starts a never-started task with start-replication, a task that ran with reload-target, and leaves a running one alone", () => {
    const definition = reloadDefinition(taskArn) as { States: Record<string, { Parameters?: Record<string, unknown>; Choices?: { Next: string; Variable?: string; IsPresent?: boolean }[]; Default?: string }> };
    expect(definition.States.FirstRun.Parameters).toEqual({ ReplicationTaskArn: taskArn, StartReplicationTaskType: "start-replication" });
    expect(definition.States.ReloadTarget.Parameters).toEqual({ ReplicationTaskArn: taskArn, StartReplicationTaskType: "reload-target" });
    const choice = definition.States.ChooseStartType;
    expect(choice.Default).toBe("FirstRun");
    expect(choice.Choices!.map((rule) => rule.Next)).toEqual(["AlreadyRunning", "ReloadTarget"]);
    expect(choice.Choices![1]).toMatchObject({ Variable: "$.task.ReplicationTaskStartDate", IsPresent: true });
  });

  it("runs as roles trusted by their services in this account; the state machine may start only this task", () => {
    const json = schedule();
    const roles = json.resource!.aws_iam_role;
    expect(roles.reload_role.assume_role_policy).toContain('"Principal":{"Service":"scheduler.amazonaws.com"}');
    expect(roles.reload_run_role.assume_role_policy).toContain('"Principal":{"Service":"states.amazonaws.com"}');
    expect(roles.reload_role.assume_role_policy).toContain('"aws:SourceAccount":"111122223333"');
    expect(JSON.parse(json.resource!.aws_iam_role_policy.reload_run_policy.policy as string).Statement).toContainEqual({ Sid: "StartTask", Effect: "Allow", Action: "dms:StartReplicationTask", Resource: taskArn });
  });

  it("refuses expressions the Scheduler rejects and names over 64 characters", () => {
    expect(() => schedule("0 2 * * *")).toThrow(/not cron\(\.\.\.\) or rate\(\.\.\.\)/);
    expect(() => schedule(undefined, "x".repeat(65))).toThrow(/longer than 64/);
  });
});
