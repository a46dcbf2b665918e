// The validated `database`, `source`, `secrets` and `parameters.names` sections → the stack's
// DatabaseStackProps. Protection decides deletion protection, Multi-AZ, readers, prevent_destroy,
// apply_immediately and the secrets' recovery window; the checks refuse weaker explicit values.
import type { DatabaseSettings, DatabaseStackProps } from "../../../stacks/database-wiring.js";
import type { EnvironmentConfig } from "../schema.js";
import { DEFAULT_ENGINE_VERSIONS } from "../sections/database.js";

export function databaseProps(config: EnvironmentConfig, environment: string, isProtected: boolean): DatabaseStackProps {
  const database = config.database;
  const source = config.source;
  const names = config.parameters.names;
  const common = {
    deletionProtection: database.deletion_protection ?? isProtected,
    preventDestroy: isProtected,
    // The checks refuse skip_final_snapshot in a protected environment; never pass it there.
    skipFinalSnapshot: database.skip_final_snapshot && !isProtected,
    applyImmediately: database.apply_immediately ?? !isProtected,
  };
  const target: DatabaseSettings = {
    engine: database.engine,
    identifier: database.identifier ?? defaultIdentifier(config.project, environment, "db"),
    engineVersion: database.engine_version ?? DEFAULT_ENGINE_VERSIONS[database.engine],
    instanceClass: database.instance_class,
    readers: database.engine === "aurora-postgresql" ? (database.readers ?? (isProtected ? 1 : 0)) : undefined,
    serverlessV2: database.serverless_v2 ? { minCapacity: database.serverless_v2.min_capacity, maxCapacity: database.serverless_v2.max_capacity } : undefined,
    instanceParameters: database.instance_parameters,
    multiAz: database.engine === "postgres" ? (database.multi_az ?? isProtected) : undefined,
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
    ...common,
  };
  const simulated = source.simulated;
  return {
    target: database.enabled
      ? {
          ...target,
          masterPassword: database.master_password === "generated" ? { mode: "generated", version: database.master_password_version } : { mode: "rds_managed" },
          targetSyncSchedule: database.target_sync_schedule,
        }
      : undefined,
    source: {
      simulated:
        simulated.enabled && config.topology === "three_vpc"
          ? {
              ...target,
              engine: simulated.engine,
              identifier: defaultIdentifier(config.project, environment, "source"),
              engineVersion: simulated.engine_version ?? DEFAULT_ENGINE_VERSIONS[simulated.engine],
              instanceClass: simulated.instance_class,
              readers: simulated.engine === "aurora-postgresql" ? 0 : undefined,
              serverlessV2: undefined,
              instanceParameters: undefined,
              multiAz: simulated.engine === "postgres" ? false : undefined,
              allocatedStorageGb: undefined,
              maxAllocatedStorageGb: undefined,
              port: source.port,
              databaseName: source.database_name,
              masterUsername: source.username,
              storageKmsKeyArn: undefined,
              parameters: {},
              logExports: ["postgresql"],
              passwordVersion: simulated.password_version,
            }
          : undefined,
      host: source.host,
      port: source.port,
      databaseName: source.database_name,
      username: source.username,
    },
    secrets: {
      kmsKeyArn: config.secrets.kms_key_arn,
      namePrefix: config.secrets.name_prefix ?? `${config.project}/${environment}`,
      recoveryWindowDays: config.secrets.recovery_window_days ?? (isProtected ? 30 : 7),
      secretKeyVersion: config.secrets.secret_key_version,
    },
    parameterNames: {
      databaseEndpoint: names.database_endpoint,
      databasePort: names.database_port,
      databaseName: names.database_name,
      dbUser: names.db_user,
      dbSecretArn: names.db_secret_arn,
      secretKey: names.secret_key,
    },
  };
}

/**
 * `<project>-<environment>-<suffix>` as RDS accepts it (the environment may be a directory name):
 * lowercase letters, digits and single hyphens, 40 characters at most so that the names built
 * from it (`<identifier>-rds-monitoring`, ...) stay within IAM's 64.
 */
function defaultIdentifier(project: string, environment: string, suffix: string): string {
  const base = `${project}-${environment}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `${base.slice(0, 39 - suffix.length).replace(/-+$/, "")}-${suffix}`;
}
