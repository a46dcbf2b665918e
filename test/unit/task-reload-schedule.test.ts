import { describe, expect, it } from "vitest";
import { TaskReloadSchedule } from "../../modules/dms/task-reload-schedule.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

const taskArn = "arn:aws:dms:eu-central-1:111122223333:task:ABCDEFGHIJKLMNOP";

function schedule(expression = "cron(0 2 * * ? *)", name = "dms-lz-dev-report-reload") {
  return synthConstruct((scope) => new TaskReloadSchedule(scope, "reload", { name, taskArn, scheduleExpression: expression, timezone: "Europe/Berlin" }));
}

describe("TaskReloadSchedule", () => {
  it("calls DMS StartReplicationTask with reload-target through the Scheduler universal target", () => {
    const resource = onlyResource(schedule(), "aws_scheduler_schedule");
    expect(resource).toMatchObject({
      name: "dms-lz-dev-report-reload",
      schedule_expression: "cron(0 2 * * ? *)",
      schedule_expression_timezone: "Europe/Berlin",
      state: "ENABLED",
      flexible_time_window: { mode: "OFF" },
      target: { arn: "arn:aws:scheduler:::aws-sdk:databasemigration:startReplicationTask", role_arn: "${aws_iam_role.reload_role.arn}" },
    });
    const input = (resource.target as { input: string }).input;
    expect(input).toContain("ReplicationTaskArn");
    expect(input).toContain(`"${taskArn}"`);
    expect(input).toContain("\"reload-target\"");
  });

  it("runs as a role trusted by the Scheduler in this account and allowed to start only this task", () => {
    const json = schedule();
    // The account is a Terraform expression inside the JSON until apply, so the text is checked.
    const trust = onlyResource(json, "aws_iam_role").assume_role_policy as string;
    expect(trust).toContain('"Principal":{"Service":"scheduler.amazonaws.com"}');
    expect(trust).toContain(`"aws:SourceAccount":"\${element(split(":", "${taskArn}"), 4)}"`);
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").policy as string).Statement).toEqual([{ Effect: "Allow", Action: "dms:StartReplicationTask", Resource: taskArn }]);
  });

  it("refuses expressions the Scheduler rejects and names over 64 characters", () => {
    expect(() => schedule("0 2 * * *")).toThrow(/not cron\(\.\.\.\) or rate\(\.\.\.\)/);
    expect(() => schedule(undefined, "x".repeat(65))).toThrow(/longer than 64/);
  });
});
