// The validated `dms` section → the stack's DmsStackProps. Defaults that depend on other settings
// are resolved here: Multi-AZ from protection, database names from the source and database
// sections, the CDC heartbeat on sources that CDC tasks read, and files named relative to the
// environment's directory (table mappings, CA certificates) read into values.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { DmsEndpointStackProps, DmsStackProps } from "../../../stacks/dms-wiring.js";
import type { DmsTaskSpec } from "../../../modules/dms/dms-migration.js";
import type { PostgresEndpointSettings } from "../../../modules/dms/database-endpoint.js";
import { buildTableMappings, TableMappingsDocument } from "../../../modules/dms/table-mappings.js";
import type { EnvironmentConfig } from "../schema.js";

type DmsConfig = EnvironmentConfig["dms"];
type EndpointConfig = DmsConfig["endpoints"][string];
type TaskConfig = DmsConfig["tasks"][string];

/** DMS's default heartbeat interval in minutes. */
const HEARTBEAT_MINUTES = 5;

export function dmsProps(config: EnvironmentConfig, isProtected: boolean, envDir: string): DmsStackProps | undefined {
  const dms = config.dms;
  if (!dms.enabled) return undefined;
  const instance = dms.replication_instance;
  const cdcSources = new Set(Object.values(dms.tasks).filter((task) => task.migration_type !== "full-load").map((task) => task.source_endpoint_key));
  return {
    serviceRoles: dms.service_roles,
    instance: {
      instanceClass: instance.instance_class,
      allocatedStorageGb: instance.allocated_storage,
      engineVersion: instance.engine_version,
      multiAz: instance.multi_az ?? isProtected,
      kmsKeyArn: instance.kms_key_arn,
      maintenanceWindow: instance.maintenance_window,
      autoMinorVersionUpgrade: instance.auto_minor_version_upgrade,
      applyImmediately: instance.apply_immediately,
    },
    endpoints: Object.fromEntries(Object.entries(dms.endpoints).map(([key, endpoint]) => [key, endpointProps(config, endpoint, cdcSources.has(key), envDir)])),
    tasks: Object.fromEntries(Object.entries(dms.tasks).map(([key, task]) => [key, taskSpec(task, envDir)])),
    notificationEmails: dms.notifications.emails,
    cdcLatencyAlarms: dms.cdc_latency_alarms.enabled
      ? { thresholdSeconds: dms.cdc_latency_alarms.threshold_seconds, evaluationPeriods: dms.cdc_latency_alarms.evaluation_periods }
      : undefined,
    preventKeyDestroy: isProtected,
    sourceEgressCidrs: dms.source_egress_cidrs,
    source: { host: config.source.host, port: config.source.port },
  };
}

function endpointProps(config: EnvironmentConfig, endpoint: EndpointConfig, readByCdc: boolean, envDir: string): DmsEndpointStackProps {
  const isSource = endpoint.endpoint_type === "source";
  const isPostgres = endpoint.engine_name !== "sqlserver";
  const settings = endpoint.postgres_settings;
  // A CDC source without a heartbeat holds WAL behind its slot whenever the source is idle.
  const heartbeat = isSource && isPostgres ? (settings?.heartbeat_enable ?? readByCdc) : settings?.heartbeat_enable;
  const postgres: PostgresEndpointSettings | undefined =
    isPostgres && (settings || heartbeat)
      ? {
          heartbeatEnable: heartbeat || undefined,
          heartbeatFrequency: settings?.heartbeat_frequency ?? (heartbeat ? HEARTBEAT_MINUTES : undefined),
          heartbeatSchema: settings?.heartbeat_schema,
          slotName: settings?.slot_name,
          pluginName: settings?.plugin_name,
          captureDdls: settings?.capture_ddls,
          ddlArtifactsSchema: settings?.ddl_artifacts_schema,
          executeTimeout: settings?.execute_timeout,
          failTasksOnLobTruncation: settings?.fail_tasks_on_lob_truncation,
          mapBooleanAsBoolean: settings?.map_boolean_as_boolean,
          mapJsonbAsClob: settings?.map_jsonb_as_clob,
          mapLongVarcharAs: settings?.map_long_varchar_as,
          maxFileSize: settings?.max_file_size,
          afterConnectScript: settings?.after_connect_script,
          databaseMode: settings?.database_mode,
          babelfishDatabaseName: settings?.babelfish_database_name,
        }
      : undefined;
  const sqlServer = endpoint.sqlserver_settings;
  return {
    endpointType: endpoint.endpoint_type,
    engine: endpoint.engine_name,
    databaseName: endpoint.database_name ?? (isSource ? config.source.database_name : config.database.database_name),
    sslMode: endpoint.ssl_mode,
    certificatePem: endpoint.certificate_file === undefined ? undefined : readFileSync(resolve(envDir, endpoint.certificate_file), "utf8"),
    certificateArn: endpoint.certificate_arn,
    secretArn: endpoint.secrets_manager_arn,
    accessRoleArn: endpoint.secrets_manager_access_role_arn,
    kmsKeyArn: endpoint.kms_key_arn,
    postgres,
    sqlServer: sqlServer ? { capture: sqlServer.capture, safeguardPolicy: sqlServer.safeguard_policy, readBackupOnly: sqlServer.read_backup_only } : undefined,
  };
}

function taskSpec(task: TaskConfig, envDir: string): DmsTaskSpec {
  return {
    sourceEndpointKey: task.source_endpoint_key,
    targetEndpointKey: task.target_endpoint_key,
    migrationType: task.migration_type,
    tableMappings: taskTableMappings(task, envDir),
    settings: {
      targetTablePrepMode: task.target_table_prep_mode,
      lobMode: task.lob_mode,
      lobMaxSizeKb: task.lob_max_size_kb,
      lobChunkSizeKb: task.lob_chunk_size_kb,
      maxFullLoadSubTasks: task.max_full_load_subtasks,
      commitRate: task.commit_rate,
      validation: task.validation,
      validationThreads: task.validation_threads,
      logging: task.logging,
      batchApply: task.batch_apply,
      controlSchema: task.control_schema,
    },
    cdcStartTime: task.cdc_start_time,
    cdcStartPosition: task.cdc_start_position,
    start: task.start_replication_task,
    ignoreSettingsChanges: task.ignore_settings_changes,
    reloadSchedule: task.reload_schedule,
  };
}

/** The task's rules document: the mapping file as written, or the typed rules built. */
export function taskTableMappings(task: TaskConfig, envDir: string): TableMappingsDocument {
  if (task.table_mappings_file !== undefined) {
    return JSON.parse(readFileSync(resolve(envDir, task.table_mappings_file), "utf8")) as TableMappingsDocument;
  }
  return buildTableMappings({
    include: (task.include ?? []).map((table) => ({ schema: table.schema, table: table.table, loadOrder: table.load_order })),
    exclude: task.exclude,
    transformations: task.transformations,
  });
}
