// The target database: Aurora PostgreSQL (a cluster with readers, optionally Serverless v2) or RDS
// for PostgreSQL (one instance, optionally Multi-AZ). Defaults are current and safe; settings that
// depend on protection (deletion protection, Multi-AZ, readers, apply_immediately) default from
// it, and the check refuses weaker explicit values in a protected environment, settings that
// belong to the other engine, and combinations AWS would refuse only at apply time.
import { z } from "zod";
import type { DatabaseSettings, TargetDatabaseProps } from "../../stacks/database-wiring.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { kmsKeyArn, logRetentionDays, port } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

/**
 * The major version only: AWS picks the current minor and upgrades it automatically, and the
 * provider keeps a configured prefix ("17" against AWS's "17.7") without a diff. A full version
 * with automatic minor upgrades would make the first plan after an upgrade propose a downgrade.
 */
export const DEFAULT_ENGINE_VERSIONS = { "aurora-postgresql": "17", postgres: "17" } as const;

/** "17.6" names a minor; "17" only the major. */
export const pinsMinorVersion = (version: string) => version.includes(".");

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

export const databaseEngine = z.enum(["aurora-postgresql", "postgres"]);

export const engineVersion = z
  .string()
  .regex(/^(1[1-9]|[2-9]\d)(\.\d+){0,2}$/, "expected a PostgreSQL engine version such as 17.6 (11 or later; RDS also accepts a major version such as 17)");

export const instanceClass = z
  .string()
  .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$|^db\.serverless$/, "expected an RDS instance class such as db.t4g.medium or db.r7g.large");

export const databaseIdentifier = z
  .string()
  .regex(/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$/, "expected 2-40 lowercase letters, digits and hyphens, starting with a letter, with no trailing or double hyphen");

export const databaseName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "expected a PostgreSQL database name: a letter or underscore, then letters, digits and underscores (63 at most)");

export const masterUsername = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "expected a user name: a letter, then letters, digits and underscores (63 at most)")
  .refine((value) => !["rdsadmin", "rds_superuser", "rdsrepladmin", "public"].includes(value.toLowerCase()), "expected a user name RDS does not reserve (not rdsadmin, rds_superuser, rdsrepladmin or public)");

const parameterValue = z.union([z.string(), z.number()]).transform(String);

const parameterMap = z.record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, "expected a parameter name such as log_min_duration_statement"), parameterValue);

const databaseSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Create the target database. Without it the environment gets no database, DMS credentials or database parameters."),
    engine: databaseEngine.default("aurora-postgresql").describe("aurora-postgresql: an Aurora cluster (writer plus readers). postgres: one RDS for PostgreSQL instance."),
    engine_version: engineVersion
      .optional()
      .describe(`Engine version. Default: ${DEFAULT_ENGINE_VERSIONS.postgres} (the major version; AWS picks the minor and upgrades it). A full version (17.6) needs auto_minor_version_upgrade: false. The parameter group family follows the major version.`),
    instance_class: instanceClass.default("db.t4g.medium").describe("Instance class of the writer and readers (ignored with serverless_v2)."),
    readers: z
      .number()
      .int()
      .min(0)
      .max(15)
      .optional()
      .describe("aurora-postgresql: reader instances besides the writer. Default: 1 in protected environments (Multi-AZ), else 0."),
    serverless_v2: z
      .strictObject({
        min_capacity: z.number().min(0).max(256).multipleOf(0.5).describe("Minimum Aurora capacity units (0 pauses when idle, else 0.5 and up)."),
        max_capacity: z.number().min(1).max(256).multipleOf(0.5).describe("Maximum Aurora capacity units."),
      })
      .optional()
      .describe("aurora-postgresql: Serverless v2 scaling; the instances use the db.serverless class."),
    multi_az: z.boolean().optional().describe("postgres: a standby instance in a second AZ. Default: true in protected environments."),
    identifier: databaseIdentifier.optional().describe("Cluster or instance identifier, also the prefix of its subnet group, security group, parameter groups and roles. Default: <project>-<environment>-db."),
    port: port.default(5432).describe("Database port. In three_vpc it must equal network.target_hop.port."),
    database_name: databaseName.default("app").describe("Database created with the server; the DMS target endpoint and the application use it."),
    master_username: masterUsername.default("postgres").describe("Master user name."),
    master_password: z
      .enum(["generated", "rds_managed"])
      .default("generated")
      .describe(
        "generated: Terraform generates the password and writes it, write-only (never in plan or state), to the server and to the DMS target and application secrets. rds_managed: RDS generates and rotates it in its own secret (manage_master_user_password); DMS cannot use that secret (no host or port), so the DMS target secret is left for you to fill with a user you create (see docs/database.md).",
      ),
    master_password_version: z.number().int().min(1).default(1).describe("generated: bump to generate a new master password and write it to the server and its secrets."),
    backup_retention_days: z.number().int().min(1).max(35).default(7).describe("Days of automated backups (7 at least in protected environments)."),
    backup_window: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC window such as 03:00-04:00")
      .optional()
      .describe("Daily backup window, UTC hh24:mi-hh24:mi. Default: chosen by RDS."),
    maintenance_window: z
      .string()
      .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC window such as sun:04:30-sun:05:30")
      .optional()
      .describe("Weekly maintenance window, UTC ddd:hh24:mi-ddd:hh24:mi. Default: chosen by RDS."),
    kms_key_arn: kmsKeyArn
      .optional()
      .describe("KMS key of the database storage. Default: the AWS managed key aws/rds. Storage is always encrypted."),
    force_ssl: z.boolean().default(true).describe("rds.force_ssl = 1: the server refuses unencrypted connections."),
    logical_replication: z.boolean().default(false).describe("rds.logical_replication = 1, for a target that is itself a CDC source (a fallback or onward replication)."),
    parameters: parameterMap.default({}).describe("More server parameters (the cluster parameter group for Aurora), applied at the next reboot. rds.force_ssl and rds.logical_replication have their own keys."),
    instance_parameters: parameterMap.optional().describe("aurora-postgresql: parameters of the instance parameter group."),
    performance_insights: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Turn Performance Insights on."),
        retention_days: z
          .number()
          .int()
          .refine((days) => days === 7 || days === 731 || (days >= 31 && days <= 713 && days % 31 === 0), "expected 7, 731, or a multiple of 31 from 31 to 713")
          .default(7)
          .describe("Days of Performance Insights data (7 is free)."),
      })
      .prefault({})
      .describe("Performance Insights on every instance."),
    monitoring_interval: z
      .number()
      .refine((seconds) => (MONITORING_INTERVALS as readonly number[]).includes(seconds), `expected one of ${MONITORING_INTERVALS.join(", ")} seconds`)
      .default(60)
      .describe("Enhanced monitoring interval in seconds (0: off); the stack creates the monitoring role."),
    log_exports: z
      .array(z.enum(["postgresql", "upgrade", "iam-db-auth-error"]))
      .default(["postgresql"])
      .describe("PostgreSQL logs exported to CloudWatch Logs, into log groups the stack creates first (upgrade: postgres only)."),
    log_retention_days: logRetentionDays
      .default(30)
      .describe("Retention of the exported database logs and of the target-sync Lambda's logs."),
    iam_authentication: z.boolean().default(true).describe("IAM database authentication."),
    deletion_protection: z.boolean().optional().describe("Deletion protection. Default: true in protected environments, where it cannot be turned off."),
    skip_final_snapshot: z.boolean().default(false).describe("Destroy without a final snapshot. Only when set here, and never in a protected environment."),
    apply_immediately: z.boolean().optional().describe("Apply modifications at once rather than in the maintenance window. Default: false in protected environments, else true."),
    auto_minor_version_upgrade: z.boolean().default(true).describe("Automatic minor version upgrades in the maintenance window."),
    allocated_storage_gb: z.number().int().min(20).max(65536).optional().describe("postgres: initial gp3 storage in GiB. Default: 20."),
    max_allocated_storage_gb: z.number().int().min(20).max(65536).optional().describe("postgres: storage autoscaling ceiling in GiB. Default: 100."),
    target_sync_schedule: z
      .string()
      .regex(/^(rate\(\d+ (minute|minutes|hour|hours)\)|cron\(.+\))$/, "expected an EventBridge schedule such as rate(1 minute)")
      .default("rate(1 minute)")
      .describe("three_vpc: how often the target-sync Lambda re-registers the writer's IP in the target hop (it also runs on RDS failover events)."),
  })
  .prefault({})
  .describe("The target database the migration lands in.");

export const databaseKeys = { database: databaseSection };

const AURORA_ONLY = ["readers", "serverless_v2", "instance_parameters"] as const;
const RDS_INSTANCE_ONLY = ["multi_az", "allocated_storage_gb", "max_allocated_storage_gb"] as const;
const OWN_KEYS: Record<string, string> = { "rds.force_ssl": "database.force_ssl", "rds.logical_replication": "database.logical_replication" };

export const databaseCheck = crossCheck(["database", "topology", "network"], (config, context, issue) => {
  const database = config.database;
  if (!database.enabled) return;
  const aurora = database.engine === "aurora-postgresql";
  if (database.engine_version !== undefined && pinsMinorVersion(database.engine_version) && database.auto_minor_version_upgrade) {
    issue(
      ["database", "engine_version"],
      "a minor version pinned while AWS upgrades minors automatically: after the first upgrade every plan proposes a downgrade that apply cannot make",
      JSON.stringify(database.engine_version),
      `the major version only ("${database.engine_version.split(".")[0]}"), or auto_minor_version_upgrade: false`,
    );
  }
  if (context.isProtected) {
    if (database.skip_final_snapshot) {
      issue(["database", "skip_final_snapshot"], "a protected environment keeps a final snapshot", "true", "false (or no skip_final_snapshot), or protected: false");
    }
    if (database.deletion_protection === false) {
      issue(["database", "deletion_protection"], "a protected environment keeps deletion protection", "false", "true (or no deletion_protection)");
    }
    if (database.backup_retention_days < 7) {
      issue(["database", "backup_retention_days"], "a protected environment keeps 7 days of backups at least", String(database.backup_retention_days), "7 to 35");
    }
    if (aurora && database.readers === 0) {
      issue(["database", "readers"], "a protected Aurora cluster is Multi-AZ: it needs a reader to fail over to", "0", "1 or more (or no readers: 1 by default)");
    }
    if (!aurora && database.multi_az === false) {
      issue(["database", "multi_az"], "a protected environment's database is Multi-AZ", "false", "true (or no multi_az)");
    }
  }
  for (const key of aurora ? RDS_INSTANCE_ONLY : AURORA_ONLY) {
    if (database[key] !== undefined) {
      issue(["database", key], `this key is used only by engine "${aurora ? "postgres" : "aurora-postgresql"}"`, JSON.stringify(database[key]), `no ${key} with engine "${database.engine}"`);
    }
  }
  if (aurora && database.log_exports.includes("upgrade")) {
    issue(["database", "log_exports"], "Aurora PostgreSQL exports no upgrade log", JSON.stringify(database.log_exports), `log types from "postgresql", "iam-db-auth-error"`);
  }
  if (database.serverless_v2 && database.serverless_v2.min_capacity > database.serverless_v2.max_capacity) {
    issue(["database", "serverless_v2", "min_capacity"], "minimum capacity above the maximum", String(database.serverless_v2.min_capacity), `at most max_capacity (${database.serverless_v2.max_capacity})`);
  }
  if (database.allocated_storage_gb !== undefined && database.max_allocated_storage_gb !== undefined && database.max_allocated_storage_gb < database.allocated_storage_gb) {
    issue(["database", "max_allocated_storage_gb"], "the autoscaling ceiling is below the initial storage", String(database.max_allocated_storage_gb), `at least allocated_storage_gb (${database.allocated_storage_gb})`);
  }
  for (const section of ["parameters", "instance_parameters"] as const) {
    for (const name of Object.keys(database[section] ?? {})) {
      if (OWN_KEYS[name]) issue(["database", section, name], `${name} has its own key`, JSON.stringify(database[section]?.[name]), `${OWN_KEYS[name]} instead`);
    }
  }
  if (config.topology === "three_vpc" && database.port !== config.network.target_hop.port) {
    issue(["database", "port"], "the target hop forwards its port to the database unchanged", String(database.port), `network.target_hop.port (${config.network.target_hop.port}), or that port changed to match`);
  }
});

/** Settings, shared by every database the stack creates, that protection decides. */
export function protectionSettings(config: Pick<EnvironmentConfig, "database">, context: ConfigContext) {
  const database = config.database;
  return {
    deletionProtection: database.deletion_protection ?? context.isProtected,
    preventDestroy: context.isProtected,
    // The check refuses skip_final_snapshot in a protected environment; never pass it there.
    skipFinalSnapshot: database.skip_final_snapshot && !context.isProtected,
    applyImmediately: database.apply_immediately ?? !context.isProtected,
  };
}

/** The target's server settings; the simulated source starts from them too. */
export function databaseSettings(config: Pick<EnvironmentConfig, "database">, context: ConfigContext): DatabaseSettings {
  const database = config.database;
  return {
    engine: database.engine,
    identifier: database.identifier ?? defaultIdentifier(context, "db"),
    engineVersion: database.engine_version ?? DEFAULT_ENGINE_VERSIONS[database.engine],
    instanceClass: database.instance_class,
    readers: database.engine === "aurora-postgresql" ? (database.readers ?? (context.isProtected ? 1 : 0)) : undefined,
    serverlessV2: database.serverless_v2 ? { minCapacity: database.serverless_v2.min_capacity, maxCapacity: database.serverless_v2.max_capacity } : undefined,
    instanceParameters: database.instance_parameters,
    multiAz: database.engine === "postgres" ? (database.multi_az ?? context.isProtected) : undefined,
    allocatedStorageGb: database.allocated_storage_gb,
    maxAllocatedStorageGb: database.max_allocated_storage_gb,
    port: database.port,
    databaseName: database.database_name,
    masterUsername: database.master_username,
    backupRetentionDays: database.backup_retention_days,
    preferredBackupWindow: database.backup_window,
    preferredMaintenanceWindow: database.maintenance_window,
    storageKmsKeyArn: database.kms_key_arn,
    forceSsl: database.force_ssl,
    logicalReplication: database.logical_replication,
    parameters: database.parameters,
    performanceInsights: database.performance_insights.enabled,
    performanceInsightsRetentionDays: database.performance_insights.retention_days,
    monitoringIntervalSeconds: database.monitoring_interval,
    logExports: database.log_exports,
    logRetentionDays: database.log_retention_days,
    iamAuthentication: database.iam_authentication,
    autoMinorVersionUpgrade: database.auto_minor_version_upgrade,
    ...protectionSettings(config, context),
  };
}

export function targetDatabaseProps(config: Pick<EnvironmentConfig, "database">, context: ConfigContext): TargetDatabaseProps | undefined {
  const database = config.database;
  if (!database.enabled) return undefined;
  return {
    ...databaseSettings(config, context),
    masterPassword: database.master_password === "generated" ? { mode: "generated", version: database.master_password_version } : { mode: "rds_managed" },
    targetSyncSchedule: database.target_sync_schedule,
  };
}

/**
 * `<project>-<environment>-<suffix>` as RDS accepts it (the environment may be a directory name):
 * lowercase letters, digits and single hyphens, 40 characters at most so that the names built
 * from it (`<identifier>-rds-monitoring`, ...) stay within IAM's 64.
 */
export function defaultIdentifier(context: ConfigContext, suffix: string): string {
  const base = context.namePrefix.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `${base.slice(0, 39 - suffix.length).replace(/-+$/, "")}-${suffix}`;
}
