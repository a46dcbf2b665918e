// Two sources in one environment, through real Terraform: prod (three_vpc, the simulated
// PostgreSQL source) plus a self-managed SQL Server source with its own hop and its own secret.
// A fixture environment rather than a reference one: a real SQL Server's addresses are not
// something a reference environment can know without placeholders.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/config/load.js";
import { policySuppressions } from "../../src/config/policy.js";
import { evaluatePolicy } from "../../src/policy/engine.js";
import { REFERENCE_VARIABLES, referencePlan, referenceStack } from "../helpers/synth.js";

const variablesDir = mkdtempSync(join(tmpdir(), "lz-sources-"));
afterAll(() => rmSync(variablesDir, { recursive: true, force: true }));
cpSync(REFERENCE_VARIABLES, variablesDir, { recursive: true });

const dmsFile = join(variablesDir, "prod", "dms.tfvars.json");
const dms = JSON.parse(readFileSync(dmsFile, "utf8"));
dms.dms.endpoints.crm = {
  endpoint_type: "source",
  engine_name: "sqlserver",
  source_key: "crm",
  // SQL Server has no verify-ca, and no certificate names the hop's vpce- DNS name.
  ssl_mode: "require",
  sqlserver_settings: { capture: "ms-cdc", safeguard_policy: "rely-on-sql-server-replication-agent" },
};
dms.dms.tasks["crm-replication"] = {
  source_endpoint_key: "crm",
  target_endpoint_key: "target",
  migration_type: "full-load-and-cdc",
  include: [{ schema: "dbo", table: "%" }],
  transformations: [{ action: "rename", target: "schema", schema: "dbo", value: "crm" }],
};
writeFileSync(dmsFile, JSON.stringify(dms));
writeFileSync(
  join(variablesDir, "prod", "sources.tfvars.json"),
  JSON.stringify({ sources: { crm: { ip_addresses: ["172.20.2.40"], port: 1433, database_name: "CRM", username: "dms_reader" } } }),
);

// single_vpc: a further source reached by host name over a path that exists (a peering, a VPN).
const singleDmsFile = join(variablesDir, "single-vpc", "dms.tfvars.json");
const singleDms = JSON.parse(readFileSync(singleDmsFile, "utf8"));
singleDms.dms.endpoints["ledger-source"] = { endpoint_type: "source", engine_name: "sqlserver", source_key: "ledger", ssl_mode: "require", sqlserver_settings: { capture: "full-load-only" } };
singleDms.dms.tasks["ledger-copy"] = { source_endpoint_key: "ledger-source", target_endpoint_key: "blog-target", migration_type: "full-load", include: [{ schema: "dbo", table: "%" }] };
writeFileSync(singleDmsFile, JSON.stringify(singleDms));
writeFileSync(
  join(variablesDir, "single-vpc", "sources.tfvars.json"),
  JSON.stringify({ sources: { ledger: { host: "ledger.corp.example", network_cidrs: ["10.60.4.0/24"], port: 1433, database_name: "Ledger", username: "dms_reader" } } }),
);

type Resource = Record<string, unknown>;

describe("two sources in a three_vpc environment", () => {
  const { json, plan } = referencePlan("prod", variablesDir);
  const resources = (type: string): Record<string, Resource> => (json.resource?.[type] ?? {}) as Record<string, Resource>;

  it("gives the SQL Server source its own hop: NLB on port 1433, endpoint service, interface endpoint, accepter", () => {
    expect(resources("aws_lb").network_source_hop_crm_nlb).toMatchObject({ name: "prod-nlb-source-crm", internal: true, load_balancer_type: "network" });
    expect(resources("aws_lb_listener").network_source_hop_crm_listener).toMatchObject({ port: 1433 });
    expect(Object.values(resources("aws_lb_target_group_attachment")).map((attachment) => attachment.target_id)).toContain("172.20.2.40");
    expect(resources("aws_vpc_endpoint_service")).toHaveProperty("network_source_hop_crm_endpoint_service");
    expect(resources("aws_vpc_endpoint")).toHaveProperty("network_source_hop_crm_endpoint");
    expect(resources("aws_vpc_endpoint_connection_accepter")).toHaveProperty("network_source_hop_crm_endpoint_acceptance");
  });

  it("gives it its own secret, which the DMS access role may read with the others", () => {
    expect(resources("aws_secretsmanager_secret").dms_source_crm_credentials_secret).toMatchObject({ name_prefix: "dms-lz/prod/dms-source-crm-" });
    const policy = JSON.stringify(resources("aws_iam_role_policy").dms_secrets_access_policy);
    expect(policy).toContain("aws_secretsmanager_secret.dms_source_crm_credentials_secret.arn");
    expect(policy).toContain("aws_secretsmanager_secret.simulated_source_logins_dms_source_secret.arn");
    expect(json.output?.dms_additional_source_secrets).toBeDefined();
  });

  it("points the SQL Server endpoint at its hop, its secret and its capture settings; the PostgreSQL endpoint keeps its own", () => {
    const endpoints = resources("aws_dms_endpoint");
    expect(endpoints.dms_endpoints_crm_endpoint).toMatchObject({
      engine_name: "sqlserver",
      database_name: "CRM",
      ssl_mode: "require",
      secrets_manager_arn: "${aws_secretsmanager_secret.dms_source_crm_credentials_secret.arn}",
      extra_connection_attributes: "ignoreMsReplicationEnablement=true;safeguardPolicy=RELY_ON_SQL_SERVER_REPLICATION_AGENT;",
    });
    expect(endpoints.dms_endpoints_source_endpoint.secrets_manager_arn).toBe("${aws_secretsmanager_secret.simulated_source_logins_dms_source_secret.arn}");
    const hosts = json.output?.dms_endpoint_secret_hosts?.value as Record<string, string>;
    expect(hosts.crm).toContain("aws_vpc_endpoint.network_source_hop_crm_endpoint");
    expect(hosts.crm).toMatch(/:1433$/);
    expect(hosts.source).toContain("aws_vpc_endpoint.network_source_hop_endpoint");
  });

  it("plans with real Terraform, the task reading the SQL Server endpoint", () => {
    const tasks = (plan.planJson.resource_changes ?? []).filter((change) => change.type === "aws_dms_replication_task").map((change) => change.address);
    expect(tasks).toContain("aws_dms_replication_task.dms_tasks_crm_replication_task");
  });

  it("passes the policy pack (readiness rules included: each hop's endpoint accepted, the SQL Server IP routed)", () => {
    const [environment] = loadEnvironments(variablesDir, ["prod"]);
    const policy = evaluatePolicy({ plan: plan.planJson, synthesized: json, protected: environment.props.protected, suppressions: policySuppressions(environment.config) });
    expect(policy.findings.filter((finding) => finding.severity === "error").map((finding) => `${finding.rule} ${finding.address}: ${finding.message}`)).toEqual([]);
  });

  it("keeps every address of the one-source prod environment (no hop or secret destroyed and recreated)", () => {
    const { json: before } = referenceStack("prod");
    const addresses = (synth: typeof json) => Object.entries(synth.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    const now = new Set(addresses(json));
    expect(addresses(before).filter((address) => !now.has(address))).toEqual([]);
  });
});

describe("a further source over an existing network path (single_vpc)", () => {
  const { json } = referenceStack("single-vpc", variablesDir);
  const resources = (type: string): Record<string, Resource> => (json.resource?.[type] ?? {}) as Record<string, Resource>;

  it("reaches it by its host, with egress to its networks on its port only, and its own secret", () => {
    expect(resources("aws_dms_endpoint").dms_endpoints_ledger_source_endpoint).toMatchObject({ engine_name: "sqlserver", database_name: "Ledger", secrets_manager_arn: "${aws_secretsmanager_secret.dms_source_ledger_credentials_secret.arn}" });
    expect((json.output?.dms_endpoint_secret_hosts?.value as Record<string, string>)["ledger-source"]).toBe("ledger.corp.example:1433");
    expect(resources("aws_vpc_security_group_egress_rule").dms_source_ledger_egress_0).toMatchObject({ cidr_ipv4: "10.60.4.0/24", from_port: 1433, to_port: 1433, ip_protocol: "tcp" });
    expect(resources("aws_lb")).toEqual({});
  });
});

