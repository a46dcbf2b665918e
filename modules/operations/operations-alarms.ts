// The alarms of the operations view: one CloudWatch alarm per signal with a threshold, all
// notifying the environment's events topic. Their names share the environment's prefix, which is
// what the topic's and its key's policies admit CloudWatch by (DmsEncryptionKey, DmsNotifications).
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { Signal } from "./signals.js";

export interface OperationsAlarmsProps {
  /** `<project>-<environment>`: every alarm is named `<name>-<signal id>`. */
  readonly name: string;
  readonly signals: readonly Signal[];
  /** Topics notified on alarm and on recovery. */
  readonly actions: readonly string[];
}

export class OperationsAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const actions = [...props.actions];
    this.alarms = props.signals.flatMap((signal) => {
      const alarm = signal.alarm;
      if (!alarm) return [];
      return [
        new CloudwatchMetricAlarm(this, signal.id.replace(/-/g, "_"), {
          alarmName: `${props.name}-${signal.id}`,
          alarmDescription: `${signal.title}: ${alarm.comparison === "GreaterThanThreshold" ? "above" : "below"} ${alarm.threshold}`,
          namespace: signal.namespace,
          metricName: signal.metricName,
          dimensions: { ...signal.dimensions },
          statistic: signal.statistic,
          period: signal.period,
          evaluationPeriods: alarm.evaluationPeriods ?? 1,
          threshold: alarm.threshold,
          comparisonOperator: alarm.comparison,
          treatMissingData: alarm.treatMissingData ?? "notBreaching",
          alarmActions: actions,
          okActions: actions,
        }),
      ];
    });
  }
}
