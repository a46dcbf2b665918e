// The signals of the operations view: which CloudWatch metric says what about a migration, with
// the namespace, metric name and dimensions AWS publishes it under. The dashboard graphs every
// signal; the alarms fire on those that have a threshold. Kept as data so one list feeds both.

/** One CloudWatch metric and, when it has one, the threshold an alarm watches. */
export interface Signal {
  /** Construct id and alarm name suffix, e.g. `orders-validation-failures`. */
  readonly id: string;
  /** Dashboard widget title and alarm description. */
  readonly title: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: "Average" | "Sum" | "Maximum" | "Minimum";
  /** Seconds per datapoint. */
  readonly period: number;
  readonly alarm?: SignalAlarm;
}

export interface SignalAlarm {
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** A metric that is not published is not a problem (a stopped task, an idle function). @default "notBreaching" */
  readonly treatMissingData?: "notBreaching" | "breaching" | "missing";
}

const FIVE_MINUTES = 300;
const GIB = 1024 ** 3;

/** Where an RDS database's metrics are published: per instance, or per Aurora cluster's writer. */
function rdsDimensions(engine: "postgres" | "aurora-postgresql", identifier: string): Record<string, string> {
  return engine === "aurora-postgresql" ? { DBClusterIdentifier: identifier, Role: "WRITER" } : { DBInstanceIdentifier: identifier };
}

/** DMS row validation: rows that differ between source and target (ValidationFailedOverallCount, per task). */
export function validationFailures(id: string, task: string, dimensions: Readonly<Record<string, string>>, threshold: number): Signal {
  return {
    id: `${id}-validation-failures`,
    title: `DMS ${task}: rows failing validation`,
    namespace: "AWS/DMS",
    metricName: "ValidationFailedOverallCount",
    dimensions,
    statistic: "Maximum",
    period: FIVE_MINUTES,
    alarm: { comparison: "GreaterThanThreshold", threshold },
  };
}

/** Free storage of the target: FreeStorageSpace on RDS; on Aurora (storage grows by itself) the writer's FreeLocalStorage, which temporary tables and sorts fill. */
export function targetFreeStorage(engine: "postgres" | "aurora-postgresql", identifier: string, thresholdGib: number): Signal {
  const aurora = engine === "aurora-postgresql";
  return {
    id: "target-free-storage",
    title: aurora ? "Target: free local storage of the writer (bytes)" : "Target: free storage (bytes)",
    namespace: "AWS/RDS",
    metricName: aurora ? "FreeLocalStorage" : "FreeStorageSpace",
    dimensions: rdsDimensions(engine, identifier),
    statistic: "Minimum",
    period: FIVE_MINUTES,
    alarm: { comparison: "LessThanThreshold", threshold: thresholdGib * GIB, evaluationPeriods: 2 },
  };
}

/** WAL held behind the oldest replication slot of an AWS PostgreSQL source (OldestReplicationSlotLag, MB): a slot nobody reads fills the source's disk. */
export function replicationSlotLag(engine: "postgres" | "aurora-postgresql", identifier: string, thresholdMb: number): Signal {
  return {
    id: "source-replication-slot-lag",
    title: "Source: WAL behind the oldest replication slot (MB)",
    namespace: "AWS/RDS",
    metricName: "OldestReplicationSlotLag",
    dimensions: rdsDimensions(engine, identifier),
    statistic: "Maximum",
    period: FIVE_MINUTES,
    alarm: { comparison: "GreaterThanThreshold", threshold: thresholdMb, evaluationPeriods: 3 },
  };
}

/** Events a function gave up on, waiting in its failure queue. */
export function failureQueueMessages(id: string, queueName: string, threshold: number): Signal {
  return {
    id: `${id}-failures-waiting`,
    title: `${queueName}: failed events waiting`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queueName },
    statistic: "Maximum",
    period: FIVE_MINUTES,
    alarm: { comparison: "GreaterThanThreshold", threshold },
  };
}

/** Invocations that ended in an error. */
export function lambdaErrors(id: string, functionName: string, threshold: number): Signal {
  return {
    id: `${id}-errors`,
    title: `${functionName}: errors`,
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: functionName },
    statistic: "Sum",
    period: FIVE_MINUTES,
    alarm: { comparison: "GreaterThanThreshold", threshold },
  };
}

/** How far a CDC task's target is behind the source (graphed; CdcLatencyAlarms alarms on it). */
export function cdcLatency(id: string, task: string, dimensions: Readonly<Record<string, string>>): Signal {
  return {
    id: `${id}-cdc-latency-target`,
    title: `DMS ${task}: CDC latency, target (s)`,
    namespace: "AWS/DMS",
    metricName: "CDCLatencyTarget",
    dimensions,
    statistic: "Average",
    period: FIVE_MINUTES,
  };
}
