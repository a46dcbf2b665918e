// The schema of one environment's merged `variables/<env>/*.tfvars.json`. Keys are snake_case as
// Terraform users write them. The aws-samples keys stay at the top level exactly as that sample
// spells them; every newer setting lives in its own section so such a file still parses.
// This one schema drives validation, the JSON Schema editors use, and the README's reference.
import { z } from "zod";
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from "../../modules/core/naming.js";
import { awsRegion, bucketName, tagMap } from "./fields.js";
import { existingNetworkSection, importsSection } from "./sections/adoption.js";
import { applicationSection, parametersSection } from "./sections/application.js";
import { databaseSection } from "./sections/database.js";
import { dmsSection } from "./sections/dms.js";
import { csvPipelineSection } from "./sections/csv-pipeline.js";
import { mediaSection } from "./sections/media.js";
import { networkSection, samplesNetworkKeys } from "./sections/network.js";
import { policySection } from "./sections/policy.js";
import { secretsSection } from "./sections/secrets.js";
import { sourceSection } from "./sections/source.js";

export const environmentSchema = z.strictObject({
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
    .describe("S3 bucket for Terraform state (key `<env>/terraform.tfstate`). A value ending in `-` (as in the aws-samples file) is a prefix: the environment name is appended. No value: local state."),
  backend: z
    .strictObject({
      bucket: bucketName.optional().describe("S3 bucket for Terraform state; overrides `backend_bucket`."),
      key: z.string().min(1).optional().describe("State object key. Default: `<env>/terraform.tfstate`."),
      region: awsRegion.optional().describe("Region of the state bucket. Default: `region`."),
      kms_key_id: z.string().min(1).optional().describe("KMS key for the state object. Default: the bucket's encryption."),
    })
    .optional()
    .describe("S3 backend settings beyond `backend_bucket`. State is always encrypted and locked with S3's native lock file."),
  common_tags: tagMap.default({}).describe("Tags on every resource (provider default_tags), with Environment and ManagedBy added."),
  ...samplesNetworkKeys,
  network: networkSection,
  source: sourceSection,
  application: applicationSection,
  parameters: parametersSection,
  database: databaseSection,
  dms: dmsSection,
  secrets: secretsSection,
  media: mediaSection,
  csv_pipeline: csvPipelineSection,
  policy: policySection,
  existing_network: existingNetworkSection,
  imports: importsSection,
});

export type EnvironmentConfig = z.output<typeof environmentSchema>;
