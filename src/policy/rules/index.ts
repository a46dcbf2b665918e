// The policy pack: every rule, in report order.
import type { PolicyRule } from "../types.js";
import { cloudFrontRules } from "./cloudfront.js";
import { databaseRules } from "./database.js";
import { dmsRules } from "./dms.js";
import { iamRules } from "./iam.js";
import { lambdaRules } from "./lambda.js";
import { networkRules } from "./network.js";
import { readinessRules } from "./readiness.js";
import { s3Rules } from "./s3.js";
import { secretsRules } from "./secrets.js";

export const POLICY_RULES: readonly PolicyRule[] = [
  ...databaseRules,
  ...dmsRules,
  ...s3Rules,
  ...cloudFrontRules,
  ...lambdaRules,
  ...networkRules,
  ...iamRules,
  ...secretsRules,
  ...readinessRules,
];
