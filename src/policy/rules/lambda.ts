// Lambda functions (the CSV pipeline, the target-sync function).
import type { PlannedResource, PolicyContext } from "../plan-resources.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { hasPlaceholder, placeholderExpressions } from "../unknown-values.js";
import { isSecretName, isSecretPointer, looksLikeSecret, secretAttributeReference } from "./secret-values.js";

const FUNCTION = "aws_lambda_function";

/** Whether a failure of the function ends up somewhere a person can see and replay it. */
function hasFailureDestination(fn: PlannedResource, context: PolicyContext): boolean {
  if (fn.isSet("dead_letter_config", 0, "target_arn")) return true;
  if (context.referencing("aws_lambda_function_event_invoke_config", "function_name", fn).some((config) => config.isSet("destination_config", 0, "on_failure", 0, "destination"))) return true;
  return context.referencing("aws_lambda_event_source_mapping", "function_name", fn).some((mapping) => {
    if (mapping.isSet("destination_config", 0, "on_failure", 0, "destination_arn")) return true;
    // An SQS source keeps failed messages on its queue, and its redrive policy moves them to a DLQ.
    return mapping.references("event_source_arn").some((address) => {
      const queue = context.resource(address);
      return queue?.type === "aws_sqs_queue" && queue.isSet("redrive_policy");
    });
  });
}

export const lambdaRules: readonly PolicyRule[] = [
  {
    id: "LZ-LMB-001",
    title: "Function runs in a VPC",
    severity: "error",
    checkov: ["CKV_AWS_117"],
    resourceTypes: [FUNCTION],
    fix: "Set vpc_config with private subnet_ids and a security group; reach AWS services through the VPC endpoints.",
    check: (fn) => (fn.isSet("vpc_config", 0, "subnet_ids") ? [] : ["no vpc_config subnets"]),
  },
  {
    id: "LZ-LMB-002",
    title: "Failed invocations go to an on-failure destination",
    severity: "error",
    checkov: ["CKV_AWS_116"],
    resourceTypes: [FUNCTION],
    fix: "Asynchronous invokes: a dead_letter_config or an aws_lambda_function_event_invoke_config with destination_config.on_failure. SQS-triggered: a redrive_policy on the source queue.",
    check: (fn, context) => (hasFailureDestination(fn, context) ? [] : ["failed events are dropped: no DLQ, on-failure destination or source queue redrive policy"]),
  },
  {
    id: "LZ-LMB-004",
    title: "No secrets in the function's environment",
    severity: "error",
    checkov: ["CKV_AWS_45"],
    resourceTypes: [FUNCTION],
    fix: "Put the secret in Secrets Manager and pass its ARN (e.g. DB_SECRET_ARN); the function reads it at run time.",
    check: (fn) => {
      const variables = fn.resolved("environment", 0, "variables");
      if (variables === undefined || variables === null) return [];
      if (typeof variables === "string") return [unverifiable(`the environment map is known only after apply (${variables}), so its names and values cannot be read`)];
      return Object.entries(variables as Record<string, unknown>).flatMap(([key, raw]): CheckResult[] => {
        if (typeof raw !== "string" || raw === "") return [];
        if (looksLikeSecret(raw)) return [`${key} holds a credential`];
        const secretReference = secretAttributeReference(raw);
        if (secretReference) return [`${key} is set from ${secretReference}, a secret value`];
        if (!isSecretName(key) || isSecretPointer(raw)) return [];
        if (!hasPlaceholder(raw)) return [`${key} looks like a secret held in plaintext`];
        return [unverifiable(`${key} is named like a secret and set from ${placeholderExpressions(raw).join(", ")}, known only after apply`)];
      });
    },
  },
];
