// The operations view wired into an environment: the signals of whatever the environment built
// (each DMS task, the target and simulated source databases, every function and failure queue in
// the construct tree, so a new function is watched without more wiring), a dashboard graphing
// them, and alarms to the DMS events topic. The environment stack calls it last.
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { PostgresDatabase } from "../modules/database/postgres-database.js";
import type { DmsMigration } from "../modules/dms/dms-migration.js";
import { OperationsAlarms } from "../modules/operations/operations-alarms.js";
import { OperationsDashboard } from "../modules/operations/operations-dashboard.js";
import { cdcLatency, failureQueueMessages, lambdaErrors, replicationSlotLag, Signal, targetFreeStorage, validationFailures } from "../modules/operations/signals.js";

export interface OperationsThresholds {
  readonly validationFailures: number;
  readonly targetFreeStorageGib: number;
  readonly replicationSlotLagMb: number;
  readonly failureQueueMessages: number;
  readonly lambdaErrors: number;
}

export interface OperationsStackProps {
  readonly dashboard: boolean;
  /** Alarms to the DMS events topic (only with DMS and a subscriber; config decides). */
  readonly alarms: boolean;
  readonly thresholds: OperationsThresholds;
}

export interface OperationsWiringContext {
  readonly props: OperationsStackProps;
  /** `<project>-<environment>`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly dms?: DmsMigration;
  readonly database?: PostgresDatabase;
  readonly simulatedSource?: PostgresDatabase;
}

export function wireOperations(scope: Construct, context: OperationsWiringContext): void {
  const { props } = context;
  const signals = environmentSignals(scope, context);
  const alarms =
    props.alarms && context.dms
      ? new OperationsAlarms(scope, "operations_alarms", { name: context.namePrefix, signals, actions: [context.dms.notifications.topic.arn] })
      : undefined;
  if (props.dashboard) {
    const name = `${context.namePrefix}-operations`;
    new OperationsDashboard(scope, "operations", {
      name,
      region: context.region,
      signals,
      alarmArns: [...(alarms?.alarms ?? []).map((alarm) => alarm.arn), ...(context.dms?.cdcLatencyAlarmArns ?? [])],
    });
    new TerraformOutput(scope, "operations_dashboard_name", { value: name, description: "CloudWatch dashboard of this environment (console: CloudWatch > Dashboards)" });
  }
}

function environmentSignals(scope: Construct, context: OperationsWiringContext): Signal[] {
  const { thresholds } = context.props;
  const signals: Signal[] = [];
  const dms = context.dms;
  for (const [key, task] of Object.entries(dms?.tasks ?? {})) {
    const dimensions = dms!.metricDimensions(task);
    signals.push(validationFailures(key, key, dimensions, thresholds.validationFailures));
    if (task.includesCdc) signals.push(cdcLatency(key, key, dimensions));
  }
  if (context.database) signals.push(targetFreeStorage(context.database.engine, context.database.identifier, thresholds.targetFreeStorageGib));
  if (context.simulatedSource) signals.push(replicationSlotLag(context.simulatedSource.engine, context.simulatedSource.identifier, thresholds.replicationSlotLagMb));
  for (const construct of scope.node.findAll()) {
    if (construct instanceof SqsQueue) signals.push(failureQueueMessages(ownerId(scope, construct, "failure_queue"), construct.name, thresholds.failureQueueMessages));
    if (construct instanceof LambdaFunction) signals.push(lambdaErrors(ownerId(scope, construct, "function"), construct.functionName, thresholds.lambdaErrors));
  }
  return signals;
}

/**
 * A readable, unique id for a resource: its construct path under the stack, without the generic
 * last id (`csv_pipeline/function` → `csv-pipeline`), so alarm names stay stable and short.
 */
function ownerId(stack: Construct, resource: Construct, genericId: string): string {
  const path = resource.node.scopes.slice(stack.node.scopes.length).map((node) => node.node.id);
  if (path.length > 1 && path[path.length - 1] === genericId) path.pop();
  return path.join("-").replace(/_/g, "-");
}
