// DMS in every reference environment, read from the offline plan (real Terraform, real provider):
// roles or their adoption, a private instance, TLS-only endpoints with Secrets Manager credentials,
// tasks with a complete settings document, notifications and outputs. dev runs on DMS Serverless
// (one aws_dms_replication_config per task), prod and single-vpc on a replication instance.
import { describe, expect, it } from "vitest";
import { environmentNames, loadEnvironments } from "../../src/config/load.js";
import { dmsTaskScopes } from "../../src/config/dms-task-scopes.js";
import type { ResourceChange } from "../../src/terraform/offline-terraform.js";
import { REFERENCE_VARIABLES, referencePlan } from "../helpers/synth.js";

type After = Record<string, unknown>;

function planned(name: string, type: string): { address: string; after: After; change: ResourceChange }[] {
  const { plan } = referencePlan(name);
  return (plan.planJson.resource_changes ?? [])
    .filter((change) => change.type === type && change.mode === "managed")
    .map((change) => ({ address: change.address, after: (change.change.after ?? {}) as After, change }));
}

const environments = environmentNames(REFERENCE_VARIABLES);
const SERVERLESS = ["dev"];

/** Tasks and serverless replications alike, with their type, settings and start flag. */
function migrations(name: string): { address: string; type: unknown; settings: string; start: unknown; mappings: string }[] {
  return [
    ...planned(name, "aws_dms_replication_task").map(({ address, after }) => ({ address, type: after.migration_type, settings: after.replication_task_settings as string, start: after.start_replication_task, mappings: after.table_mappings as string })),
    ...planned(name, "aws_dms_replication_config").map(({ address, after }) => ({ address, type: after.replication_type, settings: after.replication_settings as string, start: after.start_replication, mappings: after.table_mappings as string })),
  ];
}

describe("DMS in the reference environments", () => {
  it("is enabled in dev (serverless), prod and single-vpc (instance)", () => {
    for (const name of ["prod", "single-vpc"]) expect(planned(name, "aws_dms_replication_instance"), name).toHaveLength(1);
    expect(planned("dev", "aws_dms_replication_instance")).toEqual([]);
    expect(planned("dev", "aws_dms_replication_config").map((config) => config.address).sort()).toEqual([
      "aws_dms_replication_config.dms_tasks_accounts_replication_config",
      "aws_dms_replication_config.dms_tasks_accounts_snapshot_config",
    ]);
  });

  it("dev's serverless replications use the DMS key, the subnet group, the DMS security group and bounded DCUs", () => {
    const { json } = referencePlan("dev");
    for (const config of Object.values(json.resource?.aws_dms_replication_config ?? {})) {
      expect(config.compute_config).toMatchObject({
        kms_key_id: "${aws_kms_key.dms_key_key.arn}",
        replication_subnet_group_id: "${aws_dms_replication_subnet_group.dms_replication_subnet_group.replication_subnet_group_id}",
        vpc_security_group_ids: ["${aws_security_group.network_dms_security_group.id}"],
        min_capacity_units: 1,
        max_capacity_units: 4,
        multi_az: false,
      });
    }
    expect(json.output).toHaveProperty("dms_replication_config_arns");
    expect(json.output).not.toHaveProperty("dms_replication_instance_arn");
  });

  for (const name of environments) {
    describe(name, () => {
      it("plans a replication instance that is never publicly accessible, in private subnets of two or more AZs", () => {
        const { json } = referencePlan(name);
        // Encrypted with the environment's own customer managed key (policy LZ-DMS-004).
        if (!SERVERLESS.includes(name)) expect(json.resource?.aws_dms_replication_instance?.dms_replication_instance?.kms_key_arn).toBe("${aws_kms_key.dms_key_key.arn}");
        for (const { after } of planned(name, "aws_dms_replication_instance")) {
          expect(after.publicly_accessible).toBe(false);
          expect(after.replication_instance_id).toMatch(/^[a-z][a-z0-9-]*$/);
        }
        // Subnet IDs are unknown until apply; the configuration names them.
        for (const group of Object.values(json.resource?.aws_dms_replication_subnet_group ?? {})) expect((group.subnet_ids as string[]).length).toBeGreaterThanOrEqual(2);
      });

      it("keeps TLS on at every endpoint and takes credentials only from Secrets Manager", () => {
        const endpoints = planned(name, "aws_dms_endpoint");
        expect(endpoints.length).toBeGreaterThanOrEqual(2);
        for (const { address, after, change } of endpoints) {
          expect(["require", "verify-ca", "verify-full"], address).toContain(after.ssl_mode);
          expect(after.username ?? null, address).toBeNull();
          expect(after.password ?? null, address).toBeNull();
          const unknown = (change.change.after_unknown ?? {}) as Record<string, unknown>;
          expect(after.secrets_manager_arn !== undefined || unknown.secrets_manager_arn === true, address).toBe(true);
          expect(after.secrets_manager_access_role_arn !== undefined || unknown.secrets_manager_access_role_arn === true, address).toBe(true);
        }
      });

      it("authenticates the stack's own target against the region's RDS CA: verify-ca through a hop, verify-full directly", () => {
        const json = referencePlan(name).json;
        const targets = Object.values(json.resource?.aws_dms_endpoint ?? {}).filter((endpoint) => endpoint.endpoint_type === "target");
        expect(targets.length).toBeGreaterThan(0);
        const throughHop = Boolean(json.resource?.aws_vpc_endpoint?.network_target_hop_endpoint);
        for (const target of targets) {
          expect(target.ssl_mode).toBe(throughHop ? "verify-ca" : "verify-full");
          const certificate = Object.entries(json.resource?.aws_dms_certificate ?? {}).find(([id]) => target.certificate_arn === `\${aws_dms_certificate.${id}.certificate_arn}`)?.[1];
          expect(String(certificate?.certificate_pem)).toMatch(/^-----BEGIN CERTIFICATE-----/);
          expect(String(certificate?.certificate_pem).length).toBeLessThan(10_000);
        }
        // Every endpoint's TLS is reported; an unauthenticated one says so.
        const report = json.output?.dms_endpoint_tls?.value as Record<string, string>;
        for (const [key, line] of Object.entries(report)) expect(line, key).toMatch(/^(verify-ca|verify-full): server authenticated|^require: encrypted, server not authenticated/);
      });

      it("has at least one full-load and one full-load-and-cdc task, created stopped, with valid settings and validation on", () => {
        const tasks = migrations(name);
        expect(tasks.map((task) => task.type)).toEqual(expect.arrayContaining(["full-load", "full-load-and-cdc"]));
        for (const { address, start, settings: document, mappings: mappingDocument } of tasks) {
          expect(start, address).toBe(false);
          const settings = JSON.parse(document);
          expect(settings.ValidationSettings.EnableValidation, address).toBe(true);
          expect(settings.Logging, address).not.toHaveProperty("CloudWatchLogGroup");
          expect(settings.Logging, address).not.toHaveProperty("CloudWatchLogStream");
          const mappings = JSON.parse(mappingDocument);
          expect(mappings.rules.some((rule: Record<string, unknown>) => rule["rule-type"] === "selection" && rule["rule-action"] === "include"), address).toBe(true);
        }
      });

      it("sends task and instance events to an encrypted topic and publishes stable outputs", () => {
        const { json } = referencePlan(name);
        const topics = planned(name, "aws_sns_topic").filter((topic) => topic.address.startsWith("aws_sns_topic.dms_"));
        expect(topics).toHaveLength(1);
        expect(json.resource?.aws_sns_topic?.dms_notifications_topic?.kms_master_key_id).toBe("${aws_kms_key.dms_key_key.arn}");
        // Serverless replications have no instance (and no task) to subscribe to.
        expect(planned(name, "aws_dms_event_subscription").map((s) => s.after.source_type).sort()).toEqual(SERVERLESS.includes(name) ? [] : ["replication-instance", "replication-task"]);
        const compute = SERVERLESS.includes(name) ? ["dms_replication_config_arns"] : ["dms_replication_instance_arn", "dms_task_arns"];
        for (const output of [...compute, "dms_endpoint_arns", "dms_events_topic_arn", "dms_endpoint_secret_hosts", "dms_service_role_arns"]) {
          expect(json.output, output).toHaveProperty(output);
        }
      });
    });
  }

  it("no reference environment creates the account-level roles (the account's bootstrap does) and none waits for them", () => {
    for (const name of ["dev", "prod", "single-vpc"]) {
      const { json } = referencePlan(name);
      expect(Object.values(json.resource?.aws_iam_role ?? {}).map((role) => role.name), name).not.toContain("dms-vpc-role");
      expect(json.resource?.aws_dms_replication_subnet_group?.dms_replication_subnet_group?.depends_on, name).toBeUndefined();
    }
  });

  it("prod is Multi-AZ; alarms exist only where the topic has a subscriber; single-vpc reloads its reporting copy nightly and reaches its external source", () => {
    expect(planned("prod", "aws_dms_replication_instance")[0].after.multi_az).toBe(true);
    // The reference environments name no e-mail nobody reads, so no alarm (CDC latency or operations) is made.
    for (const name of ["dev", "prod", "single-vpc"]) {
      expect(planned(name, "aws_sns_topic_subscription"), name).toEqual([]);
      expect(planned(name, "aws_cloudwatch_metric_alarm"), name).toEqual([]);
    }
    // The dashboard is there anyway, and its body is valid JSON graphing the serverless replications.
    const [dashboard] = planned("dev", "aws_cloudwatch_dashboard");
    expect(dashboard.after.dashboard_name).toBe("dms-lz-dev-operations");
    const body = JSON.parse(dashboard.after.dashboard_body as string) as { widgets: { properties: { metrics: string[][] } }[] };
    const metrics = body.widgets.map((widget) => widget.properties.metrics[0].slice(0, 4).join(" "));
    expect(metrics).toEqual(expect.arrayContaining(["AWS/DMS ValidationFailedOverallCount ReplicationConfigIdentifier dms-lz-dev-accounts-replication", "AWS/DMS CDCLatencyTarget ReplicationConfigIdentifier dms-lz-dev-accounts-replication"]));
    expect(metrics.some((metric) => metric.startsWith("AWS/Lambda Errors FunctionName"))).toBe(true);
    expect(metrics.some((metric) => metric.startsWith("AWS/SQS ApproximateNumberOfMessagesVisible QueueName"))).toBe(true);
    const schedule = planned("single-vpc", "aws_scheduler_schedule")[0];
    expect(schedule.after).toMatchObject({ schedule_expression: "cron(0 2 * * ? *)", schedule_expression_timezone: "Europe/Berlin" });
    // The schedule starts the state machine that picks start-replication or reload-target.
    expect(planned("single-vpc", "aws_sfn_state_machine")).toHaveLength(1);
    const egress = planned("single-vpc", "aws_vpc_security_group_egress_rule").find((rule) => rule.address.endsWith("dms_source_egress_0"));
    expect(egress?.after).toMatchObject({ cidr_ipv4: "10.40.0.0/24", from_port: 5432, to_port: 5432, ip_protocol: "tcp" });
  });

  it("tells preflight which tables each task migrates, from typed rules and from mapping files alike", () => {
    const [prod] = loadEnvironments(REFERENCE_VARIABLES, ["prod"]);
    expect(dmsTaskScopes(prod)).toEqual({
      "schema-full-load": { tables: [{ schema: "demo_schema", table: "%" }], excludedTables: [{ schema: "demo_schema", table: "stg_%" }], migrationType: "full-load", lobMaxSizeKb: 32, lobMode: "limited" },
      "accounts-replication": { tables: [{ schema: "demo_schema", table: "demo_accounts" }], excludedTables: [], migrationType: "full-load-and-cdc", lobMaxSizeKb: 64, lobMode: "limited" },
    });
  });
});
