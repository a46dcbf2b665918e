// Alarms on a CDC task's replication lag: CDCLatencySource (how far DMS's reading is behind the
// source) and CDCLatencyTarget (how far the target is behind the source). A rising source latency
// points at the source or network, a rising target latency with a flat source one at the target.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";

export interface CdcLatencyAlarmsProps {
  /** Alarm name prefix, e.g. `dms-lz-dev-orders`. */
  readonly name: string;
  /**
   * The task's metric dimensions: ReplicationInstanceIdentifier and ReplicationTaskIdentifier (the
   * task's resource ID, the last part of its ARN) on an instance; ReplicationConfigIdentifier for
   * DMS Serverless (DmsMigration.metricDimensions).
   */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Alarm when latency stays above this many seconds. @default 300 */
  readonly thresholdSeconds?: number;
  /** Consecutive 5-minute periods above the threshold. @default 3 */
  readonly evaluationPeriods?: number;
  /** Topics notified on alarm and recovery. @default [] */
  readonly actions?: readonly string[];
}

export class CdcLatencyAlarms extends Construct {
  readonly source: CloudwatchMetricAlarm;
  readonly target: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: CdcLatencyAlarmsProps) {
    super(scope, id);
    this.source = this.alarm("source", "CDCLatencySource", props);
    this.target = this.alarm("target", "CDCLatencyTarget", props);
  }

  private alarm(side: "source" | "target", metricName: string, props: CdcLatencyAlarmsProps): CloudwatchMetricAlarm {
    const threshold = props.thresholdSeconds ?? 300;
    const actions = [...(props.actions ?? [])];
    return new CloudwatchMetricAlarm(this, `${side}_alarm`, {
      alarmName: `${props.name}-cdc-latency-${side}`,
      alarmDescription: `DMS task ${props.name}: ${metricName} above ${threshold} s`,
      namespace: "AWS/DMS",
      metricName,
      dimensions: { ...props.dimensions },
      statistic: "Average",
      period: 300,
      evaluationPeriods: props.evaluationPeriods ?? 3,
      threshold,
      comparisonOperator: "GreaterThanThreshold",
      // A stopped task publishes nothing; that is not lag.
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
    });
  }
}
