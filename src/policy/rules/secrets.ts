// Secrets Manager secrets and the Parameter Store tree the application reads.
import type { PolicyRule } from "../types.js";

const SECRET = "aws_secretsmanager_secret";
const PARAMETER = "aws_ssm_parameter";
const SECRET_PARAMETER_NAME = /(password|passwd|secret|token|credential|private[_-]?key|api[_-]?key|connection[_-]?string)/i;
const CREDENTIAL_VALUE = /(:\/\/[^/\s:@]+:[^/\s@]+@|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;

export const secretsRules: readonly PolicyRule[] = [
  {
    id: "LZ-SEC-001",
    title: "Secrets are encrypted with a customer managed KMS key",
    severity: "error",
    checkov: ["CKV_AWS_149"],
    resourceTypes: [SECRET],
    fix: "Set kms_key_id to a customer managed key of the stack, whose key policy lets DMS and the readers decrypt.",
    check: (secret) => (secret.isSet("kms_key_id") ? [] : ["kms_key_id is not set (aws/secretsmanager key)"]),
  },
  {
    id: "LZ-SEC-002",
    title: "Secrets keep a recovery window",
    severity: "error",
    checkov: [],
    resourceTypes: [SECRET],
    fix: "Leave recovery_window_in_days at 7-30 (30 by default); 0 deletes the secret at once on destroy, with no way back.",
    check: (secret) => (secret.value<number>("recovery_window_in_days") === 0 ? ["recovery_window_in_days = 0"] : []),
  },
  {
    id: "LZ-SSM-001",
    title: "Secret parameters are SecureString",
    severity: "error",
    checkov: ["CKV2_AWS_34"],
    resourceTypes: [PARAMETER],
    fix: 'Set type = "SecureString", or better keep the secret in Secrets Manager and store its ARN in the parameter.',
    check: (parameter) => {
      const type = parameter.value<string>("type");
      // A value known only after apply comes from a resource (a secret's ARN, an endpoint), not a literal.
      if (type === "SecureString" || !parameter.get("type").known || !parameter.get("value").known) return [];
      const name = parameter.value<string>("name") ?? "";
      const value = parameter.value<string>("value") ?? parameter.value<string>("insecure_value") ?? "";
      if (CREDENTIAL_VALUE.test(value)) return [`type ${type} holds a credential`];
      const leaf = name.split("/").pop() ?? "";
      const pointer = /[_-](arn|id|name)$/i.test(leaf) || value.startsWith("arn:");
      return SECRET_PARAMETER_NAME.test(leaf) && !pointer ? [`${name} is named like a secret but is type ${type}`] : [];
    },
  },
  {
    id: "LZ-SSM-002",
    title: "SecureString parameters use a customer managed KMS key",
    severity: "warning",
    checkov: ["CKV_AWS_337"],
    resourceTypes: [PARAMETER],
    fix: "Set key_id to a customer managed key of the stack.",
    check: (parameter) => (parameter.value<string>("type") === "SecureString" && !parameter.isSet("key_id") ? ["key_id is not set (aws/ssm key)"] : []),
  },
];
