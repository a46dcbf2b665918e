// Secrets Manager secrets and the Parameter Store tree the application reads.
import type { PlannedResource, PolicyContext } from "../plan-resources.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { hasPlaceholder, isResourceAttribute, placeholderExpressions } from "../unknown-values.js";
import { checkAttribute } from "./attribute-check.js";
import { isSecretPointer, looksLikeSecret, secretAttributeReference } from "./secret-values.js";

const SECRET = "aws_secretsmanager_secret";
const PARAMETER = "aws_ssm_parameter";
/** AWS managed keys (`alias/aws/secretsmanager`, `aws/ssm`): their policy cannot be narrowed or shared. */
const AWS_MANAGED_KEY = /(^|[:/])aws\//;

/** Whether `kms_key_id` names a customer managed key: a key or alias of the stack, or a literal that is not an AWS managed alias. */
function customerManagedKey(resource: PlannedResource, context: PolicyContext, attribute: string): CheckResult[] {
  const key = resource.resolved(attribute);
  if (key === undefined || key === null || key === "") return [`${attribute} is not set (the AWS managed key)`];
  const text = String(key);
  if (AWS_MANAGED_KEY.test(text.replace(/⟨[^⟨⟩]*⟩/g, ""))) return [`${attribute} ${JSON.stringify(text)} is an AWS managed key`];
  if (!hasPlaceholder(text)) return [];
  const expressions = placeholderExpressions(text);
  const stackKeys = expressions.every((expression) => {
    if (!isResourceAttribute(expression) || expression.includes("data.")) return false;
    if (/(^|\.)aws_kms_key\./.test(expression)) return true;
    // An alias of the stack: AWS reserves alias/aws/, so the stack's aliases name customer keys.
    const alias = /^((?:module\.[\w-]+\.)*aws_kms_alias\.[\w-]+)/.exec(expression)?.[1];
    const name = alias ? context.resource(alias)?.value<string>("name") : undefined;
    return name !== undefined && !AWS_MANAGED_KEY.test(name);
  });
  return stackKeys ? [] : [unverifiable(`${attribute} is ${text}, known only after apply; it may be an AWS managed key`)];
}

export const secretsRules: readonly PolicyRule[] = [
  {
    id: "LZ-SEC-001",
    title: "Secrets are encrypted with a customer managed KMS key",
    severity: "error",
    checkov: ["CKV_AWS_149"],
    resourceTypes: [SECRET],
    fix: "Set kms_key_id to a customer managed key of the stack (not alias/aws/secretsmanager), whose key policy lets DMS and the readers decrypt.",
    check: (secret, context) => customerManagedKey(secret, context, "kms_key_id"),
  },
  {
    id: "LZ-SEC-002",
    title: "Secrets keep a recovery window",
    severity: "error",
    checkov: [],
    resourceTypes: [SECRET],
    fix: "Leave recovery_window_in_days at 7-30 (30 by default); 0 deletes the secret at once on destroy, with no way back.",
    check: (secret) => checkAttribute(secret, ["recovery_window_in_days"], (days) => days !== 0, () => "recovery_window_in_days = 0"),
  },
  {
    id: "LZ-SSM-001",
    title: "Parameters that hold secrets are SecureString",
    severity: "error",
    checkov: ["CKV2_AWS_34"],
    resourceTypes: [PARAMETER],
    fix: 'Set type = "SecureString", or better keep the secret in Secrets Manager and store its ARN in the parameter.',
    check: (parameter) => {
      // Judged by type and content, never by name: a String parameter must hold something that is
      // visibly not a secret (a literal that is no credential, or where a resource is).
      const type = parameter.resolved("type");
      if (type === "SecureString") return [];
      if (typeof type === "string" && hasPlaceholder(type)) return [unverifiable(`type is ${type}, known only after apply`)];
      const value = parameter.resolved("value") ?? parameter.resolved("insecure_value");
      if (value === undefined || value === null) return parameter.configured("value_wo") ? [unverifiable(`type ${String(type)} is written write-only (value_wo), so its content cannot be read`)] : [];
      const text = String(value);
      if (looksLikeSecret(text)) return [`type ${String(type)} holds a credential`];
      const secretReference = secretAttributeReference(text);
      if (secretReference) return [`type ${String(type)} is set from ${secretReference}, a secret value`];
      if (!hasPlaceholder(text) || isSecretPointer(text)) return [];
      return [unverifiable(`type ${String(type)} is set from ${placeholderExpressions(text).join(", ")}, known only after apply`)];
    },
  },
  {
    id: "LZ-SSM-002",
    title: "SecureString parameters use a customer managed KMS key",
    severity: "warning",
    checkov: ["CKV_AWS_337"],
    resourceTypes: [PARAMETER],
    fix: "Set key_id to a customer managed key of the stack.",
    check: (parameter, context) => (parameter.resolved("type") === "SecureString" ? customerManagedKey(parameter, context, "key_id") : []),
  },
];
