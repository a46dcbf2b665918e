// AWS DMS, flat and readable like terraform-aws-modules/dms: endpoints and tasks are maps keyed
// by names the user picks; tasks name their endpoints by key (`source_endpoint_key`). The check
// catches what DMS or the provider would otherwise refuse at apply time (or worse, accept and fail
// at task start): tasks naming missing or wrongly-facing endpoints, CDC start points on the wrong
// task type or in the wrong format, mapping files that are not DMS rule documents, certificates
// that cannot verify through a PrivateLink hop, a replication slot shared by two tasks, a
// single_vpc source DMS has no route to. The props resolve what depends on other settings:
// Multi-AZ from protection, database names from the source and database sections, the CDC
// heartbeat on sources that CDC tasks read, and files named relative to the environment's
// directory (table mappings, CA certificates) read into values.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { authenticatingSslMode, PostgresEndpointSettings, SqlServerSourceSettings, sqlServerProblems } from "../../modules/dms/database-endpoint.js";
import type { DmsTaskSpec } from "../../modules/dms/dms-migration.js";
import { DMS_INSTANCE_ID_MAX, DMS_RESOURCE_ID_MAX, dmsIdentifierProblem } from "../../modules/dms/dms-identifiers.js";
import { creatableDmsEngineVersions, DEFAULT_DMS_ENGINE_VERSION, DMS_ENGINE_VERSIONS } from "../../modules/dms/dms-versions.js";
import { includesCdc, isCdcStartTime, MIGRATION_TYPES } from "../../modules/dms/replication-task.js";
import { capacityProblems, DEFAULT_MAX_CAPACITY_UNITS, DEFAULT_MIN_CAPACITY_UNITS, DMS_CAPACITY_UNITS } from "../../modules/dms/serverless-replication.js";
import { buildTableMappings, formatMappingProblem, tableLocatorSchema, TableMappingsDocument, tableSelectionSchema, transformationRuleSchema, validateTableMappings } from "../../modules/dms/table-mappings.js";
import { PRIMARY_SOURCE_KEY } from "../../stacks/database-wiring.js";
import type { DmsEndpointStackProps, DmsStackProps } from "../../stacks/dms-wiring.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import type { IssueReporter } from "./errors.js";
import { networkCidr, timeZone } from "./fields.js";
import { readReferencedFile, readReferencedJson } from "./read-variables.js";
import type { EnvironmentConfig } from "./schema.js";

const key = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "expected a key of lowercase letters and digits, single hyphens between them, starting with a letter (it becomes part of DMS identifiers)");

const arn = (service: string, example: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `expected ${example}`);

const postgresSettings = z
  .strictObject({
    heartbeat_enable: z
      .boolean()
      .optional()
      .describe("Write a heartbeat on the source so an idle database's WAL is not held behind the replication slot. Default: true for a source endpoint used by a CDC task."),
    heartbeat_frequency: z.number().int().min(1).optional().describe("Minutes between heartbeats. Default: 5 when the heartbeat is on (DMS's default)."),
    heartbeat_schema: z.string().min(1).optional().describe("Schema of the heartbeat objects. Default: public."),
    slot_name: z
      .string()
      .regex(/^[a-z0-9_]{1,63}$/, "expected a replication slot name: 1-63 lowercase letters, digits and underscores")
      .optional()
      .describe("An existing logical replication slot to read changes from. Required to start CDC from a cdc_start_position; one slot serves one task."),
    plugin_name: z.enum(["pglogical", "test_decoding"]).optional().describe("Logical decoding plugin. Default: pglogical when installed on the source, else test_decoding."),
    capture_ddls: z.boolean().optional().describe("Capture DDL with an event trigger DMS installs on the source. Default: true (DMS's default)."),
    ddl_artifacts_schema: z.string().min(1).optional().describe("Schema of DMS's DDL capture objects. Default: public."),
    execute_timeout: z.number().int().min(1).optional().describe("Client statement timeout in seconds. Default: 60."),
    fail_tasks_on_lob_truncation: z.boolean().optional().describe("Fail the task instead of truncating a LOB above the task's LOB limit."),
    map_boolean_as_boolean: z.boolean().optional().describe("Migrate PostgreSQL booleans as booleans (DMS 3.4.7+) instead of varchar(5)."),
    map_jsonb_as_clob: z.boolean().optional().describe("Migrate jsonb as a LOB (NCLOB)."),
    map_long_varchar_as: z.enum(["wstring", "clob", "nclob"]).optional().describe("How unbounded varchar/text is mapped. Default: wstring."),
    max_file_size: z.number().int().min(1).optional().describe("Target only: KB per CSV file DMS writes while loading. Default: 32768."),
    after_connect_script: z.string().min(1).optional().describe("SQL DMS runs after connecting (e.g. SET session_replication_role=replica on a target)."),
    database_mode: z.enum(["default", "babelfish"]).optional().describe("Target only: babelfish for a Babelfish-enabled Aurora target."),
    babelfish_database_name: z.string().min(1).optional().describe("Target only: the Babelfish T-SQL database name (with database_mode babelfish)."),
  })
  .describe("PostgreSQL endpoint settings (the provider's postgres_settings block).");

const sqlServerSettings = z
  .strictObject({
    capture: z
      .enum(["ms-cdc", "ms-replication", "full-load-only"])
      .describe(
        "How changes are read. ms-cdc: SQL Server change data capture enabled on the database and every table (Enterprise or Developer edition; no sysadmin). ms-replication: transactional replication (any edition; DMS sets it up when its user is sysadmin). full-load-only: no change capture (e.g. a reporting copy reloaded by a full-load task's reload_schedule).",
      ),
    safeguard_policy: z
      .enum(["rely-on-sql-server-replication-agent", "exclusive-automatic-truncation", "shared-automatic-truncation"])
      .optional()
      .describe("How DMS keeps the transaction log from being truncated before it reads it. Default: DMS's (rely-on-sql-server-replication-agent)."),
    read_backup_only: z.boolean().default(false).describe("Read changes from transaction log backups only (keeps the active log small; adds latency)."),
    platform: z
      .enum(["self-managed", "rds"])
      .default("self-managed")
      .describe("Where SQL Server runs: self-managed (on premises or EC2; ms-cdc then adds ignoreMsReplicationEnablement) or rds (Amazon RDS for SQL Server: no MS-Replication, no sysadmin)."),
    set_up_ms_cdc_for_tables: z
      .boolean()
      .default(false)
      .describe("Let DMS enable MS-CDC on the database and every table itself (SetUpMsCdcForTables; its login must be sysadmin, so never on rds). Off: enable MS-CDC beforehand (docs/dms.md)."),
  })
  .describe("SQL Server source settings, sent as extra connection attributes.");

const endpoint = z.strictObject({
  endpoint_type: z.enum(["source", "target"]).describe("source (read from) or target (written to)."),
  engine_name: z
    .enum(["postgres", "aurora-postgresql", "sqlserver"])
    .optional()
    .describe("postgres (RDS, self-managed or on-premises PostgreSQL), aurora-postgresql, or sqlserver (sources only). Default: the engine of the database this stack builds for the endpoint (the target database, the simulated source); required for any other database."),
  source_key: z
    .string()
    .optional()
    .describe('Source endpoints: which source database they read: "source" (the source section) or a key of sources. Its secret, hop or host is this endpoint\'s. Default: "source".'),
  database_name: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("Database on the server. Default: the source's database_name for sources, database.database_name for targets."),
  ssl_mode: z
    .enum(["require", "verify-ca", "verify-full"])
    .optional()
    .describe("TLS to the database, always on. verify-full: checks the server's certificate and host name; verify-ca: the certificate only (what works through a PrivateLink hop, whose DNS name no certificate holds); require: encrypted, the server NOT authenticated (reported in the dms_endpoint_tls output). Default: for the stack's own databases (the target, the simulated source) verify-full, or verify-ca through a hop, against the region's RDS CA bundle; for any other database verify-full with certificate_file or certificate_arn, and require only when you say so."),
  certificate_file: z
    .string()
    .min(1)
    .optional()
    .describe("PEM file of the CA that signed the server's certificate (e.g. the RDS global bundle), relative to this tfvars file; imported as a DMS certificate."),
  certificate_arn: arn("dms", "a DMS certificate ARN such as arn:aws:dms:eu-west-1:123456789012:cert:...").optional().describe("An existing DMS certificate instead of certificate_file."),
  secrets_manager_arn: arn("secretsmanager", "a Secrets Manager secret ARN")
    .optional()
    .describe("Secret with username, password, host and port. Default: the stack's DMS source or target secret (database section)."),
  secrets_manager_access_role_arn: arn("iam", "an IAM role ARN")
    .optional()
    .describe("Role DMS assumes to read the secret. Default: the stack's DMS secrets access role."),
  kms_key_arn: arn("kms", "a KMS key ARN").optional().describe("KMS key of the endpoint's stored connection data. Default: the environment's DMS key (customer managed)."),
  postgres_settings: postgresSettings.optional(),
  sqlserver_settings: sqlServerSettings.optional(),
});

const task = z.strictObject({
  source_endpoint_key: key.describe("Key of the source endpoint in dms.endpoints."),
  target_endpoint_key: key.describe("Key of the target endpoint in dms.endpoints."),
  migration_type: z
    .enum(MIGRATION_TYPES)
    .describe("full-load: copy and stop. cdc: replicate changes only. full-load-and-cdc: copy, then keep replicating changes."),
  include: z
    .array(tableSelectionSchema)
    .optional()
    .describe("Tables to migrate (selection rules). Give include or table_mappings_file."),
  exclude: z.array(tableLocatorSchema).default([]).describe("Tables left out of the include patterns."),
  transformations: z.array(transformationRuleSchema).default([]).describe("Rename schemas/tables/columns, lowercase names, drop columns, add prefixes."),
  table_mappings_file: z
    .string()
    .min(1)
    .optional()
    .describe("A DMS table-mapping JSON file, relative to this tfvars file, instead of include/exclude/transformations. Checked against DMS's rule structure."),
  target_table_prep_mode: z
    .enum(["DO_NOTHING", "DROP_AND_CREATE", "TRUNCATE_BEFORE_LOAD"])
    .default("DROP_AND_CREATE")
    .describe("What the full load does to existing target tables. Use DO_NOTHING or TRUNCATE_BEFORE_LOAD with a schema created beforehand (keeps indexes, constraints, defaults)."),
  lob_mode: z.enum(["none", "limited", "full"]).default("limited").describe("LOB handling. limited: fast, truncates values above lob_max_size_kb (check with dms-lz preflight --scan-lobs)."),
  lob_max_size_kb: z.number().int().min(1).max(102400).default(32).describe("Largest LOB in limited mode, KB."),
  lob_chunk_size_kb: z.number().int().min(1).default(64).describe("LOB chunk size in full mode, KB."),
  max_full_load_subtasks: z.number().int().min(1).max(49).default(8).describe("Tables loaded in parallel."),
  commit_rate: z.number().int().min(1).max(50000).default(10000).describe("Rows per commit during the full load."),
  validation: z.boolean().default(true).describe("DMS row validation (ValidationSettings.EnableValidation): compares every migrated row with the source."),
  validation_threads: z.number().int().min(1).max(16).default(5).describe("Validation threads."),
  logging: z.boolean().default(true).describe("Task logs in CloudWatch Logs (needs dms-cloudwatch-logs-role)."),
  batch_apply: z.boolean().default(false).describe("Apply CDC changes in batches (faster; tables need primary keys)."),
  control_schema: z.string().min(1).optional().describe("Target schema of DMS's control tables. Default: the target's default schema."),
  cdc_start_time: z
    .string()
    .optional()
    .describe("migration_type cdc only: start reading changes at this time (RFC 3339, e.g. 2026-05-01T00:00:00Z, or Unix seconds)."),
  cdc_start_position: z
    .string()
    .optional()
    .describe("migration_type cdc only: start at this native position (PostgreSQL: an LSN such as 0/3A2B1C0, with the source endpoint's slot_name)."),
  start_replication_task: z
    .boolean()
    .default(false)
    .describe("Start the task when Terraform creates it (and resume it after Terraform changes it). Off: start it with the commands in docs/dms.md."),
  ignore_settings_changes: z
    .boolean()
    .default(false)
    .describe("lifecycle ignore_changes on the task settings: only if a DMS engine rewrites a setting and every plan shows a change (config changes to settings are then ignored too)."),
  reload_schedule: z
    .strictObject({
      expression: z
        .string()
        .regex(/^(cron|rate)\(.+\)$/, "expected an EventBridge Scheduler expression such as cron(0 2 * * ? *)")
        .describe("When to reload, e.g. cron(0 2 * * ? *) for 02:00 every day."),
      timezone: timeZone.default("UTC").describe("IANA time zone of the expression."),
      enabled: z.boolean().default(true).describe("Turn the schedule on."),
    })
    .optional()
    .describe("full-load tasks: re-run the full load on a schedule (EventBridge Scheduler calls StartReplicationTask with reload-target)."),
});

const maintenanceWindow = z
  .string()
  .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC window such as sun:03:00-sun:04:00")
  .optional()
  .describe("Weekly maintenance window, UTC ddd:hh24:mi-ddd:hh24:mi. Default: chosen by DMS.");

const dmsSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Create the DMS replication instance, endpoints and tasks."),
    service_roles: z
      .enum(["create", "existing"])
      .default("create")
      .describe("The account-level dms-vpc-role and dms-cloudwatch-logs-role. existing: referenced by name only; the account's bootstrap stack creates them (with account_id), or another tool did. create: this environment owns them; at most one environment per account may."),
    compute: z
      .enum(["instance", "serverless"])
      .default("instance")
      .describe("Where tasks run. instance: one replication instance (replication_instance) runs every task. serverless: DMS Serverless, one replication config per task with its own capacity (serverless); no instance to size or upgrade."),
    serverless: z
      .strictObject({
        min_capacity_units: z
          .number()
          .int()
          .default(DEFAULT_MIN_CAPACITY_UNITS)
          .describe(`Fewest DMS capacity units (DCU, 2 GB RAM each) a replication scales down to: one of ${DMS_CAPACITY_UNITS.join(", ")}.`),
        max_capacity_units: z
          .number()
          .int()
          .default(DEFAULT_MAX_CAPACITY_UNITS)
          .describe(`Most DCUs a replication scales up to: one of ${DMS_CAPACITY_UNITS.join(", ")}, at least min_capacity_units.`),
        multi_az: z.boolean().optional().describe("A standby in a second AZ. Default: true in protected environments."),
        maintenance_window: maintenanceWindow,
      })
      .prefault({})
      .describe("compute serverless: capacity and availability of each task's replication config. The subnets, security group and KMS key are the instance's (replication_instance.kms_key_arn)."),
    replication_instance: z
      .strictObject({
        instance_class: z
          .string()
          .regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, "expected a DMS instance class such as dms.t3.medium or dms.r6i.large")
          .default("dms.t3.medium")
          .describe("Replication instance class."),
        allocated_storage: z.number().int().min(5).max(6144).default(50).describe("Storage in GiB for task logs and cached changes."),
        engine_version: z
          .string()
          .regex(/^3\.\d+\.\d+$/, "expected a DMS engine version such as 3.6.1")
          .default(DEFAULT_DMS_ENGINE_VERSION)
          .describe(`DMS engine version, one AWS still creates instances with (AWS's dates: ${DMS_ENGINE_VERSIONS.map((row) => `${row.version} (new instances ${row.noNewInstancesAfter ? `until ${row.noNewInstancesAfter}` : "with no end announced"})`).join(", ")}). Default: ${DEFAULT_DMS_ENGINE_VERSION}, the first to read PostgreSQL 17 sources.`),
        multi_az: z.boolean().optional().describe("A standby in a second AZ. Default: true in protected environments."),
        kms_key_arn: arn("kms", "a KMS key ARN").optional().describe("KMS key of the instance's storage. Default: the environment's DMS key (customer managed, rotated yearly)."),
        maintenance_window: maintenanceWindow,
        auto_minor_version_upgrade: z.boolean().default(true).describe("Automatic engine upgrades in the maintenance window."),
        apply_immediately: z.boolean().default(false).describe("Apply instance changes at once rather than in the maintenance window."),
      })
      .prefault({})
      .describe("The replication instance (always private, in the DMS VPC's private subnets)."),
    source_egress_cidrs: z
      .array(networkCidr)
      .default([])
      .describe("single_vpc with an external source (source.host): the networks DMS may reach the source port in; one egress rule each."),
    endpoints: z.record(key, endpoint).default({}).describe("DMS endpoints by key."),
    tasks: z.record(key, task).default({}).describe("Replication tasks by key."),
    notifications: z
      .strictObject({
        emails: z.array(z.email("expected an e-mail address")).default([]).describe("Addresses subscribed to DMS events (each confirms by e-mail)."),
      })
      .prefault({})
      .describe("The encrypted SNS topic receiving instance and task events (failure, state change)."),
    cdc_latency_alarms: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Alarm on CDCLatencySource and CDCLatencyTarget of every task that includes CDC. Needs notifications.emails: an alarm nobody receives is refused."),
        threshold_seconds: z.number().int().min(1).default(300).describe("Latency that raises the alarm."),
        evaluation_periods: z.number().int().min(1).default(3).describe("Consecutive 5-minute periods above the threshold."),
      })
      .prefault({})
      .describe("CloudWatch alarms on CDC replication lag, notifying the events topic."),
  })
  .prefault({})
  .describe("AWS DMS: service roles, replication instance, endpoints and tasks. See docs/dms.md.");

export const dmsKeys = { dms: dmsSection };

/** A PostgreSQL LSN (`0/3A2B1C0`) or a DMS checkpoint (`checkpoint:V1#...`). */
const POSTGRES_START_POSITION = /^([0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}|checkpoint:.+)$/;

export const dmsCheck = crossCheck(["dms", "source", "sources", "database", "topology"], (config, context, report) => {
  const dms = config.dms;
  // Paths below are relative to the dms section.
  const issue: IssueReporter = (path, ...rest) => report(["dms", ...path], ...rest);

  if (!dms.enabled) {
    const configured = Object.keys(dms.endpoints).length + Object.keys(dms.tasks).length;
    if (configured > 0) issue(["enabled"], "endpoints or tasks are configured but DMS is not enabled", "false", "true (or remove dms.endpoints and dms.tasks)");
    return;
  }
  // Files named in the dms section are relative to the environment's directory, which holds the tfvars files.
  const baseDir = resolve(context.envDir);
  const name = context.namePrefix;
  const nameProblem = dmsIdentifierProblem(name, DMS_INSTANCE_ID_MAX);
  if (nameProblem) issue([], `the replication instance identifier "${name}" (<project>-<environment>) ${nameProblem}`, JSON.stringify(name), "a project and environment name that form a valid DMS identifier");

  const serverless = dms.compute === "serverless";
  if (serverless) {
    for (const problem of capacityProblems({ minCapacityUnits: dms.serverless.min_capacity_units, maxCapacityUnits: dms.serverless.max_capacity_units })) {
      issue(["serverless", problem.startsWith("maximum") ? "max_capacity_units" : "min_capacity_units"], problem, JSON.stringify(dms.serverless), `DCUs from ${DMS_CAPACITY_UNITS.join(", ")}, min_capacity_units <= max_capacity_units`);
    }
  }
  const today = new Date().toISOString().slice(0, 10);
  const creatable = creatableDmsEngineVersions(today);
  // DMS Serverless picks its own engine; the instance's version does not apply.
  if (!serverless && !creatable.includes(dms.replication_instance.engine_version)) {
    issue(["replication_instance", "engine_version"], `AWS creates no new replication instance with this version as of ${today}`, JSON.stringify(dms.replication_instance.engine_version), `one of ${creatable.join(", ")} (see AWS DMS release notes)`);
  }
  if (dms.cdc_latency_alarms.enabled && dms.notifications.emails.length === 0) {
    issue(["cdc_latency_alarms", "enabled"], "the alarms notify the events topic, which has no subscriber", "true", "dms.notifications.emails with at least one address, or false");
  }
  for (const [key, endpoint] of Object.entries(dms.endpoints)) {
    endpointIssues(config, key, endpoint, baseDir, name, (path, ...rest) => issue(["endpoints", key, ...path], ...rest));
  }

  const slots = new Map<string, string>();
  for (const [key, task] of Object.entries(dms.tasks)) {
    const at: At = (path, ...rest) => issue(["tasks", key, ...path], ...rest);
    const taskId = `${name}-${key}`;
    const idProblem = dmsIdentifierProblem(taskId, DMS_RESOURCE_ID_MAX);
    if (idProblem) at([], `the task identifier "${taskId}" ${idProblem}`, JSON.stringify(key), "a shorter key");

    const source = dms.endpoints[task.source_endpoint_key];
    const target = dms.endpoints[task.target_endpoint_key];
    const keys = Object.keys(dms.endpoints);
    if (!source) at(["source_endpoint_key"], "no such endpoint", JSON.stringify(task.source_endpoint_key), `a key of dms.endpoints (${keys.join(", ") || "none defined"})`);
    else if (source.endpoint_type !== "source") at(["source_endpoint_key"], `endpoint "${task.source_endpoint_key}" is a target endpoint`, JSON.stringify(task.source_endpoint_key), "the key of an endpoint with endpoint_type source");
    if (!target) at(["target_endpoint_key"], "no such endpoint", JSON.stringify(task.target_endpoint_key), `a key of dms.endpoints (${keys.join(", ") || "none defined"})`);
    else if (target.endpoint_type !== "target") at(["target_endpoint_key"], `endpoint "${task.target_endpoint_key}" is a source endpoint`, JSON.stringify(task.target_endpoint_key), "the key of an endpoint with endpoint_type target");

    const cdc = includesCdc(task.migration_type);
    if (source?.sqlserver_settings?.capture === "full-load-only" && cdc) {
      at(["migration_type"], `source "${task.source_endpoint_key}" captures no changes (sqlserver_settings.capture full-load-only)`, JSON.stringify(task.migration_type), '"full-load" (with a reload_schedule to refresh it), or a capture method on the source');
    }
    cdcStartIssues(task, source, at);
    if (serverless) {
      for (const field of ["cdc_start_time", "cdc_start_position"] as const) {
        if (task[field] !== undefined) at([field], "DMS Serverless does not support custom CDC start points", JSON.stringify(task[field]), 'no CDC start point, or dms.compute "instance"');
      }
      if (task.reload_schedule) at(["reload_schedule"], "reload schedules restart instance tasks; serverless replications have none in this project", "a schedule", 'no reload_schedule, or dms.compute "instance"');
    }
    if (task.reload_schedule && includesCdc(task.migration_type)) {
      at(["reload_schedule"], "a reload schedule re-runs a full load; this task replicates changes continuously instead", JSON.stringify(task.migration_type), 'migration_type "full-load", or no reload_schedule');
    }
    const slot = source?.postgres_settings?.slot_name;
    if (cdc && slot) {
      const other = slots.get(`${task.source_endpoint_key}/${slot}`);
      if (other) at(["source_endpoint_key"], `replication slot "${slot}" is already read by task "${other}"; a slot serves one task`, JSON.stringify(task.source_endpoint_key), "a source endpoint with its own slot_name for each CDC task");
      else slots.set(`${task.source_endpoint_key}/${slot}`, key);
    }
    mappingIssues(task, baseDir, at);
  }

  // dms.source_egress_cidrs serve the source section's source; further sources name their own networks.
  const external = Object.values(dms.endpoints).some((endpoint) => endpoint.endpoint_type === "source" && sourceKeyOf(endpoint) === PRIMARY_SOURCE_KEY) && config.topology === "single_vpc";
  if (external && dms.source_egress_cidrs.length === 0) {
    issue(["source_egress_cidrs"], "a source endpoint in single_vpc, but the DMS security group may reach no source network", "an empty list", `the CIDR(s) of ${config.source.host ?? "the source database"} (e.g. its /32), so DMS gets egress on port ${config.source.port}`);
  }
  if (config.topology === "three_vpc" && dms.source_egress_cidrs.length > 0) {
    issue(["source_egress_cidrs"], "in three_vpc DMS reaches the source through the source hop", JSON.stringify(dms.source_egress_cidrs), "no source_egress_cidrs (the network grants the hop)");
  }
});

type At = IssueReporter;

/** The engine of the database this stack builds for an endpoint (it then names the engine itself), or undefined. */
function builtEngine(config: Pick<EnvironmentConfig, "source" | "database" | "topology">, endpoint: EndpointConfig): EndpointConfig["engine_name"] {
  if (endpoint.secrets_manager_arn !== undefined) return undefined;
  if (endpoint.endpoint_type === "target") return config.database.enabled ? config.database.engine : undefined;
  // Only the source section's source can be the simulated one.
  if (sourceKeyOf(endpoint) !== PRIMARY_SOURCE_KEY) return undefined;
  return config.topology === "three_vpc" && config.source.simulated.enabled ? config.source.simulated.engine : undefined;
}

/** engine_name as configured, else the built database's. */
function endpointEngine(config: Pick<EnvironmentConfig, "source" | "database" | "topology">, endpoint: EndpointConfig): EndpointConfig["engine_name"] {
  return endpoint.engine_name ?? builtEngine(config, endpoint);
}
type EndpointConfig = EnvironmentConfig["dms"]["endpoints"][string];
type TaskConfig = EnvironmentConfig["dms"]["tasks"][string];

type SourcesConfig = Pick<EnvironmentConfig, "source" | "sources" | "database" | "topology">;

function sourceKeyOf(endpoint: EndpointConfig): string {
  return endpoint.source_key ?? PRIMARY_SOURCE_KEY;
}

/** Whether DMS reaches the endpoint's source (or the target) through a PrivateLink hop. */
function throughHop(endpoint: EndpointConfig, config: SourcesConfig): boolean {
  if (config.topology !== "three_vpc") return false;
  const sourceKey = sourceKeyOf(endpoint);
  return endpoint.endpoint_type === "target" || sourceKey === PRIMARY_SOURCE_KEY || (config.sources[sourceKey]?.ip_addresses.length ?? 0) > 0;
}

function endpointIssues(config: SourcesConfig, key: string, endpoint: EndpointConfig, baseDir: string, name: string, at: At): void {
  const idProblem = dmsIdentifierProblem(`${name}-${key}`, DMS_RESOURCE_ID_MAX);
  if (idProblem) at([], `the endpoint identifier "${name}-${key}" ${idProblem}`, JSON.stringify(key), "a shorter key");
  const sourceKey = sourceKeyOf(endpoint);
  if (endpoint.source_key !== undefined && endpoint.endpoint_type === "target") at(["source_key"], "a target endpoint reads no source", JSON.stringify(endpoint.source_key), "no source_key");
  if (endpoint.endpoint_type === "source" && sourceKey !== PRIMARY_SOURCE_KEY && !config.sources[sourceKey]) {
    at(["source_key"], "no such source", JSON.stringify(sourceKey), `"${PRIMARY_SOURCE_KEY}" or a key of sources (${Object.keys(config.sources).join(", ") || "none defined"})`);
  }
  const built = builtEngine(config, endpoint);
  if (endpoint.engine_name === undefined && built === undefined) {
    at(["engine_name"], "the endpoint reaches a database this stack does not build, so its engine cannot be derived", "nothing", '"postgres", "aurora-postgresql" or "sqlserver"');
  }
  if (endpoint.engine_name !== undefined && built !== undefined && endpoint.engine_name !== built) {
    at(["engine_name"], `the ${endpoint.endpoint_type} database this stack builds is ${built}; DMS must name the same engine`, JSON.stringify(endpoint.engine_name), `"${built}", or no engine_name`);
  }
  const sqlServer = endpoint.engine_name === "sqlserver";
  if (sqlServer && endpoint.endpoint_type === "target") at(["engine_name"], "SQL Server is supported as a source only", '"sqlserver"', '"postgres" or "aurora-postgresql" for a target');
  if (sqlServer && !endpoint.sqlserver_settings) at(["sqlserver_settings"], "a SQL Server source needs its capture method", "nothing", '{ "capture": "ms-cdc" | "ms-replication" | "full-load-only" }');
  if (!sqlServer && endpoint.sqlserver_settings) at(["sqlserver_settings"], "sqlserver_settings apply to engine_name sqlserver only", "an object", "no sqlserver_settings");
  if (sqlServer && endpoint.postgres_settings) at(["postgres_settings"], "postgres_settings apply to PostgreSQL engines only", "an object", "no postgres_settings");
  if (sqlServer && endpoint.sqlserver_settings) {
    const settings = sqlServerSourceSettings(endpoint.sqlserver_settings);
    for (const problem of sqlServerProblems(settings)) {
      const field = problem.setting === "capture" ? "capture" : "set_up_ms_cdc_for_tables";
      at(["sqlserver_settings", field], problem.message, JSON.stringify(endpoint.sqlserver_settings[field]), problem.expected);
    }
  }
  if (endpoint.endpoint_type === "target" && endpoint.postgres_settings) {
    for (const sourceOnly of ["heartbeat_enable", "heartbeat_frequency", "heartbeat_schema", "slot_name", "plugin_name", "capture_ddls", "ddl_artifacts_schema"] as const) {
      if (endpoint.postgres_settings[sourceOnly] !== undefined) at(["postgres_settings", sourceOnly], "a source setting on a target endpoint", JSON.stringify(endpoint.postgres_settings[sourceOnly]), "no such setting on a target");
    }
  }

  const mode = endpointSslMode(endpoint, config);
  const noCa = endpoint.certificate_file === undefined && endpoint.certificate_arn === undefined;
  const missingCa = mode !== undefined && mode !== "require" && noCa;
  if (missingCa) {
    at(
      ["ssl_mode"],
      `${endpoint.ssl_mode === undefined ? `${mode} (the default for a database the stack did not create)` : mode} authenticates the server against its CA, but none is given`,
      endpoint.ssl_mode === undefined ? "no ssl_mode" : JSON.stringify(mode),
      'certificate_file (the PEM of the CA that signed the server certificate) or certificate_arn; or, knowingly, ssl_mode "require" (encrypted, the server not authenticated)',
    );
  }
  if (endpoint.certificate_file !== undefined && endpoint.certificate_arn !== undefined) at(["certificate_arn"], "both certificate_file and certificate_arn are set", JSON.stringify(endpoint.certificate_arn), "one of them");
  if (endpoint.certificate_file !== undefined) {
    const file = resolve(baseDir, endpoint.certificate_file);
    if (!existsSync(file)) at(["certificate_file"], `no such file: ${file}`, JSON.stringify(endpoint.certificate_file), "a PEM file path relative to the tfvars file");
    else {
      const read = readReferencedFile(file);
      if ("problem" in read) at(["certificate_file"], `${file} ${read.problem}`, JSON.stringify(endpoint.certificate_file), "a regular UTF-8 PEM file");
      else if (!read.text.includes("-----BEGIN CERTIFICATE-----")) at(["certificate_file"], `${file} holds no PEM certificate`, JSON.stringify(endpoint.certificate_file), "a file with -----BEGIN CERTIFICATE----- blocks");
    }
  }
  if (sqlServer && mode === "verify-ca") at(["ssl_mode"], "DMS supports require or verify-full for SQL Server, not verify-ca", '"verify-ca"', '"require" or "verify-full"');
  if (throughHop(endpoint, config) && mode === "verify-full" && !missingCa) {
    at(["ssl_mode"], "DMS connects to the hop's VPC endpoint name, which the database's certificate never names, so verify-full always fails", '"verify-full"', sqlServer ? '"require" (SQL Server has no verify-ca)' : '"verify-ca" (checks the CA without the host name)');
  }

  const credentials = (config.database.enabled ? 1 : 0) + (endpoint.secrets_manager_arn ? 1 : 0);
  if (credentials === 0) at(["secrets_manager_arn"], "no credentials: the DMS secrets come from the target database's wiring, which is disabled", "nothing", "database.enabled true, or this endpoint's secrets_manager_arn and secrets_manager_access_role_arn");
  if (endpoint.secrets_manager_arn && !endpoint.secrets_manager_access_role_arn && !config.database.enabled) {
    at(["secrets_manager_access_role_arn"], "a secret without the role DMS reads it with", "nothing", "the ARN of a role DMS can assume to read the secret");
  }
  if (endpoint.endpoint_type === "source" && sourceKey === PRIMARY_SOURCE_KEY && config.topology === "single_vpc" && config.source.host === undefined && !endpoint.secrets_manager_arn) {
    at(["endpoint_type"], "a single_vpc source needs the source's host name", "no source.host", "source.host (written into the DMS source secret's template)");
  }
  if (endpoint.endpoint_type === "target" && config.topology === "single_vpc" && !config.database.enabled) {
    at(["endpoint_type"], "a single_vpc target endpoint needs the target database", "database.enabled false", "database.enabled true");
  }
}

/**
 * The endpoint's TLS mode: as given; for a database the stack creates (the target, the simulated
 * source) undefined, so the stack authenticates it against the RDS CA; for any other server
 * verify-full, or verify-ca through a three_vpc hop (its vpce- name is in no certificate; SQL
 * Server has no verify-ca).
 */
function endpointSslMode(endpoint: EndpointConfig, config: SourcesConfig): EndpointConfig["ssl_mode"] {
  if (endpoint.ssl_mode !== undefined) return endpoint.ssl_mode;
  const simulated = sourceKeyOf(endpoint) === PRIMARY_SOURCE_KEY && config.source.simulated.enabled;
  const stackDatabase = !endpoint.secrets_manager_arn && (endpoint.endpoint_type === "target" ? config.database.enabled : simulated);
  if (stackDatabase) return undefined;
  return authenticatingSslMode(throughHop(endpoint, config), endpoint.engine_name);
}

function cdcStartIssues(task: TaskConfig, source: EndpointConfig | undefined, at: At): void {
  const { cdc_start_time: time, cdc_start_position: position } = task;
  if (time === undefined && position === undefined) return;
  if (time !== undefined && position !== undefined) at(["cdc_start_position"], "both a CDC start time and a start position", JSON.stringify(position), "one of cdc_start_time and cdc_start_position");
  if (task.migration_type !== "cdc") {
    at([time !== undefined ? "cdc_start_time" : "cdc_start_position"], `a CDC start point applies to migration_type "cdc" only`, JSON.stringify(task.migration_type), '"cdc" (a full load starts change capture itself)');
  }
  if (time !== undefined && !isCdcStartTime(time)) at(["cdc_start_time"], "not a time DMS accepts", JSON.stringify(time), "an RFC 3339 time with a zone (2026-05-01T00:00:00Z) or Unix seconds");
  if (position !== undefined && source && source.engine_name !== "sqlserver") {
    if (!POSTGRES_START_POSITION.test(position)) at(["cdc_start_position"], "not a PostgreSQL start position", JSON.stringify(position), "an LSN such as 0/3A2B1C0 (SELECT pg_current_wal_lsn()) or a DMS checkpoint:...");
    if (!source.postgres_settings?.slot_name) {
      at(["cdc_start_position"], `starting from a position needs the replication slot that holds it, but endpoint "${task.source_endpoint_key}" names none`, "no postgres_settings.slot_name", `dms.endpoints.${task.source_endpoint_key}.postgres_settings.slot_name`);
    }
  }
}

function mappingIssues(task: TaskConfig, baseDir: string, at: At): void {
  const typed = task.include !== undefined || task.exclude.length > 0 || task.transformations.length > 0;
  if (task.table_mappings_file !== undefined) {
    if (typed) at(["table_mappings_file"], "both a mapping file and include/exclude/transformations", JSON.stringify(task.table_mappings_file), "either table_mappings_file or the typed rules");
    const file = resolve(baseDir, task.table_mappings_file);
    if (!existsSync(file)) {
      at(["table_mappings_file"], `no such file: ${file}`, JSON.stringify(task.table_mappings_file), "a DMS table-mapping JSON file, relative to the tfvars file");
      return;
    }
    const document = readReferencedJson(file);
    if ("problem" in document) {
      at(["table_mappings_file"], `${file} ${document.problem}`, JSON.stringify(task.table_mappings_file), 'a regular UTF-8 JSON file: { "rules": [ ... ] }');
      return;
    }
    for (const problem of validateTableMappings(document.value)) {
      at(["table_mappings_file"], `${task.table_mappings_file}: ${formatMappingProblem(problem)}`, problem.found, problem.expected);
    }
    return;
  }
  if (!task.include || task.include.length === 0) {
    at(["include"], "no tables selected", task.include ? "an empty list" : "nothing", 'at least one { "schema": ..., "table": ... } (% matches any run of characters), or table_mappings_file');
  }
}

/** DMS's default heartbeat interval in minutes. */
const HEARTBEAT_MINUTES = 5;

export function dmsProps(config: Pick<EnvironmentConfig, "dms" | "source" | "sources" | "database" | "topology">, context: ConfigContext): DmsStackProps | undefined {
  const { isProtected, envDir } = context;
  const dms = config.dms;
  if (!dms.enabled) return undefined;
  const instance = dms.replication_instance;
  const cdcSources = new Set(Object.values(dms.tasks).filter((task) => includesCdc(task.migration_type)).map((task) => task.source_endpoint_key));
  return {
    serviceRoles: dms.service_roles,
    compute: dms.compute,
    serverless: {
      minCapacityUnits: dms.serverless.min_capacity_units,
      maxCapacityUnits: dms.serverless.max_capacity_units,
      multiAz: dms.serverless.multi_az ?? isProtected,
      maintenanceWindow: dms.serverless.maintenance_window,
    },
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
  };
}

function endpointProps(config: SourcesConfig, endpoint: EndpointConfig, readByCdc: boolean, envDir: string): DmsEndpointStackProps {
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
    engine: endpointEngine(config, endpoint) ?? "postgres",
    sourceKey: isSource ? sourceKeyOf(endpoint) : undefined,
    databaseName: endpoint.database_name ?? (isSource ? sourceDatabaseName(config, sourceKeyOf(endpoint)) : config.database.database_name),
    sslMode: endpointSslMode(endpoint, config),
    certificatePem: endpoint.certificate_file === undefined ? undefined : readFileSync(resolve(envDir, endpoint.certificate_file), "utf8"),
    certificateArn: endpoint.certificate_arn,
    secretArn: endpoint.secrets_manager_arn,
    accessRoleArn: endpoint.secrets_manager_access_role_arn,
    kmsKeyArn: endpoint.kms_key_arn,
    postgres,
    sqlServer: sqlServer ? sqlServerSourceSettings(sqlServer) : undefined,
  };
}

function sourceDatabaseName(config: SourcesConfig, sourceKey: string): string {
  return sourceKey === PRIMARY_SOURCE_KEY ? config.source.database_name : config.sources[sourceKey].database_name;
}

function sqlServerSourceSettings(settings: NonNullable<EndpointConfig["sqlserver_settings"]>): SqlServerSourceSettings {
  return {
    capture: settings.capture,
    platform: settings.platform,
    setUpMsCdcForTables: settings.set_up_ms_cdc_for_tables,
    safeguardPolicy: settings.safeguard_policy,
    readBackupOnly: settings.read_backup_only,
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
