// The CSV pipeline: CSV objects uploaded under a prefix of the inbox bucket are loaded into a
// PostgreSQL table of the target database.
import { z } from "zod";
import { bucketName } from "../fields.js";

const load = z.strictObject({
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]+\/$/, "expected an S3 key prefix ending in '/', such as imports/accounts/")
    .describe("Key prefix in the inbox bucket; `.csv` objects under it are loaded."),
  table: z.string().min(1).describe("Target table, optionally schema-qualified (`public.accounts`). Checked against PostgreSQL's identifier rules and always quoted."),
  mode: z
    .enum(["replace", "append", "upsert"])
    .describe("replace: the table's rows become the file's, swapped in within one transaction; append: rows are added; upsert: rows are inserted or updated on `key`."),
  key: z.array(z.string().min(1)).optional().describe("Conflict columns of an upsert (a unique index on exactly these columns must exist)."),
  delimiter: z.string().length(1).optional().describe("Field delimiter. Default `,`."),
  null: z.string().optional().describe("The unquoted text that means NULL. Default: an empty unquoted field."),
  encoding: z.string().optional().describe("PostgreSQL name of the file's encoding. Default `UTF8`."),
  allow_empty: z.boolean().optional().describe("Let a header-only file empty the table in replace mode. Default false: such a file fails and the table is kept."),
});

export const csvPipelineSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Create the CSV pipeline. Needs the target database."),
    bucket_name: bucketName.optional().describe("Use this existing bucket as the inbox (its notification configuration is then owned by this stack). Default: a new hardened bucket."),
    kms_key_arn: z.string().regex(/^arn:aws[a-z-]*:kms:/, "expected a KMS key ARN").optional().describe("KMS key for the inbox bucket. Default: S3-managed encryption."),
    force_destroy: z.boolean().default(false).describe("Let `terraform destroy` delete a non-empty inbox. Refused in protected environments."),
    loads: z.array(load).default([]).describe("The loads: which prefix goes to which table, and how."),
    post_load_action: z.enum(["tag", "move"]).default("tag").describe("tag: objects get csv-pipeline-status=loaded|failed; move: objects are moved to processed/ or failed/."),
    reserved_concurrency: z.number().int().min(1).max(100).default(2).describe("Loads running at once at most. Loads into one table are serialized anyway."),
    timeout_seconds: z.number().int().min(30).max(900).default(900).describe("Lambda timeout; one object must load within it."),
    memory_mb: z.number().int().min(128).max(10240).default(512).describe("Lambda memory (CPU scales with it). The handler streams, so size does not grow with the file."),
    maximum_retry_attempts: z.number().int().min(0).max(2).default(2).describe("Retries of a failed invocation before the event goes to the failure queue."),
    maximum_event_age_seconds: z.number().int().min(60).max(21600).default(21600).describe("Age after which an undelivered event goes to the failure queue."),
    log_retention_days: z.number().int().min(1).default(30).describe("Retention of the function's logs."),
  })
  .prefault({})
  .describe("The S3-triggered CSV to PostgreSQL pipeline.");
