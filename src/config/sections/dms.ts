// The `dms` section: flat and readable like terraform-aws-modules/dms. Endpoints and tasks are maps
// keyed by names the user picks; tasks name their endpoints by key (`source_endpoint_key`).
// Relations between keys (a task's endpoints exist and face the right way, CDC start points,
// mapping files, TLS through a hop) are checked in checks/dms.ts.
import { z } from "zod";
import { parseCidr } from "../fields.js";

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
  })
  .describe("SQL Server source settings, sent as extra connection attributes.");

const endpoint = z.strictObject({
  endpoint_type: z.enum(["source", "target"]).describe("source (read from) or target (written to)."),
  engine_name: z
    .enum(["postgres", "aurora-postgresql", "sqlserver"])
    .describe("postgres (RDS, self-managed or on-premises PostgreSQL), aurora-postgresql, or sqlserver (sources only)."),
  database_name: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("Database on the server. Default: source.database_name for sources, database.database_name for targets."),
  ssl_mode: z
    .enum(["require", "verify-ca", "verify-full"])
    .default("require")
    .describe("TLS to the database, always on. require: encrypted. verify-ca: also checks the certificate's CA (certificate_file or certificate_arn). verify-full: also checks the host name, which a PrivateLink hop's DNS name never matches, so it is refused in three_vpc."),
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

const locator = {
  schema: z.string().min(1).describe("Schema name or pattern (% matches any run of characters)."),
  table: z.string().min(1).describe("Table name or pattern (% matches any run of characters)."),
};

const transformation = z.strictObject({
  action: z.enum(["rename", "convert-lowercase", "remove-column", "add-prefix"]).describe("What the rule does."),
  target: z.enum(["schema", "table", "column"]).default("table").describe("What it applies to (remove-column: always column)."),
  schema: z.string().min(1).describe("Schema name or pattern."),
  table: z.string().min(1).optional().describe("Table name or pattern (table and column targets)."),
  column: z.string().min(1).optional().describe("Column name or pattern (column targets)."),
  value: z.string().min(1).optional().describe("The new name (rename) or the prefix (add-prefix)."),
});

const task = z.strictObject({
  source_endpoint_key: key.describe("Key of the source endpoint in dms.endpoints."),
  target_endpoint_key: key.describe("Key of the target endpoint in dms.endpoints."),
  migration_type: z
    .enum(["full-load", "cdc", "full-load-and-cdc"])
    .describe("full-load: copy and stop. cdc: replicate changes only. full-load-and-cdc: copy, then keep replicating changes."),
  include: z
    .array(z.strictObject({ ...locator, load_order: z.number().int().min(0).optional().describe("Higher loads first.") }))
    .optional()
    .describe("Tables to migrate (selection rules). Give include or table_mappings_file."),
  exclude: z.array(z.strictObject(locator)).default([]).describe("Tables left out of the include patterns."),
  transformations: z.array(transformation).default([]).describe("Rename schemas/tables/columns, lowercase names, drop columns, add prefixes."),
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
      timezone: z.string().min(1).default("UTC").describe("IANA time zone of the expression."),
      enabled: z.boolean().default(true).describe("Turn the schedule on."),
    })
    .optional()
    .describe("full-load tasks: re-run the full load on a schedule (EventBridge Scheduler calls StartReplicationTask with reload-target)."),
});

export const dmsSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Create the DMS replication instance, endpoints and tasks."),
    service_roles: z
      .enum(["create", "existing"])
      .default("create")
      .describe("The account-level dms-vpc-role and dms-cloudwatch-logs-role. create: this environment owns them (one environment per account). existing: they exist already (another environment or the console made them) and are only referenced."),
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
          .default("3.6.1")
          .describe("DMS engine version (3.6.1 reads PostgreSQL 17 sources; 3.5.4 is the older supported line)."),
        multi_az: z.boolean().optional().describe("A standby in a second AZ. Default: true in protected environments."),
        kms_key_arn: arn("kms", "a KMS key ARN").optional().describe("KMS key of the instance's storage. Default: the environment's DMS key (customer managed, rotated yearly)."),
        maintenance_window: z
          .string()
          .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC window such as sun:03:00-sun:04:00")
          .optional()
          .describe("Weekly maintenance window, UTC ddd:hh24:mi-ddd:hh24:mi. Default: chosen by DMS."),
        auto_minor_version_upgrade: z.boolean().default(true).describe("Automatic engine upgrades in the maintenance window."),
        apply_immediately: z.boolean().default(false).describe("Apply instance changes at once rather than in the maintenance window."),
      })
      .prefault({})
      .describe("The replication instance (always private, in the DMS VPC's private subnets)."),
    source_egress_cidrs: z
      .array(z.string().refine((value) => parseCidr(value) !== undefined, "expected an IPv4 CIDR such as 10.20.0.0/24 or 10.20.0.15/32"))
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
        enabled: z.boolean().default(false).describe("Alarm on CDCLatencySource and CDCLatencyTarget of every task that includes CDC."),
        threshold_seconds: z.number().int().min(1).default(300).describe("Latency that raises the alarm."),
        evaluation_periods: z.number().int().min(1).default(3).describe("Consecutive 5-minute periods above the threshold."),
      })
      .prefault({})
      .describe("CloudWatch alarms on CDC replication lag, notifying the events topic."),
  })
  .prefault({})
  .describe("AWS DMS: service roles, replication instance, endpoints and tasks. See docs/dms.md.");
