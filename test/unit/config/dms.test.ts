// The `dms` section: every bad input names the file, the JSON path and what was expected; good
// inputs (mapping files, certificates relative to the tfvars file) reach the stack's props.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { dmsTaskScopes } from "../../../src/config/dms-task-scopes.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

type Json = Record<string, unknown>;

/** A valid DMS section: one source, one target, a full-load and a CDC task. */
function validDms(): Json {
  return {
    enabled: true,
    endpoints: {
      // An external source: its CA is not known here, so "require" is said out loud.
      source: { endpoint_type: "source", engine_name: "postgres", ssl_mode: "require" },
      target: { endpoint_type: "target", engine_name: "aurora-postgresql" },
    },
    tasks: {
      snapshot: { source_endpoint_key: "source", target_endpoint_key: "target", migration_type: "full-load", include: [{ schema: "demo_schema", table: "demo_accounts" }] },
      replication: { source_endpoint_key: "source", target_endpoint_key: "target", migration_type: "full-load-and-cdc", include: [{ schema: "demo_schema", table: "%" }] },
    },
  };
}

function withDms(change: (dms: Json) => void, base: Json = validDms()): Json {
  change(base);
  return base;
}

/** `{ file: content }` written into the env dir next to the tfvars files. */
function load(dms: Json, options: { common?: Json; extraFiles?: Record<string, string> } = {}) {
  tree = variablesTree({ dev: { "common.tfvars.json": options.common ?? validThreeVpc(), "dms.tfvars.json": { dms } } });
  for (const [file, content] of Object.entries(options.extraFiles ?? {})) {
    mkdirSync(join(tree.dir, "dev", file, ".."), { recursive: true });
    writeFileSync(join(tree.dir, "dev", file), content);
  }
  return loadEnvironments(tree.dir);
}

function issuesFor(dms: Json, options: Parameters<typeof load>[1] = {}): ConfigIssue[] {
  try {
    load(dms, options);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

interface BadDms {
  readonly name: string;
  readonly dms: Json;
  readonly common?: Json;
  readonly extraFiles?: Record<string, string>;
  readonly path: string;
  readonly says: RegExp;
}

const badMapping = JSON.stringify({
  rules: [
    { "rule-type": "selection", "rule-id": "1", "rule-name": "all", "object-locator": { "schema-name": "demo_schema", "table-name": "%" }, "rule-action": "include" },
    { "rule-type": "selection", "rule-id": "2", "rule-name": "broken", "object-locator": { "schema-name": "demo_schema" }, "rule-action": "include" },
  ],
});
const fileTask = (file: string) => withDms((d) => ((d.tasks as Json).snapshot = { source_endpoint_key: "source", target_endpoint_key: "target", migration_type: "full-load", table_mappings_file: file }));
const task = (d: Json, key: string) => (d.tasks as Record<string, Json>)[key];
const endpoint = (d: Json, key: string) => (d.endpoints as Record<string, Json>)[key];

const badConfigs: BadDms[] = [
  { name: "a task naming a missing endpoint", dms: withDms((d) => (task(d, "snapshot").source_endpoint_key = "legacy")), path: "$.dms.tasks.snapshot.source_endpoint_key", says: /no such endpoint.*source, target/ },
  { name: "a target endpoint used as the source", dms: withDms((d) => (task(d, "snapshot").source_endpoint_key = "target")), path: "$.dms.tasks.snapshot.source_endpoint_key", says: /is a target endpoint.*endpoint_type source/ },
  { name: "a CDC start time on a full-load-and-cdc task", dms: withDms((d) => (task(d, "replication").cdc_start_time = "2026-05-01T00:00:00Z")), path: "$.dms.tasks.replication.cdc_start_time", says: /migration_type "cdc" only/ },
  { name: "a CDC start time DMS cannot read", dms: withDms((d) => Object.assign(task(d, "replication"), { migration_type: "cdc", cdc_start_time: "01/05/2026" })), path: "$.dms.tasks.replication.cdc_start_time", says: /RFC 3339/ },
  { name: "a CDC start position without a replication slot", dms: withDms((d) => Object.assign(task(d, "replication"), { migration_type: "cdc", cdc_start_position: "0/3A2B1C0" })), path: "$.dms.tasks.replication.cdc_start_position", says: /replication slot.*slot_name/ },
  { name: "a CDC start position that is no LSN", dms: withDms((d) => { Object.assign(task(d, "replication"), { migration_type: "cdc", cdc_start_position: "yesterday" }); endpoint(d, "source").postgres_settings = { slot_name: "dms" }; }), path: "$.dms.tasks.replication.cdc_start_position", says: /LSN/ },
  { name: "a mapping file whose rule lacks its table", dms: fileTask("mappings/accounts.json"), extraFiles: { "mappings/accounts.json": badMapping }, path: "$.dms.tasks.snapshot.table_mappings_file", says: /mappings\/accounts\.json: rules\[1\]\.object-locator\.table-name: missing/ },
  { name: "a mapping file that does not exist", dms: fileTask("mappings/nope.json"), path: "$.dms.tasks.snapshot.table_mappings_file", says: /no such file/ },
  { name: "a mapping file that is not JSON", dms: fileTask("m.json"), extraFiles: { "m.json": "{ rules: [" }, path: "$.dms.tasks.snapshot.table_mappings_file", says: /m\.json invalid JSON at line 1, column 3: unexpected character; found "r"/ },
  { name: "a mapping file with a duplicate key", dms: fileTask("m.json"), extraFiles: { "m.json": '{\n  "rules": [],\n  "rules": []\n}' }, path: "$.dms.tasks.snapshot.table_mappings_file", says: /duplicate key "rules" at line 3, column 3 \(first at line 2, column 3\)/ },
  { name: "a mapping file that is a directory", dms: fileTask("mappings"), extraFiles: { "mappings/a.json": "{}" }, path: "$.dms.tasks.snapshot.table_mappings_file", says: /mappings is a directory, not a file/ },
  { name: "a certificate file that is a directory", dms: withDms((d) => Object.assign(endpoint(d, "target"), { ssl_mode: "verify-ca", certificate_file: "certs" })), extraFiles: { "certs/ca.pem": "x" }, path: "$.dms.endpoints.target.certificate_file", says: /certs is a directory, not a file/ },
  { name: "a task that selects no table", dms: withDms((d) => delete task(d, "snapshot").include), path: "$.dms.tasks.snapshot.include", says: /no tables selected/ },
  { name: "a rename without the new name", dms: withDms((d) => (task(d, "snapshot").transformations = [{ action: "rename", target: "schema", schema: "demo_schema" }])), path: "$.dms.tasks.snapshot.transformations[0].value", says: /rename needs a value/ },
  { name: "a column rule without the column", dms: withDms((d) => (task(d, "snapshot").transformations = [{ action: "remove-column", schema: "s", table: "t" }])), path: "$.dms.tasks.snapshot.transformations[0].column", says: /needs the column/ },
  { name: "verify-full through a PrivateLink hop", dms: withDms((d) => Object.assign(endpoint(d, "target"), { ssl_mode: "verify-full", certificate_arn: "arn:aws:dms:us-east-1:111122223333:cert:X" })), path: "$.dms.endpoints.target.ssl_mode", says: /hop's VPC endpoint name.*verify-ca/ },
  { name: "verify-ca without a CA", dms: withDms((d) => (endpoint(d, "source").ssl_mode = "verify-ca")), path: "$.dms.endpoints.source.ssl_mode", says: /none is given.*certificate_file/ },
  { name: "an external source with neither ssl_mode nor its CA", dms: withDms((d) => delete endpoint(d, "source").ssl_mode), path: "$.dms.endpoints.source.ssl_mode", says: /verify-ca \(the default for a database the stack did not create\).*none is given.*"require"/ },
  { name: "TLS switched off", dms: withDms((d) => (endpoint(d, "target").ssl_mode = "none")), path: "$.dms.endpoints.target.ssl_mode", says: /not an allowed value.*"require"/ },
  { name: "a certificate file that is not PEM", dms: withDms((d) => Object.assign(endpoint(d, "target"), { ssl_mode: "verify-ca", certificate_file: "ca.pem" })), extraFiles: { "ca.pem": "not a certificate" }, path: "$.dms.endpoints.target.certificate_file", says: /no PEM certificate/ },
  { name: "SQL Server as a target", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), target: { endpoint_type: "target", engine_name: "sqlserver", sqlserver_settings: { capture: "ms-cdc" } } })), path: "$.dms.endpoints.target.engine_name", says: /source only/ },
  { name: "a SQL Server source without its capture method", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), source: { endpoint_type: "source", engine_name: "sqlserver" } })), path: "$.dms.endpoints.source.sqlserver_settings", says: /capture method/ },
  { name: "CDC from a full-load-only SQL Server source", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), source: { endpoint_type: "source", engine_name: "sqlserver", sqlserver_settings: { capture: "full-load-only" } } })), path: "$.dms.tasks.replication.migration_type", says: /captures no changes/ },
  { name: "MS-Replication on RDS for SQL Server", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), source: { endpoint_type: "source", engine_name: "sqlserver", ssl_mode: "require", sqlserver_settings: { capture: "ms-replication", platform: "rds" } } })), path: "$.dms.endpoints.source.sqlserver_settings.capture", says: /does not support MS-Replication/ },
  { name: "DMS setting up MS-CDC on RDS for SQL Server", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), source: { endpoint_type: "source", engine_name: "sqlserver", ssl_mode: "require", sqlserver_settings: { capture: "ms-cdc", platform: "rds", set_up_ms_cdc_for_tables: true } } })), path: "$.dms.endpoints.source.sqlserver_settings.set_up_ms_cdc_for_tables", says: /sysadmin/ },
  { name: "MS-CDC set up for a full-load-only SQL Server source", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), source: { endpoint_type: "source", engine_name: "sqlserver", ssl_mode: "require", sqlserver_settings: { capture: "full-load-only", set_up_ms_cdc_for_tables: true } } })), path: "$.dms.endpoints.source.sqlserver_settings.set_up_ms_cdc_for_tables", says: /no MS-CDC to set up/ },
  { name: "a source endpoint naming no source", dms: withDms((d) => (endpoint(d, "source").source_key = "crm")), path: "$.dms.endpoints.source.source_key", says: /no such source.*"source" or a key of sources \(none defined\)/ },
  { name: "a target endpoint naming a source", dms: withDms((d) => (endpoint(d, "target").source_key = "source")), path: "$.dms.endpoints.target.source_key", says: /reads no source/ },
  { name: "a reload schedule on a CDC task", dms: withDms((d) => (task(d, "replication").reload_schedule = { expression: "cron(0 2 * * ? *)" })), path: "$.dms.tasks.replication.reload_schedule", says: /re-runs a full load/ },
  { name: "a schedule that is not cron() or rate()", dms: withDms((d) => (task(d, "snapshot").reload_schedule = { expression: "0 2 * * *" })), path: "$.dms.tasks.snapshot.reload_schedule.expression", says: /cron\(0 2/ },
  { name: "two CDC tasks on one replication slot", dms: withDms((d) => { endpoint(d, "source").postgres_settings = { slot_name: "dms_slot" }; task(d, "snapshot").migration_type = "cdc"; }), path: "$.dms.tasks.replication.source_endpoint_key", says: /already read by task "snapshot"/ },
  { name: "a heartbeat on a target endpoint", dms: withDms((d) => (endpoint(d, "target").postgres_settings = { heartbeat_enable: true })), path: "$.dms.endpoints.target.postgres_settings.heartbeat_enable", says: /source setting on a target/ },
  { name: "an endpoint key DMS identifiers cannot hold", dms: withDms((d) => (d.endpoints = { ...(d.endpoints as Json), Legacy_DB: { endpoint_type: "source", engine_name: "postgres" } })), path: "$.dms.endpoints.Legacy_DB", says: /lowercase letters and digits/ },
  { name: "an unknown key in a task", dms: withDms((d) => (task(d, "snapshot").migrationtype = "cdc")), path: "$.dms.tasks.snapshot.migrationtype", says: /did you mean "migration_type"/ },
  { name: "endpoints and tasks while DMS is disabled", dms: withDms((d) => (d.enabled = false)), path: "$.dms.enabled", says: /not enabled/ },
  { name: "an external single_vpc source DMS has no egress to", dms: validDms(), common: validSingleVpc(), path: "$.dms.source_egress_cidrs", says: /may reach no source network.*db\.example\.com/ },
  { name: "an e-mail subscriber that is not an address", dms: withDms((d) => (d.notifications = { emails: ["dba at example"] })), path: "$.dms.notifications.emails[0]", says: /e-mail/ },
  { name: "an engine version that is not 3.x.y", dms: withDms((d) => (d.replication_instance = { engine_version: "3.6" })), path: "$.dms.replication_instance.engine_version", says: /3\.6\.1/ },
  { name: "an engine version AWS no longer creates instances with", dms: withDms((d) => (d.replication_instance = { engine_version: "3.5.3" })), path: "$.dms.replication_instance.engine_version", says: /no new replication instance.*"3\.5\.3".*3\.6\.1/ },
  { name: "an engine_name other than the database this stack builds", dms: withDms((d) => ((d.endpoints as Record<string, Json>).target.engine_name = "postgres")), path: "$.dms.endpoints.target.engine_name", says: /builds is aurora-postgresql.*"postgres".*"aurora-postgresql", or no engine_name/ },
  { name: "no engine_name for a database this stack does not build", dms: withDms((d) => delete (d.endpoints as Record<string, Json>).source.engine_name), path: "$.dms.endpoints.source.engine_name", says: /cannot be derived/ },
  { name: "CDC latency alarms nobody receives", dms: withDms((d) => (d.cdc_latency_alarms = { enabled: true })), path: "$.dms.cdc_latency_alarms.enabled", says: /no subscriber.*notifications\.emails/ },
  { name: "serverless capacity that is no DCU size", dms: withDms((d) => Object.assign(d, { compute: "serverless", serverless: { min_capacity_units: 3 } })), path: "$.dms.serverless.min_capacity_units", says: /3 DCU is not one of 1, 2, 4/ },
  { name: "a serverless minimum above the maximum", dms: withDms((d) => Object.assign(d, { compute: "serverless", serverless: { min_capacity_units: 32, max_capacity_units: 8 } })), path: "$.dms.serverless.min_capacity_units", says: /above the maximum 8/ },
  { name: "a CDC start point on DMS Serverless", dms: withDms((d) => { d.compute = "serverless"; Object.assign(task(d, "replication"), { migration_type: "cdc", cdc_start_time: "2026-05-01T00:00:00Z" }); }), path: "$.dms.tasks.replication.cdc_start_time", says: /does not support custom CDC start points/ },
  { name: "a reload schedule on DMS Serverless", dms: withDms((d) => { d.compute = "serverless"; task(d, "snapshot").reload_schedule = { expression: "cron(0 2 * * ? *)" }; }), path: "$.dms.tasks.snapshot.reload_schedule", says: /serverless replications have none/ },
  { name: "endpoints without credentials when the database is disabled", dms: validDms(), common: { ...validThreeVpc(), database: { enabled: false } }, path: "$.dms.endpoints.source.secrets_manager_arn", says: /no credentials/ },
];

describe("dms config: bad inputs", () => {
  for (const bad of badConfigs) {
    it(`rejects ${bad.name}`, () => {
      const issues = issuesFor(bad.dms, { common: bad.common, extraFiles: bad.extraFiles });
      const text = (issue: ConfigIssue) => [issue.message, issue.found, issue.expected].join(" | ");
      const match = issues.find((issue) => issue.path === bad.path && bad.says.test(text(issue)));
      expect(match, `no issue at ${bad.path} matching ${bad.says}; got ${JSON.stringify(issues, null, 2)}`).toBeDefined();
      expect(match!.file).toMatch(/dev[\\/]dms\.tfvars\.json$/);
      expect(match!.expected).toBeTruthy();
    });
  }
});

describe("dms config: good inputs", () => {
  it("is off by default: an environment without the section gets no DMS", () => {
    tree = variablesTree({ dev: { "common.tfvars.json": validThreeVpc() } });
    expect(loadEnvironments(tree.dir)[0].props.dms).toBeUndefined();
  });

  it("derives engine_name from the database this stack builds", () => {
    const [env] = load(withDms((d) => delete (d.endpoints as Record<string, Json>).target.engine_name));
    expect(env.props.dms!.endpoints.target.engine).toBe("aurora-postgresql");
  });

  it("maps the section to stack props with protection-dependent defaults and the CDC heartbeat on CDC sources", () => {
    const [env] = load(validDms(), { common: { ...validThreeVpc(), protected: true } });
    const dms = env.props.dms!;
    expect(dms.instance).toMatchObject({ instanceClass: "dms.t3.medium", engineVersion: "3.6.1", multiAz: true, allocatedStorageGb: 50 });
    expect(dms.endpoints.source.postgres).toEqual(expect.objectContaining({ heartbeatEnable: true, heartbeatFrequency: 5 }));
    expect(dms.endpoints.target.postgres).toBeUndefined();
    // The stack's own target: no mode here, the stack authenticates it against the RDS CA.
    expect(dms.endpoints.target).toMatchObject({ sslMode: undefined, databaseName: "app" });
    expect(dms.endpoints.source).toMatchObject({ sslMode: "require" });
    expect(dms.tasks.snapshot).toMatchObject({ migrationType: "full-load", start: false, settings: { validation: true, logging: true, lobMode: "limited", lobMaxSizeKb: 32 } });
  });

  it("reads mapping files and CA certificates relative to the tfvars file, and synthesizes the certificate", () => {
    const pem = execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "/dev/null", "-subj", "/CN=test-ca", "-days", "1"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const mapping = JSON.stringify({ rules: [{ "rule-type": "selection", "rule-id": "1", "rule-name": "orders", "object-locator": { "schema-name": "sales", "table-name": "order%" }, "rule-action": "include" }] });
    const dms = withDms((d) => {
      Object.assign(endpoint(d, "target"), { ssl_mode: "verify-ca", certificate_file: "certs/ca.pem" });
      task(d, "snapshot").include = undefined;
      delete task(d, "snapshot").include;
      task(d, "snapshot").table_mappings_file = "mappings/orders.json";
    });
    const [env] = load(dms, { extraFiles: { "certs/ca.pem": pem, "mappings/orders.json": mapping } });
    expect(env.props.dms!.endpoints.target.certificatePem).toBe(pem);
    expect(env.props.dms!.tasks.snapshot.tableMappings).toEqual(JSON.parse(mapping));
    expect(dmsTaskScopes(env).snapshot).toMatchObject({ tables: [{ schema: "sales", table: "order%" }], migrationType: "full-load" });
  });
});

const badSources: BadDms[] = [
  { name: "a further source keyed like the source section", dms: validDms(), common: { ...validThreeVpc(), sources: { source: { ip_addresses: ["192.168.1.40"], database_name: "crm", username: "dms" } } }, path: "$.sources.source", says: /source section's key/ },
  { name: "a further source DMS cannot reach", dms: validDms(), common: { ...validThreeVpc(), sources: { crm: { database_name: "crm", username: "dms" } } }, path: "$.sources.crm", says: /no way to reach.*ip_addresses.*host and network_cidrs/ },
  { name: "a further source by host with no network to reach", dms: validDms(), common: { ...validThreeVpc(), sources: { crm: { host: "crm.corp.example", database_name: "crm", username: "dms" } } }, path: "$.sources.crm.network_cidrs", says: /may reach no network of crm\.corp\.example/ },
  { name: "a further source with both a hop and a host", dms: validDms(), common: { ...validThreeVpc(), sources: { crm: { ip_addresses: ["192.168.1.40"], host: "crm.corp.example", network_cidrs: ["10.1.0.0/24"], database_name: "crm", username: "dms" } } }, path: "$.sources.crm.host", says: /not both/ },
  { name: "a further source's IP targets in single_vpc", dms: validDms(), common: { ...validSingleVpc(), sources: { crm: { ip_addresses: ["10.1.0.40"], database_name: "crm", username: "dms" } } }, path: "$.sources.crm.ip_addresses", says: /by host name/ },
  { name: "a further source's IP outside the source VPC with no gateway", dms: validDms(), common: { ...validThreeVpc(), sources: { crm: { ip_addresses: ["10.77.0.40"], database_name: "crm", username: "dms" } } }, path: "$.sources.crm.ip_addresses", says: /outside the source VPC/ },
];

describe("DMS config: several sources", () => {
  it.each(badSources)("rejects $name at $path (common.tfvars.json)", (bad) => {
    const issues = issuesFor(bad.dms, { common: bad.common });
    const text = (issue: ConfigIssue) => [issue.message, issue.found, issue.expected].join(" | ");
    const match = issues.find((issue) => issue.path === bad.path && bad.says.test(text(issue)));
    expect(match, `no issue at ${bad.path} matching ${bad.says}; got ${JSON.stringify(issues, null, 2)}`).toBeDefined();
    expect(match!.file).toMatch(/dev[\\/]common\.tfvars\.json$/);
  });

  it("normalizes the source section and sources into one map, one hop per further source, endpoints naming theirs", () => {
    const sources = { crm: { ip_addresses: ["192.168.2.40"], port: 1433, database_name: "CRM", username: "dms_reader" } };
    const dms = withDms((d) => {
      (d.endpoints as Json).crm = { endpoint_type: "source", engine_name: "sqlserver", source_key: "crm", ssl_mode: "require", sqlserver_settings: { capture: "ms-cdc", platform: "self-managed" } };
      (d.tasks as Json).crm = { source_endpoint_key: "crm", target_endpoint_key: "target", migration_type: "full-load", include: [{ schema: "dbo", table: "%" }] };
    });
    const [env] = load(dms, { common: { ...validThreeVpc(), sources } });
    const props = env.props;
    expect(Object.keys(props.database!.sources)).toEqual(["source", "crm"]);
    expect(props.database!.sources.crm).toEqual({ host: undefined, port: 1433, databaseName: "CRM", username: "dms_reader", networkCidrs: [], throughHop: true });
    expect(props.network.topology === "three_vpc" && props.network.additionalSourceHops?.crm).toMatchObject({ port: 1433, ipTargets: ["192.168.2.40"], loadBalancerName: expect.stringMatching(/-source-crm$/) });
    expect(props.dms!.endpoints.crm).toMatchObject({ sourceKey: "crm", databaseName: "CRM", sslMode: "require", sqlServer: { capture: "ms-cdc", platform: "self-managed", setUpMsCdcForTables: false } });
    expect(props.dms!.endpoints.source.sourceKey).toBe("source");
  });

  it("keeps the single-source form as it was: one entry keyed source, no further hop", () => {
    const [env] = load(validDms());
    expect(Object.keys(env.props.database!.sources)).toEqual(["source"]);
    expect(env.props.network.topology === "three_vpc" && env.props.network.additionalSourceHops).toEqual({});
  });
});

