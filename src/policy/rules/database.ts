// RDS PostgreSQL and Aurora PostgreSQL: the target database and the optional simulated source.
import type { PlannedResource } from "../plan-resources.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { checkAttribute } from "./attribute-check.js";

const INSTANCE = "aws_db_instance";
const CLUSTER = "aws_rds_cluster";
const CLUSTER_INSTANCE = "aws_rds_cluster_instance";
const MIN_PROTECTED_RETENTION_DAYS = 7;

const isPostgres = (resource: PlannedResource) => /postgres/.test(resource.value<string>("engine") ?? "postgres");

export const databaseRules: readonly PolicyRule[] = [
  {
    id: "LZ-DB-001",
    title: "Database storage is encrypted",
    severity: "error",
    checkov: ["CKV_AWS_16", "CKV_AWS_96"],
    resourceTypes: [INSTANCE, CLUSTER],
    fix: "Set storage_encrypted = true (with kms_key_id for a customer managed key); an existing unencrypted database needs a snapshot copy with encryption and a restore.",
    check: (db) => {
      // Aurora Serverless v1 storage is always encrypted (CKV_AWS_96); every other cluster and
      // instance is unencrypted unless storage_encrypted says otherwise.
      if (db.type === CLUSTER && db.value("engine_mode") === "serverless") return [];
      return checkAttribute(db, ["storage_encrypted"], (value) => value === true, (value) => (value === undefined ? "storage_encrypted is not set (unencrypted by default)" : `storage_encrypted = ${JSON.stringify(value)}`));
    },
  },
  {
    id: "LZ-DB-002",
    title: "Database is not publicly accessible",
    severity: "error",
    checkov: ["CKV_AWS_17"],
    resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
    fix: "Set publicly_accessible = false and place the database in private subnets; reach it through the PrivateLink hop or the workstation.",
    check: (db) => checkAttribute(db, ["publicly_accessible"], (value) => value !== true, () => "publicly_accessible = true"),
  },
  {
    id: "LZ-DB-003",
    title: "Deletion protection in protected environments",
    severity: "error",
    checkov: ["CKV_AWS_293", "CKV_AWS_139"],
    resourceTypes: [INSTANCE, CLUSTER],
    protectedOnly: true,
    fix: "Set deletion_protection = true (the database module does this when the environment is protected).",
    check: (db) => checkAttribute(db, ["deletion_protection"], (value) => value === true, () => "deletion_protection is not true"),
  },
  {
    id: "LZ-DB-004",
    title: `Automated backups kept at least ${MIN_PROTECTED_RETENTION_DAYS} days in protected environments`,
    severity: "error",
    checkov: ["CKV_AWS_133"],
    resourceTypes: [INSTANCE, CLUSTER],
    protectedOnly: true,
    fix: `Set backup_retention_period to ${MIN_PROTECTED_RETENTION_DAYS} or more days.`,
    check: (db) => checkAttribute(db, ["backup_retention_period"], (days) => Number(days ?? 0) >= MIN_PROTECTED_RETENTION_DAYS, (days) => `backup_retention_period = ${JSON.stringify(days ?? null)}`),
  },
  {
    id: "LZ-DB-005",
    title: "Final snapshot on deletion in protected environments",
    severity: "error",
    checkov: [],
    resourceTypes: [INSTANCE, CLUSTER],
    protectedOnly: true,
    fix: "Set skip_final_snapshot = false and a final_snapshot_identifier.",
    check: (db) => checkAttribute(db, ["skip_final_snapshot"], (value) => value !== true, () => "skip_final_snapshot = true"),
  },
  {
    id: "LZ-DB-006",
    title: "IAM database authentication is enabled",
    severity: "error",
    checkov: ["CKV_AWS_161", "CKV_AWS_162"],
    resourceTypes: [INSTANCE, CLUSTER],
    fix: "Set iam_database_authentication_enabled = true so people and tools connect with short-lived IAM tokens instead of shared passwords.",
    check: (db) => checkAttribute(db, ["iam_database_authentication_enabled"], (value) => value === true, () => "iam_database_authentication_enabled is not true"),
  },
  {
    id: "LZ-DB-007",
    title: "Database logs are exported to CloudWatch Logs",
    severity: "error",
    checkov: ["CKV_AWS_129", "CKV_AWS_324"],
    resourceTypes: [INSTANCE, CLUSTER],
    fix: 'Set enabled_cloudwatch_logs_exports = ["postgresql"] (add "upgrade" for RDS PostgreSQL if wanted).',
    check: (db) =>
      checkAttribute(
        db,
        ["enabled_cloudwatch_logs_exports"],
        (exports) => Array.isArray(exports) && exports.length > 0 && (!isPostgres(db) || exports.includes("postgresql")),
        (exports) => (Array.isArray(exports) && exports.length > 0 ? `enabled_cloudwatch_logs_exports ${JSON.stringify(exports)} lacks "postgresql"` : "enabled_cloudwatch_logs_exports is empty"),
      ),
  },
  {
    id: "LZ-DB-008",
    title: "TLS is forced for database connections",
    severity: "error",
    checkov: ["CKV2_AWS_69"],
    resourceTypes: [INSTANCE, CLUSTER],
    fix: 'Attach a parameter group (aws_db_parameter_group, or aws_rds_cluster_parameter_group for Aurora) that sets rds.force_ssl = "1".',
    check: (db, context) => {
      if (!isPostgres(db)) return [];
      const [attribute, groupType] = db.type === CLUSTER ? ["db_cluster_parameter_group_name", "aws_rds_cluster_parameter_group"] : ["parameter_group_name", "aws_db_parameter_group"];
      const groups = db.references(attribute).map((address) => context.resource(address)).filter((group): group is PlannedResource => group?.type === groupType);
      if (groups.length === 0) {
        return [`${attribute} ${JSON.stringify(db.value(attribute) ?? "(default)")} is not a parameter group of this stack, so rds.force_ssl cannot be seen to be 1`];
      }
      return groups.flatMap((group): CheckResult[] => {
        const forced = forcesSsl(group);
        return forced === true ? [] : forced === false ? [`${group.address} does not set rds.force_ssl = 1`] : [unverifiable(`${group.address}: its parameters are known only after apply`)];
      });
    },
  },
  {
    id: "LZ-DB-009",
    title: "Multi-AZ in protected environments",
    severity: "error",
    checkov: ["CKV_AWS_157"],
    resourceTypes: [INSTANCE, CLUSTER],
    protectedOnly: true,
    fix: "RDS: set multi_az = true. Aurora: run at least two cluster instances (a writer and a reader in another AZ).",
    check: (db, context) => {
      if (db.type === INSTANCE) return checkAttribute(db, ["multi_az"], (value) => value === true, () => "multi_az is not true");
      const members = context.referencing(CLUSTER_INSTANCE, "cluster_identifier", db).length;
      return members < 2 ? [`${members} cluster instance${members === 1 ? "" : "s"}; a second one in another AZ takes over on failure`] : [];
    },
  },
  {
    id: "LZ-DB-010",
    title: "Enhanced monitoring is enabled",
    severity: "warning",
    checkov: ["CKV_AWS_118"],
    resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
    fix: "Set monitoring_interval (for example 60) and monitoring_role_arn to a role with AmazonRDSEnhancedMonitoringRole.",
    check: (db) => checkAttribute(db, ["monitoring_interval"], (interval) => Number(interval ?? 0) > 0, (interval) => `monitoring_interval = ${JSON.stringify(interval ?? 0)}`),
  },
  {
    id: "LZ-DB-011",
    title: "prevent_destroy on databases in protected environments",
    severity: "error",
    checkov: [],
    resourceTypes: [INSTANCE, CLUSTER],
    protectedOnly: true,
    fix: "Add lifecycle { prevent_destroy = true } (the database module does this when the environment is protected); read from the synthesized JSON, as plan JSON does not carry lifecycle settings.",
    check: (db) => {
      const preventDestroy = db.preventDestroy;
      if (preventDestroy === undefined) return [unverifiable("lifecycle settings are not in plan JSON, and the synthesized JSON was not given")];
      return preventDestroy ? [] : ["lifecycle.prevent_destroy is not set"];
    },
  },
];

/** Whether the group sets rds.force_ssl = 1; undefined when its parameters are known only after apply. */
function forcesSsl(group: PlannedResource): boolean | undefined {
  const parameters = group.resolved("parameter");
  if (typeof parameters === "string") return undefined;
  const forced = ((parameters ?? []) as { name?: unknown; value?: unknown }[]).find((parameter) => parameter.name === "rds.force_ssl");
  if (forced === undefined) return false;
  return typeof forced.value === "string" && forced.value.includes("⟨") ? undefined : String(forced.value) === "1";
}
