// Cross-field checks of the `dms` section: everything DMS or the provider would otherwise refuse at
// apply time (or worse, accept and fail at task start): tasks naming missing or wrongly-facing
// endpoints, CDC start points on the wrong task type or in the wrong format, mapping files that
// are not DMS rule documents, certificates that cannot verify through a PrivateLink hop, a
// replication slot shared by two tasks, a single_vpc source DMS has no route to.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DMS_INSTANCE_ID_MAX, DMS_RESOURCE_ID_MAX, dmsIdentifierProblem } from "../../../modules/dms/dms-identifiers.js";
import { isCdcStartTime } from "../../../modules/dms/replication-task.js";
import { formatMappingProblem, validateTableMappings } from "../../../modules/dms/table-mappings.js";
import { ConfigIssue, FileOf, issueCollector } from "../errors.js";
import type { EnvironmentConfig } from "../schema.js";


/** A PostgreSQL LSN (`0/3A2B1C0`) or a DMS checkpoint (`checkpoint:V1#...`). */
const POSTGRES_START_POSITION = /^([0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}|checkpoint:.+)$/;

export function dmsIssues(config: EnvironmentConfig, dirName: string, fileOf: FileOf): ConfigIssue[] {
  const dms = config.dms;
  // Paths below are relative to the dms section.
  const { issues, issue: report } = issueCollector(fileOf);
  const issue: typeof report = (path, ...rest) => report(["dms", ...path], ...rest);

  if (!dms.enabled) {
    const configured = Object.keys(dms.endpoints).length + Object.keys(dms.tasks).length;
    if (configured > 0) issue(["enabled"], "endpoints or tasks are configured but DMS is not enabled", "false", "true (or remove dms.endpoints and dms.tasks)");
    return issues;
  }
  // Files named in the dms section are relative to the tfvars file that set it.
  const baseDir = dirname(resolve(fileOf(["dms"])));
  const name = `${config.project}-${config.environment ?? dirName}`;
  const nameProblem = dmsIdentifierProblem(name, DMS_INSTANCE_ID_MAX);
  if (nameProblem) issue([], `the replication instance identifier "${name}" (<project>-<environment>) ${nameProblem}`, JSON.stringify(name), "a project and environment name that form a valid DMS identifier");

  for (const [key, endpoint] of Object.entries(dms.endpoints)) {
    endpointIssues(config, key, endpoint, baseDir, name, (path, ...rest) => issue(["endpoints", key, ...path], ...rest));
  }

  const slots = new Map<string, string>();
  for (const [key, task] of Object.entries(dms.tasks)) {
    const at = (path: PropertyKey[], message: string, found: string | undefined, expected: string) => issue(["tasks", key, ...path], message, found, expected);
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

    const cdc = task.migration_type !== "full-load";
    if (source?.sqlserver_settings?.capture === "full-load-only" && cdc) {
      at(["migration_type"], `source "${task.source_endpoint_key}" captures no changes (sqlserver_settings.capture full-load-only)`, JSON.stringify(task.migration_type), '"full-load" (with a reload_schedule to refresh it), or a capture method on the source');
    }
    cdcStartIssues(task, source, at);
    if (task.reload_schedule && task.migration_type !== "full-load") {
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

  const external = Object.values(dms.endpoints).some((endpoint) => endpoint.endpoint_type === "source") && config.topology === "single_vpc";
  if (external && dms.source_egress_cidrs.length === 0) {
    issue(["source_egress_cidrs"], "a source endpoint in single_vpc, but the DMS security group may reach no source network", "an empty list", `the CIDR(s) of ${config.source.host ?? "the source database"} (e.g. its /32), so DMS gets egress on port ${config.source.port}`);
  }
  if (config.topology === "three_vpc" && dms.source_egress_cidrs.length > 0) {
    issue(["source_egress_cidrs"], "in three_vpc DMS reaches the source through the source hop", JSON.stringify(dms.source_egress_cidrs), "no source_egress_cidrs (the network grants the hop)");
  }
  return issues;
}

type At = (path: PropertyKey[], message: string, found: string | undefined, expected: string) => void;
type EndpointConfig = EnvironmentConfig["dms"]["endpoints"][string];
type TaskConfig = EnvironmentConfig["dms"]["tasks"][string];

function endpointIssues(config: EnvironmentConfig, key: string, endpoint: EndpointConfig, baseDir: string, name: string, at: At): void {
  const idProblem = dmsIdentifierProblem(`${name}-${key}`, DMS_RESOURCE_ID_MAX);
  if (idProblem) at([], `the endpoint identifier "${name}-${key}" ${idProblem}`, JSON.stringify(key), "a shorter key");
  const sqlServer = endpoint.engine_name === "sqlserver";
  if (sqlServer && endpoint.endpoint_type === "target") at(["engine_name"], "SQL Server is supported as a source only", '"sqlserver"', '"postgres" or "aurora-postgresql" for a target');
  if (sqlServer && !endpoint.sqlserver_settings) at(["sqlserver_settings"], "a SQL Server source needs its capture method", "nothing", '{ "capture": "ms-cdc" | "ms-replication" | "full-load-only" }');
  if (!sqlServer && endpoint.sqlserver_settings) at(["sqlserver_settings"], "sqlserver_settings apply to engine_name sqlserver only", "an object", "no sqlserver_settings");
  if (sqlServer && endpoint.postgres_settings) at(["postgres_settings"], "postgres_settings apply to PostgreSQL engines only", "an object", "no postgres_settings");
  if (endpoint.endpoint_type === "target" && endpoint.postgres_settings) {
    for (const sourceOnly of ["heartbeat_enable", "heartbeat_frequency", "heartbeat_schema", "slot_name", "plugin_name", "capture_ddls", "ddl_artifacts_schema"] as const) {
      if (endpoint.postgres_settings[sourceOnly] !== undefined) at(["postgres_settings", sourceOnly], "a source setting on a target endpoint", JSON.stringify(endpoint.postgres_settings[sourceOnly]), "no such setting on a target");
    }
  }

  const mode = endpoint.ssl_mode;
  if (mode !== "require" && endpoint.certificate_file === undefined && endpoint.certificate_arn === undefined) {
    at(["ssl_mode"], `${mode} checks the server certificate against a CA, but none is given`, JSON.stringify(mode), "certificate_file (a PEM, e.g. the RDS global bundle) or certificate_arn, or ssl_mode require");
  }
  if (endpoint.certificate_file !== undefined && endpoint.certificate_arn !== undefined) at(["certificate_arn"], "both certificate_file and certificate_arn are set", JSON.stringify(endpoint.certificate_arn), "one of them");
  if (endpoint.certificate_file !== undefined) {
    const file = resolve(baseDir, endpoint.certificate_file);
    if (!existsSync(file)) at(["certificate_file"], `no such file: ${file}`, JSON.stringify(endpoint.certificate_file), "a PEM file path relative to the tfvars file");
    else if (!readFileSync(file, "utf8").includes("-----BEGIN CERTIFICATE-----")) at(["certificate_file"], `${file} holds no PEM certificate`, JSON.stringify(endpoint.certificate_file), "a file with -----BEGIN CERTIFICATE----- blocks");
  }
  if (sqlServer && mode === "verify-ca") at(["ssl_mode"], "DMS supports require or verify-full for SQL Server, not verify-ca", '"verify-ca"', '"require" or "verify-full"');
  if (config.topology === "three_vpc" && mode === "verify-full") {
    at(["ssl_mode"], "DMS connects to the hop's VPC endpoint name, which the database's certificate never names, so verify-full always fails", '"verify-full"', sqlServer ? '"require" (SQL Server has no verify-ca)' : '"verify-ca" (checks the CA without the host name)');
  }

  const credentials = (config.database.enabled ? 1 : 0) + (endpoint.secrets_manager_arn ? 1 : 0);
  if (credentials === 0) at(["secrets_manager_arn"], "no credentials: the DMS secrets come from the target database's wiring, which is disabled", "nothing", "database.enabled true, or this endpoint's secrets_manager_arn and secrets_manager_access_role_arn");
  if (endpoint.secrets_manager_arn && !endpoint.secrets_manager_access_role_arn && !config.database.enabled) {
    at(["secrets_manager_access_role_arn"], "a secret without the role DMS reads it with", "nothing", "the ARN of a role DMS can assume to read the secret");
  }
  if (endpoint.endpoint_type === "source" && config.topology === "single_vpc" && config.source.host === undefined && !endpoint.secrets_manager_arn) {
    at(["endpoint_type"], "a single_vpc source needs the source's host name", "no source.host", "source.host (written into the DMS source secret's template)");
  }
  if (endpoint.endpoint_type === "target" && config.topology === "single_vpc" && !config.database.enabled) {
    at(["endpoint_type"], "a single_vpc target endpoint needs the target database", "database.enabled false", "database.enabled true");
  }
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
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      at(["table_mappings_file"], `${file} is not valid JSON: ${(error as Error).message}`, JSON.stringify(task.table_mappings_file), '{ "rules": [ ... ] }');
      return;
    }
    for (const problem of validateTableMappings(document)) {
      at(["table_mappings_file"], `${task.table_mappings_file}: ${formatMappingProblem(problem)}`, problem.found, problem.expected);
    }
    return;
  }
  if (!task.include || task.include.length === 0) {
    at(["include"], "no tables selected", task.include ? "an empty list" : "nothing", 'at least one { "schema": ..., "table": ... } (% matches any run of characters), or table_mappings_file');
  }
  task.transformations.forEach((rule, index) => {
    const target = rule.action === "remove-column" ? "column" : rule.target;
    const path = ["transformations", index];
    if ((target === "table" || target === "column") && rule.table === undefined) at([...path, "table"], `a ${target} rule needs the table`, "nothing", "a table name or pattern");
    if (target === "column" && rule.column === undefined) at([...path, "column"], "a column rule needs the column", "nothing", "a column name or pattern");
    if ((rule.action === "rename" || rule.action === "add-prefix") && rule.value === undefined) at([...path, "value"], `${rule.action} needs a value`, "nothing", rule.action === "rename" ? "the new name" : "the prefix");
    if (rule.action === "remove-column" && rule.target !== "column" && rule.target !== "table") at([...path, "target"], "remove-column works on columns", JSON.stringify(rule.target), '"column"');
  });
}
