// AWS DMS: the replication instance and its PostgreSQL endpoints.
import type { PlannedResource } from "../plan-resources.js";
import type { PolicyRule } from "../types.js";
import { checkAttribute } from "./attribute-check.js";

const INSTANCE = "aws_dms_replication_instance";
const ENDPOINT = "aws_dms_endpoint";
const TLS_MODES = ["require", "verify-ca", "verify-full"];

const isDatabaseEndpoint = (endpoint: PlannedResource) => /postgres|mysql|mariadb|oracle|sqlserver|db2|sybase/.test(endpoint.value<string>("engine_name") ?? "postgres");

export const dmsRules: readonly PolicyRule[] = [
  {
    id: "LZ-DMS-001",
    title: "Replication instance is not publicly accessible",
    severity: "error",
    checkov: ["CKV_AWS_89"],
    resourceTypes: [INSTANCE],
    fix: "Set publicly_accessible = false explicitly: left unset, AWS decides, and a public IP makes the instance reachable from the internet.",
    check: (instance) => {
      return checkAttribute(instance, ["publicly_accessible"], (value) => value === false, (value) => (value === undefined ? "publicly_accessible is not set; AWS chooses at create time" : `publicly_accessible = ${JSON.stringify(value)}`));
    },
  },
  {
    id: "LZ-DMS-002",
    title: "Database endpoints use TLS",
    severity: "error",
    checkov: ["CKV2_AWS_49"],
    resourceTypes: [ENDPOINT],
    fix: `Set ssl_mode to one of ${TLS_MODES.join(", ")} (require through a PrivateLink hop, whose host name is not the certificate's).`,
    check: (endpoint) => {
      if (!isDatabaseEndpoint(endpoint)) return [];
      return checkAttribute(endpoint, ["ssl_mode"], (mode) => TLS_MODES.includes(String(mode ?? "none")), (mode) => (mode === undefined ? "ssl_mode is not set (DMS defaults to none)" : `ssl_mode = ${JSON.stringify(mode)}`));
    },
  },
  {
    id: "LZ-DMS-003",
    title: "Database endpoints take credentials from Secrets Manager",
    severity: "error",
    checkov: [],
    resourceTypes: [ENDPOINT],
    fix: "Set secrets_manager_arn and secrets_manager_access_role_arn on the endpoint and leave username and password unset.",
    check: (endpoint) => {
      if (!isDatabaseEndpoint(endpoint)) return [];
      const problems: string[] = [];
      if (endpoint.isSet("password")) problems.push("password is set on the endpoint (it lands in state and plan in plaintext)");
      if (!endpoint.isSet("secrets_manager_arn")) problems.push("secrets_manager_arn is not set");
      else if (!endpoint.isSet("secrets_manager_access_role_arn")) problems.push("secrets_manager_access_role_arn is not set");
      return problems;
    },
  },
  {
    id: "LZ-DMS-004",
    title: "Replication instance storage is encrypted with a customer managed KMS key",
    severity: "error",
    checkov: ["CKV_AWS_212"],
    resourceTypes: [INSTANCE],
    fix: "Set kms_key_arn to a customer managed key of the stack.",
    check: (instance) => (instance.isSet("kms_key_arn") ? [] : ["kms_key_arn is not set (AWS managed key)"]),
  },
  {
    id: "LZ-DMS-005",
    title: "Endpoint connection settings are encrypted with a customer managed KMS key",
    severity: "warning",
    checkov: ["CKV_AWS_296"],
    resourceTypes: [ENDPOINT],
    fix: "Set kms_key_arn on the endpoint to a customer managed key of the stack.",
    check: (endpoint) => (endpoint.isSet("kms_key_arn") ? [] : ["kms_key_arn is not set (AWS managed key)"]),
  },
  {
    id: "LZ-DMS-006",
    title: "Replication instance is Multi-AZ in protected environments",
    severity: "error",
    checkov: [],
    resourceTypes: [INSTANCE],
    protectedOnly: true,
    fix: "Set multi_az = true so a standby in another AZ takes over a running CDC task.",
    check: (instance) => checkAttribute(instance, ["multi_az"], (value) => value === true, () => "multi_az is not true"),
  },
];
