// One CloudWatch dashboard per environment: a graph per signal (DMS tasks, target storage, source
// replication slot, failure queues, functions) and, when there are alarms, their states. The body
// is built with jsonencode so identifiers known only after apply land in valid JSON.
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ConstructError, isKnownText } from "../core/construct-error.js";
import type { Signal } from "./signals.js";

/** CloudWatch dashboard names: letters, digits, "-" and "_", at most 255 characters. */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const WIDTH = 12;
const HEIGHT = 6;

export interface OperationsDashboardProps {
  readonly name: string;
  /** Region of the metrics (each widget names it). */
  readonly region: string;
  readonly signals: readonly Signal[];
  /** ARNs of alarms shown in an alarm status widget. @default none */
  readonly alarmArns?: readonly string[];
}

export class OperationsDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    if (isKnownText(props.name) && !DASHBOARD_NAME.test(props.name)) {
      throw new ConstructError(this, `dashboard name "${props.name}" must be 1-255 letters, digits, "-" or "_"`);
    }
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: Fn.jsonencode(dashboardBody(props)),
    });
  }
}

/** The dashboard document (widgets laid out two per row). */
export function dashboardBody(props: Pick<OperationsDashboardProps, "region" | "signals" | "alarmArns">): { widgets: Record<string, unknown>[] } {
  const widgets: Record<string, unknown>[] = [];
  const place = (index: number, width = WIDTH) => ({ x: (index % 2) * WIDTH, y: Math.floor(index / 2) * HEIGHT, width, height: HEIGHT });
  const alarms = props.alarmArns ?? [];
  if (alarms.length > 0) {
    widgets.push({ type: "alarm", x: 0, y: 0, width: 2 * WIDTH, height: HEIGHT, properties: { title: "Alarms", alarms: [...alarms] } });
  }
  const offset = alarms.length > 0 ? 2 : 0;
  props.signals.forEach((signal, index) => {
    const dimensions = Object.entries(signal.dimensions).flat();
    const annotations = signal.alarm ? { horizontal: [{ label: "alarm threshold", value: signal.alarm.threshold }] } : undefined;
    widgets.push({
      type: "metric",
      ...place(index + offset),
      properties: {
        title: signal.title,
        region: props.region,
        view: "timeSeries",
        stat: signal.statistic,
        period: signal.period,
        metrics: [[signal.namespace, signal.metricName, ...dimensions]],
        ...(annotations ? { annotations } : {}),
      },
    });
  });
  return { widgets };
}
