// The environment as a whole: its region, name, project, protection, topology, state backend and
// the tags on every resource. These keys feed the context every other capability reads.
import { z } from "zod";
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from "../../modules/core/naming.js";
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { accountStateBucket } from "./account.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { awsRegion, bucketName, tagMap } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

export const environmentKeys = {
  $schema: z.string().optional().describe("Path of the JSON Schema, for editors. Ignored by the loader."),
  region: awsRegion.describe("AWS region the environment is deployed to."),
  environment: z
    .string()
    .regex(ENVIRONMENT_NAME_PATTERN, `expected ${ENVIRONMENT_NAME_RULE}`)
    .optional()
    .describe("Environment name, used in resource names and the Environment tag. Default: the directory name."),
  project: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, "expected 1-16 lowercase letters, digits and hyphens, starting with a letter")
    .default("dms-lz")
    .describe("Project name, used in the Parameter Store path and some resource names."),
  protected: z
    .boolean()
    .optional()
    .describe("Protected environment: deletion protection, final snapshots, prevent_destroy, Multi-AZ. Default: true when the environment is prod or production."),
  topology: z
    .enum(["three_vpc", "single_vpc"])
    .default("three_vpc")
    .describe("three_vpc: source, DMS and target VPCs joined by two PrivateLink hops (the aws-samples layout). single_vpc: app, DMS and database side by side in one VPC."),
  backend_bucket: z
    .string()
    .optional()
    .describe("S3 bucket for Terraform state (key `<env>/terraform.tfstate`). A value ending in `-` (as in the aws-samples file) is a prefix: the environment name is appended. No value: the account's bootstrap bucket `dms-lz-tfstate-<account_id>-<region>` with `account_id`, else local state."),
  backend: z
    .strictObject({
      bucket: bucketName.optional().describe("S3 bucket for Terraform state; overrides `backend_bucket`."),
      key: z
        .string()
        .regex(/^[A-Za-z0-9!_.*'()/=-]+$/, "expected an S3 object key of letters, digits and !_.*'()/=- (the backend block takes it literally)")
        .optional()
        .describe("State object key. Default: `<env>/terraform.tfstate`."),
      region: awsRegion.optional().describe("Region of the state bucket. Default: `region`."),
      kms_key_id: z
        .string()
        .regex(/^[A-Za-z0-9:/_-]+$/, "expected a KMS key ID, key ARN, alias or alias ARN")
        .optional()
        .describe("KMS key for the state object. Default: the bucket's encryption."),
    })
    .optional()
    .describe("S3 backend settings beyond `backend_bucket`. State is always encrypted and locked with S3's native lock file."),
  common_tags: tagMap.default({}).describe("Tags on every resource (provider default_tags), with Environment and ManagedBy added."),
};

/** `backend_bucket` as the state bucket: a value ending in `-` is a prefix for the environment name. */
function backendBucket(backendBucketKey: string | undefined, environment: string): string | undefined {
  return backendBucketKey?.endsWith("-") ? `${backendBucketKey}${environment}` : backendBucketKey;
}

export const environmentCheck = crossCheck(["backend_bucket", "backend"], (config, context, issue) => {
  if (config.backend_bucket !== undefined && config.backend?.bucket === undefined) {
    const bucket = backendBucket(config.backend_bucket, context.environment)!;
    if (!bucketName.safeParse(bucket).success) {
      issue(["backend_bucket"], `"${bucket}" is not a valid S3 bucket name`, JSON.stringify(config.backend_bucket), "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (a value ending in '-' is a prefix for the environment name)");
    }
  }
});

export function stateBackendProps(config: Pick<EnvironmentConfig, "backend_bucket" | "backend" | "region" | "account_id">, context: ConfigContext): EnvironmentStackProps["backend"] {
  const bucket = config.backend?.bucket ?? backendBucket(config.backend_bucket, context.environment) ?? accountStateBucket(config.account_id, config.backend?.region ?? config.region);
  if (!bucket) return undefined;
  return {
    bucket,
    key: config.backend?.key ?? `${context.environment}/terraform.tfstate`,
    region: config.backend?.region ?? config.region,
    kmsKeyId: config.backend?.kms_key_id,
  };
}

export function tagProps(config: Pick<EnvironmentConfig, "common_tags">, context: ConfigContext): Readonly<Record<string, string>> {
  return { ...config.common_tags, Environment: context.environment, ManagedBy: "dms-landing-zone" };
}
