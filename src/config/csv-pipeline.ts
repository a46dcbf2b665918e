// The CSV pipeline: CSV objects uploaded under a prefix of the inbox bucket are loaded into a
// PostgreSQL table of the target database. A load is validated with the handler's own rule schema,
// so config time and run time agree on what a valid load is.
import { z } from "zod";
import { checkLoadRule, loadRuleFields } from "../../modules/csv-pipeline/handler/load-rules.js";
import type { CsvPipelineSettings } from "../../stacks/environment-stack.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { bucketName, logRetentionDays } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

/**
 * A load: the handler's own rule schema (the same one CSV_LOADS is parsed with at run time), with
 * the prefix narrowed to what an S3 notification filter takes.
 */
const load = z
  .strictObject({
    ...loadRuleFields,
    prefix: loadRuleFields.prefix.regex(/^[A-Za-z0-9!_.*'()/-]+\/$/, "expected an S3 key prefix ending in '/', such as imports/accounts/"),
  })
  .superRefine(checkLoadRule);

const csvPipelineSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Create the CSV pipeline. Needs the target database."),
    bucket_name: bucketName.optional().describe("Use this existing bucket as the inbox (its notification configuration is then owned by this stack). Default: a new hardened bucket."),
    kms_key_arn: z.string().regex(/^arn:aws[a-z-]*:kms:/, "expected a KMS key ARN").optional().describe("KMS key for the inbox bucket. Default: S3-managed encryption."),
    force_destroy: z.boolean().default(false).describe("Let `terraform destroy` delete a non-empty inbox. Refused in protected environments."),
    loads: z.array(load).default([]).describe("The loads: which prefix goes to which table, and how."),
    post_load_action: z.enum(["tag", "move"]).default("tag").describe("tag: objects get csv-pipeline-status=loaded|failed; move: objects are moved to processed/ or failed/."),
    reserved_concurrency: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("Reserve this much Lambda concurrency (at most this many loads at once). Default: none, since reserving fails in accounts whose concurrency quota is at its minimum; loads into one table are serialized by an advisory lock anyway."),
    timeout_seconds: z.number().int().min(30).max(900).default(900).describe("Lambda timeout; one object must load within it."),
    memory_mb: z.number().int().min(128).max(10240).default(512).describe("Lambda memory (CPU scales with it). The handler streams, so size does not grow with the file."),
    maximum_retry_attempts: z.number().int().min(0).max(2).default(2).describe("Retries of a failed invocation before the event goes to the failure queue."),
    maximum_event_age_seconds: z.number().int().min(60).max(21600).default(21600).describe("Age after which an undelivered event goes to the failure queue."),
    log_retention_days: logRetentionDays.default(30).describe("Retention of the function's logs."),
  })
  .prefault({})
  .describe("The S3-triggered CSV to PostgreSQL pipeline.");

export const csvPipelineKeys = { csv_pipeline: csvPipelineSection };

export const csvPipelineCheck = crossCheck(["csv_pipeline", "database"], (config, context, issue) => {
  const pipeline = config.csv_pipeline;
  if (!pipeline.enabled) return;

  if (!config.database.enabled) {
    issue(["csv_pipeline", "enabled"], "the CSV pipeline loads into the target database, which is not enabled", "true", "database.enabled true, or csv_pipeline.enabled false");
  }
  if (pipeline.loads.length === 0) {
    issue(["csv_pipeline", "loads"], "no loads configured", "an empty list", "at least one { prefix, table, mode }");
  }
  if (pipeline.force_destroy && context.isProtected) {
    issue(["csv_pipeline", "force_destroy"], "force_destroy in a protected environment", "true", "false: a protected inbox is never emptied by terraform destroy");
  }

  pipeline.loads.forEach((load, index) => {
    pipeline.loads.forEach((other, otherIndex) => {
      if (otherIndex > index && (other.prefix.startsWith(load.prefix) || load.prefix.startsWith(other.prefix))) {
        issue(["csv_pipeline", "loads", otherIndex, "prefix"], `overlaps the prefix of load ${index} ("${load.prefix}"); S3 refuses overlapping notifications`, JSON.stringify(other.prefix), "prefixes where neither starts with the other");
      }
    });
    if (pipeline.post_load_action === "move" && /^(processed|failed)\//.test(load.prefix)) {
      issue(["csv_pipeline", "loads", index, "prefix"], "with post_load_action move, processed/ and failed/ hold moved objects", JSON.stringify(load.prefix), "a prefix outside processed/ and failed/");
    }
  });
});

export function csvPipelineProps(config: Pick<EnvironmentConfig, "csv_pipeline">, context: ConfigContext): CsvPipelineSettings | undefined {
  const isProtected = context.isProtected;
  const pipeline = config.csv_pipeline;
  if (!pipeline.enabled) return undefined;
  return {
    existingBucketName: pipeline.bucket_name,
    bucketKmsKeyArn: pipeline.kms_key_arn,
    forceDestroy: pipeline.force_destroy && !isProtected,
    protect: isProtected,
    loads: pipeline.loads.map((load) => ({
      prefix: load.prefix,
      table: load.table,
      mode: load.mode,
      key: load.key,
      delimiter: load.delimiter,
      null: load.null,
      encoding: load.encoding,
      allowEmpty: load.allow_empty,
    })),
    postLoadAction: pipeline.post_load_action,
    reservedConcurrency: pipeline.reserved_concurrency,
    timeoutSeconds: pipeline.timeout_seconds,
    memoryMb: pipeline.memory_mb,
    maximumRetryAttempts: pipeline.maximum_retry_attempts,
    maximumEventAgeSeconds: pipeline.maximum_event_age_seconds,
    logRetentionDays: pipeline.log_retention_days,
  };
}
