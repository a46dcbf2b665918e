// The operations view: a CloudWatch dashboard per environment and alarms on what needs someone's
// attention during a migration (validation failures, target storage, the source's replication
// slot, failure queues, function errors). Alarms notify the DMS events topic and, like the CDC
// latency alarms, exist only where someone receives them: without dms.notifications.emails there
// is nobody, so the thresholds below are shown on the dashboard but no alarm is created.
import { z } from "zod";
import type { OperationsStackProps } from "../../stacks/operations-wiring.js";
import type { EnvironmentConfig } from "./schema.js";

const operationsSection = z
  .strictObject({
    dashboard: z.boolean().default(true).describe("A CloudWatch dashboard named <project>-<environment>-operations graphing every signal below (and the CDC latency of each task)."),
    alarms: z
      .boolean()
      .default(true)
      .describe("Alarms on the signals below, notifying the DMS events topic. Created only when DMS is enabled and dms.notifications.emails has a subscriber (an alarm nobody receives is not made)."),
    validation_failures: z.number().int().min(0).default(0).describe("Alarm when a task's ValidationFailedOverallCount (rows that differ between source and target) is above this."),
    target_free_storage_gb: z
      .number()
      .min(1)
      .default(5)
      .describe("Alarm when the target's free storage (RDS FreeStorageSpace; Aurora: the writer's FreeLocalStorage, as Aurora's volume grows by itself) stays below this many GiB for 10 minutes."),
    replication_slot_lag_mb: z
      .number()
      .int()
      .min(1)
      .default(10240)
      .describe("Alarm when WAL held behind the simulated source's oldest replication slot (OldestReplicationSlotLag, MB) stays above this for 15 minutes: an unread slot fills the source's disk."),
    failure_queue_messages: z.number().int().min(0).default(0).describe("Alarm when a function's failure queue holds more than this many failed events."),
    lambda_errors: z.number().int().min(0).default(0).describe("Alarm when a function reports more errors than this in 5 minutes."),
  })
  .prefault({})
  .describe("The operations view: a CloudWatch dashboard and alarms with their thresholds. See docs/operations.md.");

export const operationsKeys = { operations: operationsSection };

export function operationsProps(config: Pick<EnvironmentConfig, "operations" | "dms">): OperationsStackProps {
  const ops = config.operations;
  return {
    dashboard: ops.dashboard,
    alarms: ops.alarms && config.dms.enabled && config.dms.notifications.emails.length > 0,
    thresholds: {
      validationFailures: ops.validation_failures,
      targetFreeStorageGib: ops.target_free_storage_gb,
      replicationSlotLagMb: ops.replication_slot_lag_mb,
      failureQueueMessages: ops.failure_queue_messages,
      lambdaErrors: ops.lambda_errors,
    },
  };
}
