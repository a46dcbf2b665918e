// Every reference environment gets a target database, DMS credentials and the Parameter Store tree,
// and no resource or output in any environment's synthesized JSON or plan carries a plaintext
// password. Plans come from the shared on-disk cache (test/helpers/synth.ts).
import { describe, expect, it } from "vitest";
import { environmentNames } from "../../src/config/load.js";
import { REFERENCE_VARIABLES, referencePlan, resourcesOf, SynthJson } from "../helpers/synth.js";

const environments = environmentNames(REFERENCE_VARIABLES);

/** Keys whose value is a secret. Versions, switches and key IDs about secrets are not. SecureString parameters are checked on their own. */
const SECRET_KEY = /(password|passwd|secret_string|secret_key|private_key|^value_wo$|insecure_value)/i;
const NOT_A_SECRET = /(_version$|^has_|^manage_master_user_password$|kms_key|_arn$|^master_user_secret$)/i;
/** A whole Terraform expression: `${local.database_password_value}`, `${jsonencode({...})}`. */
const EXPRESSION = /^\$\{[\s\S]*\}$/;

type Finding = { where: string; key: string; value: unknown };

function walk(value: unknown, where: string, visit: (key: string, value: unknown, where: string) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${where}[${index}]`, visit));
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child, where);
      walk(child, `${where}.${key}`, visit);
    }
  }
}

/** Password-looking keys whose value is a literal string rather than an expression. */
function literalSecrets(json: SynthJson): Finding[] {
  const findings: Finding[] = [];
  for (const [type, resources] of Object.entries(json.resource ?? {})) {
    walk(resources, type, (key, value, where) => {
      if (!SECRET_KEY.test(key) || NOT_A_SECRET.test(key)) return;
      if (typeof value === "string" && !EXPRESSION.test(value)) findings.push({ where, key, value });
    });
  }
  return findings;
}

/** Locals are where generated secrets come from: each must be generated, never written out. */
function literalLocals(json: SynthJson): Finding[] {
  const locals = (json.locals ?? {}) as Record<string, unknown>;
  return Object.entries(locals)
    .filter(([, value]) => !(typeof value === "string" && /uuid\(\)/.test(value)))
    .map(([key, value]) => ({ where: "locals", key, value }));
}

for (const name of environments) {
  describe(`${name}: credentials stay out of the output`, () => {
    it("carries no literal password in any resource, local or output of the synthesized JSON", () => {
      const { json } = referencePlan(name);
      expect(literalSecrets(json)).toEqual([]);
      expect(literalLocals(json)).toEqual([]);
      for (const [output, { value }] of Object.entries(json.output ?? {})) {
        expect(JSON.stringify(value), `output ${output}`).not.toMatch(/local\.|password|secret_string/i);
      }
      for (const version of Object.values(resourcesOf(json, "aws_secretsmanager_secret_version"))) expect(version.secret_string).toBeUndefined();
      for (const parameter of Object.values(resourcesOf(json, "aws_ssm_parameter")).filter((p) => p.type === "SecureString")) {
        expect(parameter.value).toBeUndefined();
        expect(parameter.value_wo).toMatch(EXPRESSION);
      }
    });

    it("plans no password value: every password-looking attribute is null, a switch or a version", () => {
      const { plan } = referencePlan(name);
      const findings: Finding[] = [];
      for (const change of plan.planJson.resource_changes ?? []) {
        walk(change.change.after ?? {}, change.address, (key, value, where) => {
          if (!SECRET_KEY.test(key) || NOT_A_SECRET.test(key)) return;
          if (typeof value === "string" && value !== "") findings.push({ where, key, value });
        });
      }
      expect(findings).toEqual([]);
      for (const change of (plan.planJson.resource_changes ?? []).filter((c) => c.type === "aws_ssm_parameter")) {
        const after = change.change.after as { type?: string; value?: unknown };
        if (after.type === "SecureString") expect(after.value, change.address).toBeUndefined();
      }
      const outputs = JSON.stringify(plan.planJson.output_changes ?? {});
      expect(outputs).not.toMatch(/password/i);
    });
  });
}

describe("every reference environment has a target database, DMS credentials and parameters", () => {
  for (const name of environments) {
    it(`${name}`, () => {
      const { json, plan } = referencePlan(name);
      const databases = { ...resourcesOf(json, "aws_rds_cluster"), ...resourcesOf(json, "aws_db_instance") };
      expect(Object.keys(databases)).toContain(json.resource?.aws_rds_cluster?.database_cluster ? "database_cluster" : "database_instance");
      for (const secret of ["dms_source_credentials_secret", "dms_target_credentials_secret"]) expect(resourcesOf(json, "aws_secretsmanager_secret")).toHaveProperty(secret);
      expect(resourcesOf(json, "aws_iam_role").dms_secrets_access_role.assume_role_policy).toMatch(/"Principal":\{"Service":"dms\.[a-z0-9-]+\.amazonaws\.com"\}.*"aws:SourceAccount"/);
      const parameters = Object.values(resourcesOf(json, "aws_ssm_parameter")).map((p) => String(p.name));
      for (const entry of ["database_endpoint", "database_port", "database_name", "db_user", "db_secret_arn", "secret_key"]) {
        expect(parameters.some((parameter) => parameter.endsWith(`/${entry}`)), entry).toBe(true);
      }
      expect(plan.planJson.resource_changes?.some((change) => /^aws_(rds_cluster|db_instance)\.database_/.test(change.address))).toBe(true);
      // The database's group admits its port from named groups only, never from an address range.
      const databaseIngress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === "${aws_security_group.database_security_group.id}");
      expect(databaseIngress.length).toBeGreaterThan(0);
      for (const rule of databaseIngress) {
        expect(rule.referenced_security_group_id).toBeDefined();
        expect(rule.cidr_ipv4).toBeUndefined();
      }
    });
  }
});

describe("protected environments", () => {
  it("prod carries deletion protection, a final snapshot, prevent_destroy, Multi-AZ readers and 30-day secret recovery", () => {
    const { json, plan } = referencePlan("prod");
    const cluster = resourcesOf(json, "aws_rds_cluster").database_cluster;
    expect(cluster).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "dms-lz-prod-db-final", lifecycle: { prevent_destroy: true } });
    expect(Number(cluster.backup_retention_period)).toBeGreaterThanOrEqual(7);
    expect(Object.keys(resourcesOf(json, "aws_rds_cluster_instance")).length).toBeGreaterThanOrEqual(2);
    expect(resourcesOf(json, "aws_kms_key").secrets_encryption_key.lifecycle).toEqual({ prevent_destroy: true });
    for (const secret of Object.values(resourcesOf(json, "aws_secretsmanager_secret"))) {
      expect(secret).toMatchObject({ recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    }
    const planned = plan.planJson.resource_changes?.find((change) => change.address === "aws_rds_cluster.database_cluster")?.change.after as Record<string, unknown>;
    expect(planned).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, storage_encrypted: true });
  });

  it("unprotected environments skip the final snapshot only where their config says so", () => {
    const dev = resourcesOf(referencePlan("dev").json, "aws_rds_cluster").database_cluster;
    expect(dev).toMatchObject({ skip_final_snapshot: true, deletion_protection: false });
    expect(dev.final_snapshot_identifier).toBeUndefined();
  });
});

describe("topology wiring", () => {
  it("dev: an Aurora target and a simulated source, each behind its hop, kept registered by the target-sync Lambda", () => {
    const { json } = referencePlan("dev");
    expect(Object.keys(resourcesOf(json, "aws_rds_cluster")).sort()).toEqual(["database_cluster", "simulated_source_cluster"]);
    expect(resourcesOf(json, "aws_db_subnet_group").simulated_source_subnet_group.subnet_ids).toEqual(expect.arrayContaining([expect.stringContaining("network_source_vpc_private_subnet")]));
    expect(resourcesOf(json, "aws_rds_cluster_parameter_group").simulated_source_cluster_parameter_group.parameter).toContainEqual({ name: "rds.logical_replication", value: "1", apply_method: "pending-reboot" });
    // The hops hold no fixed IP targets: the Lambda owns their target groups.
    expect(resourcesOf(json, "aws_lb_target_group_attachment")).toEqual({});
    const sync = resourcesOf(json, "aws_lambda_function").hop_target_sync_function;
    expect(sync).toMatchObject({ runtime: "nodejs22.x" });
    const targets = JSON.parse(String((sync.environment as { variables: { TARGETS: string } }).variables.TARGETS));
    expect(targets.map((t: { name: string; targetGroupArn: string }) => [t.name, t.targetGroupArn])).toEqual([
      ["target", "${aws_lb_target_group.network_target_hop_target_group.arn}"],
      ["simulated_source", "${aws_lb_target_group.network_source_hop_target_group.arn}"],
    ]);
    expect(resourcesOf(json, "aws_vpc_endpoint").network_target_service_endpoints_elasticloadbalancing).toMatchObject({ vpc_id: "${aws_vpc.network_target_vpc_vpc.id}" });
    // DMS reaches the target through the hop, so its secret names the hop's endpoint.
    expect(resourcesOf(json, "aws_secretsmanager_secret_version").dms_target_credentials_value.secret_string_wo).toContain("aws_vpc_endpoint.network_target_hop_endpoint.dns_entry[0].dns_name");
  });

  it("single-vpc: an RDS instance DMS reaches directly, with the blog's parameter path and the application's policy on the role it creates", () => {
    const { json } = referencePlan("single-vpc");
    expect(resourcesOf(json, "aws_db_instance").database_instance).toMatchObject({ engine: "postgres", publicly_accessible: false });
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").database_allow_dms_ingress).toMatchObject({
      referenced_security_group_id: "${aws_security_group.network_dms_security_group.id}",
      from_port: 5432,
    });
    expect(resourcesOf(json, "aws_lambda_function").hop_target_sync_function).toBeUndefined();
    expect(resourcesOf(json, "aws_ssm_parameter").parameters_database_endpoint).toMatchObject({ name: "/cloudtalents/startup/database_endpoint", value: "${aws_db_instance.database_instance.address}" });
    expect(resourcesOf(json, "aws_iam_role").application_role_role).toMatchObject({ name: "cloudtalents-startup-ec2" });
    expect(resourcesOf(json, "aws_iam_instance_profile").application_role_instance_profile).toMatchObject({ role: "${aws_iam_role.application_role_role.name}" });
    expect(resourcesOf(json, "aws_iam_role_policy").application_config_access_policy).toMatchObject({ role: "${aws_iam_role.application_role_role.name}" });
    expect(json.output?.dms_source_secret_template.value).toMatchObject({ host: "blog-db.internal.example.com", port: 5432 });
  });
});
