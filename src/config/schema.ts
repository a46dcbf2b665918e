// The schema of one environment's merged `variables/<env>/*.tfvars.json`, put together from the
// capabilities' keys. Keys are snake_case as Terraform users write them. The aws-samples keys stay
// at the top level exactly as that sample spells them; every newer setting lives in its own
// section so such a file still parses. This one schema drives validation, the JSON Schema editors
// use, and the README's reference.
import { z } from "zod";
import { accountKeys } from "./account.js";
import { adoptionKeys } from "./adoption.js";
import { applicationKeys } from "./application.js";
import { csvPipelineKeys } from "./csv-pipeline.js";
import { databaseKeys } from "./database.js";
import { dmsKeys } from "./dms.js";
import { environmentKeys } from "./environment.js";
import { mediaKeys } from "./media.js";
import { operationsKeys } from "./operations.js";
import { networkKeys, samplesNetworkKeys } from "./network.js";
import { policyKeys } from "./policy.js";
import { normalizeSamplesVpcs, samplesVpcKeys } from "./samples-vpcs.js";
import { secretsKeys } from "./secrets.js";
import { sourceKeys, sourcesKeys } from "./source.js";

/** Every top-level key, as written in the files. */
export const environmentShape = {
  ...environmentKeys,
  ...accountKeys,
  ...samplesVpcKeys,
  ...samplesNetworkKeys,
  ...networkKeys,
  ...sourceKeys,
  ...sourcesKeys,
  application: applicationKeys.application,
  parameters: applicationKeys.parameters,
  ...databaseKeys,
  ...dmsKeys,
  ...secretsKeys,
  ...mediaKeys,
  ...operationsKeys,
  ...csvPipelineKeys,
  ...policyKeys,
  ...adoptionKeys,
};

export const environmentSchema = z.strictObject(environmentShape).transform(normalizeSamplesVpcs);

/** The parsed config: the aws-samples VPC keys gathered into `vpcs`. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
