import { describe, expect, it } from "vitest";
import { CdcLatencyAlarms } from "../../modules/dms/cdc-latency-alarms.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("CdcLatencyAlarms", () => {
  it("alarms on source and target CDC latency of one task, with the task's resource ID as dimension", () => {
    const json = synthConstruct((scope) =>
      new CdcLatencyAlarms(scope, "alarms", { name: "dms-lz-dev-orders", dimensions: { ReplicationInstanceIdentifier: "dms-lz-dev", ReplicationTaskIdentifier: "ABCDEF" }, thresholdSeconds: 120, evaluationPeriods: 2, actions: ["arn:aws:sns:us-east-1:111122223333:t"] }),
    );
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    expect(Object.values(alarms).map((a) => a.metric_name)).toEqual(["CDCLatencySource", "CDCLatencyTarget"]);
    expect(alarms.alarms_source_alarm).toMatchObject({
      alarm_name: "dms-lz-dev-orders-cdc-latency-source",
      namespace: "AWS/DMS",
      dimensions: { ReplicationInstanceIdentifier: "dms-lz-dev", ReplicationTaskIdentifier: "ABCDEF" },
      threshold: 120,
      evaluation_periods: 2,
      comparison_operator: "GreaterThanThreshold",
      treat_missing_data: "notBreaching",
      alarm_actions: ["arn:aws:sns:us-east-1:111122223333:t"],
      ok_actions: ["arn:aws:sns:us-east-1:111122223333:t"],
    });
  });
});
