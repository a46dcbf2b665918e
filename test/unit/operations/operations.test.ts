import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { OperationsAlarms } from "../../../modules/operations/operations-alarms.js";
import { dashboardBody, OperationsDashboard } from "../../../modules/operations/operations-dashboard.js";
import { cdcLatency, failureQueueMessages, lambdaErrors, replicationSlotLag, targetFreeStorage, validationFailures } from "../../../modules/operations/signals.js";
import { onlyResource, resourcesOf, synthConstruct } from "../../helpers/synth.js";

const taskDimensions = { ReplicationInstanceIdentifier: "dms-lz-dev", ReplicationTaskIdentifier: "ABCDEF" };
const signals = [
  validationFailures("orders", "orders", taskDimensions, 0),
  cdcLatency("orders", "orders", taskDimensions),
  targetFreeStorage("postgres", "dms-lz-dev-target", 5),
  replicationSlotLag("aurora-postgresql", "dms-lz-dev-source", 10240),
  failureQueueMessages("csv-pipeline", "dms-lz-dev-csv-loader-failures", 0),
  lambdaErrors("csv-pipeline", "dms-lz-dev-csv-loader", 0),
];
const topic = "arn:aws:sns:us-east-1:111122223333:dms-lz-dev-dms-events";

describe("operations signals", () => {
  it.each([
    [signals[0], "AWS/DMS", "ValidationFailedOverallCount", taskDimensions],
    [signals[2], "AWS/RDS", "FreeStorageSpace", { DBInstanceIdentifier: "dms-lz-dev-target" }],
    [targetFreeStorage("aurora-postgresql", "c", 5), "AWS/RDS", "FreeLocalStorage", { DBClusterIdentifier: "c", Role: "WRITER" }],
    [signals[3], "AWS/RDS", "OldestReplicationSlotLag", { DBClusterIdentifier: "dms-lz-dev-source", Role: "WRITER" }],
    [signals[4], "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: "dms-lz-dev-csv-loader-failures" }],
    [signals[5], "AWS/Lambda", "Errors", { FunctionName: "dms-lz-dev-csv-loader" }],
  ])("%# reads the metric AWS publishes: %s", (signal, namespace, metricName, dimensions) => {
    expect(signal).toMatchObject({ namespace, metricName, dimensions });
  });
});

describe("OperationsAlarms", () => {
  it("alarms on every signal with a threshold, named under the environment's prefix, to the topic", () => {
    const json = synthConstruct((scope) => new OperationsAlarms(scope, "operations_alarms", { name: "dms-lz-dev", signals, actions: [topic] }));
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    // CDC latency is graphed only: CdcLatencyAlarms owns its alarm.
    expect(Object.keys(alarms).sort()).toEqual([
      "operations_alarms_csv_pipeline_errors",
      "operations_alarms_csv_pipeline_failures_waiting",
      "operations_alarms_orders_validation_failures",
      "operations_alarms_source_replication_slot_lag",
      "operations_alarms_target_free_storage",
    ]);
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_cloudwatch_metric_alarm", {
      alarm_name: "dms-lz-dev-target-free-storage",
      metric_name: "FreeStorageSpace",
      comparison_operator: "LessThanThreshold",
      threshold: 5 * 1024 ** 3,
      statistic: "Minimum",
      alarm_actions: [topic],
      ok_actions: [topic],
    })).toBe(true);
    expect(alarms.operations_alarms_csv_pipeline_failures_waiting).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 0, treat_missing_data: "notBreaching" });
  });
});

describe("OperationsDashboard", () => {
  it("graphs every signal in the region, alarm states first, as a jsonencode()d body", () => {
    const json = synthConstruct((scope) => new OperationsDashboard(scope, "operations", { name: "dms-lz-dev-operations", region: "us-east-1", signals, alarmArns: ["arn:aws:cloudwatch:us-east-1:111122223333:alarm:a"] }));
    const dashboard = onlyResource(json, "aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_name).toBe("dms-lz-dev-operations");
    expect(String(dashboard.dashboard_body)).toMatch(/^\$\{jsonencode\(/);
    const body = dashboardBody({ region: "us-east-1", signals, alarmArns: ["arn:a"] });
    expect(body.widgets[0]).toMatchObject({ type: "alarm", properties: { alarms: ["arn:a"] } });
    expect(body.widgets.slice(1).map((widget) => (widget.properties as { metrics: unknown[][] }).metrics[0].slice(0, 2))).toEqual(signals.map((signal) => [signal.namespace, signal.metricName]));
    expect(body.widgets[1]).toMatchObject({ type: "metric", properties: { region: "us-east-1", metrics: [["AWS/DMS", "ValidationFailedOverallCount", "ReplicationInstanceIdentifier", "dms-lz-dev", "ReplicationTaskIdentifier", "ABCDEF"]] } });
    // Widgets never overlap.
    const cells = body.widgets.map((widget) => `${widget.x},${widget.y}`);
    expect(new Set(cells).size).toBe(cells.length);
  });

  it.each(["dms lz", "x".repeat(256), "dms.lz"])("refuses a dashboard name CloudWatch refuses: %s", (name) => {
    expect(() => synthConstruct((scope) => new OperationsDashboard(scope, "operations", { name, region: "us-east-1", signals }))).toThrow(/dashboard name/);
  });
});
