import { TerraformResource } from "cdktf";
import { describe, expect, it } from "vitest";
import { DmsMigration, DmsMigrationProps } from "../../modules/dms/dms-migration.js";
import { buildTableMappings } from "../../modules/dms/table-mappings.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const secret = (name: string) => ({ secretArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}`, accessRoleArn: "arn:aws:iam::111122223333:role/dms-secrets" });
const mappings = buildTableMappings({ include: [{ schema: "demo_schema", table: "demo_accounts" }] });

function props(overrides: Partial<DmsMigrationProps> = {}): DmsMigrationProps {
  return {
    name: "dms-lz-dev",
    instance: { subnets: [{ id: "subnet-a", availabilityZone: "us-east-1a" }, { id: "subnet-b", availabilityZone: "us-east-1b" }], securityGroupIds: ["sg-dms"] },
    endpoints: {
      source: { endpointType: "source", engine: "postgres", databaseName: "demo", serverName: "source.example", port: 5432, ...secret("source") },
      target: { endpointType: "target", engine: "aurora-postgresql", databaseName: "demo", serverName: "target.example", port: 5432, ...secret("target") },
    },
    tasks: {
      "accounts-full-load": { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "full-load", tableMappings: mappings, reloadSchedule: { expression: "cron(0 2 * * ? *)" } },
      "accounts-cdc": { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "full-load-and-cdc", tableMappings: mappings },
    },
    cdcLatencyAlarms: { thresholdSeconds: 600 },
    notificationEmails: ["dba@corp.test"],
    ...overrides,
  };
}

describe("DmsMigration", () => {
  it("wires roles, instance, endpoints by key and tasks by key with readable addresses", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", props()));
    expect(Object.keys(resourcesOf(json, "aws_dms_endpoint")).sort()).toEqual(["dms_endpoints_source_endpoint", "dms_endpoints_target_endpoint"]);
    const tasks = resourcesOf(json, "aws_dms_replication_task");
    expect(Object.keys(tasks).sort()).toEqual(["dms_tasks_accounts_cdc_task", "dms_tasks_accounts_full_load_task"]);
    expect(tasks.dms_tasks_accounts_cdc_task).toMatchObject({
      replication_task_id: "dms-lz-dev-accounts-cdc",
      replication_instance_arn: "${aws_dms_replication_instance.dms_replication_instance.replication_instance_arn}",
      source_endpoint_arn: "${aws_dms_endpoint.dms_endpoints_source_endpoint.endpoint_arn}",
      target_endpoint_arn: "${aws_dms_endpoint.dms_endpoints_target_endpoint.endpoint_arn}",
      depends_on: ["aws_iam_role_policy_attachment.dms_service_roles_cloudwatch_logs_role_policy"],
    });
    expect(onlyResource(json, "aws_dms_replication_subnet_group").depends_on).toEqual(["aws_iam_role_policy_attachment.dms_service_roles_vpc_role_policy"]);
    expect(onlyResource(json, "aws_dms_replication_instance")).toMatchObject({ replication_instance_id: "dms-lz-dev", publicly_accessible: false, kms_key_arn: "${aws_kms_key.dms_key_key.arn}" });
    expect(resourcesOf(json, "aws_dms_endpoint").dms_endpoints_source_endpoint.kms_key_arn).toBe("${aws_kms_key.dms_key_key.arn}");
    expect(onlyResource(json, "aws_sns_topic").kms_master_key_id).toBe("${aws_kms_key.dms_key_key.arn}");
  });

  it("adds a reload schedule to the full-load task and latency alarms to the CDC task only", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", props()));
    expect(Object.keys(resourcesOf(json, "aws_scheduler_schedule"))).toEqual(["dms_tasks_accounts_full_load_reload_schedule_schedule"]);
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm")).sort()).toEqual(["dms_tasks_accounts_cdc_cdc_latency_source_alarm", "dms_tasks_accounts_cdc_cdc_latency_target_alarm"]);
    expect(onlyResource(json, "aws_sns_topic").name).toBe("dms-lz-dev-dms-events");
  });

  it("starts no task before the network paths it needs are ready (the hops' accepted connections)", () => {
    const json = synthConstruct((scope) => {
      const ready = new TerraformResource(scope, "hop_acceptance", { terraformResourceType: "terraform_data" });
      new DmsMigration(scope, "dms", props({ networkReady: [ready] }));
    });
    for (const task of Object.values(resourcesOf(json, "aws_dms_replication_task"))) expect(task.depends_on).toContain("terraform_data.hop_acceptance");
  });

  it("with existing service roles creates no IAM role and no ordering on them", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", props({ serviceRoles: "existing", cdcLatencyAlarms: undefined })));
    expect(Object.values(resourcesOf(json, "aws_iam_role")).map((r) => r.name)).toEqual(["dms-lz-dev-accounts-full-load-reload", "dms-lz-dev-accounts-full-load-reload-run"]);
    expect(onlyResource(json, "aws_dms_replication_subnet_group")).not.toHaveProperty("depends_on");
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm")).toEqual({});
  });

  it("admits the environment's alarms to the topic and its key, conditioned on this account's alarm ARNs", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", props()));
    // The account and region are Terraform expressions in the JSON until apply, so the text is checked.
    for (const [type, sid, action] of [["aws_kms_key_policy", "CloudWatchAlarmsPublishToEncryptedTopic", '"Action":["kms:GenerateDataKey*","kms:Decrypt"]'], ["aws_sns_topic_policy", "CloudWatchAlarmsPublish", '"Action":"sns:Publish"']] as const) {
      const policy = onlyResource(json, type).policy as string;
      const statement = policy.slice(policy.indexOf(`"Sid":"${sid}"`));
      expect(statement).toContain('"Principal":{"Service":"cloudwatch.amazonaws.com"}');
      expect(statement).toContain(action);
      expect(statement).toMatch(/"StringEquals":\{"aws:SourceAccount":"[^"]*\$\{.*"ArnLike":\{"aws:SourceArn":"arn:.*:cloudwatch:.*:alarm:dms-lz-dev-\*"/);
    }
    const withoutAlarms = synthConstruct((scope) => new DmsMigration(scope, "dms", props({ cdcLatencyAlarms: undefined })));
    expect(onlyResource(withoutAlarms, "aws_kms_key_policy").policy).not.toContain("cloudwatch.amazonaws.com");
    expect(onlyResource(withoutAlarms, "aws_sns_topic_policy").policy).not.toContain("cloudwatch.amazonaws.com");
  });

  it("refuses alarms that would notify a topic nobody subscribes to", () => {
    expect(() => synthConstruct((scope) => new DmsMigration(scope, "dms", props({ notificationEmails: [] })))).toThrow(/alarms notify the events topic, which has no subscriber/);
  });

  it("reports every broken cross-reference at once", () => {
    const broken = props({
      tasks: {
        a: { sourceEndpointKey: "target", targetEndpointKey: "missing", migrationType: "cdc", tableMappings: mappings },
        b: { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "cdc", tableMappings: mappings, reloadSchedule: { expression: "rate(1 day)" } },
        "bad--key": { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "full-load", tableMappings: mappings },
      },
    });
    let message = "";
    try {
      synthConstruct((scope) => new DmsMigration(scope, "dms", broken));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('task "a": endpoint "target" is a target endpoint, not a source');
    expect(message).toContain('task "a": no endpoint "missing"');
    expect(message).toContain('task "b": a reload schedule re-runs a full load');
    expect(message).toContain('identifier "dms-lz-dev-bad--key" may not contain two hyphens in a row');
  });

  it("refuses CDC from a SQL Server source that captures no changes", () => {
    const sqlServer = props({
      endpoints: { ...props().endpoints, report: { endpointType: "source", engine: "sqlserver", databaseName: "Reports", serverName: "sql.example", port: 1433, sqlServer: { capture: "full-load-only" }, ...secret("report") } },
      tasks: { nightly: { sourceEndpointKey: "report", targetEndpointKey: "target", migrationType: "full-load-and-cdc", tableMappings: mappings } },
    });
    expect(() => synthConstruct((scope) => new DmsMigration(scope, "dms", sqlServer))).toThrow(/captures no changes \(full-load-only\)/);
  });
});
