// The validated `csv_pipeline` section → the stack's CsvPipelineSettings.
import type { CsvPipelineSettings } from "../../../stacks/environment-stack.js";
import type { EnvironmentConfig } from "../schema.js";

export function csvPipelineProps(config: EnvironmentConfig, isProtected: boolean): CsvPipelineSettings | undefined {
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
