import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { DmsMigration, DmsMigrationProps } from "../../modules/dms/dms-migration.js";
import { ServerlessReplication } from "../../modules/dms/serverless-replication.js";
import { buildTableMappings } from "../../modules/dms/table-mappings.js";
import { buildTaskSettings } from "../../modules/dms/task-settings.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const mappings = buildTableMappings({ include: [{ schema: "demo_schema", table: "demo_accounts" }] });
const secret = (name: string) => ({ secretArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}`, accessRoleArn: "arn:aws:iam::111122223333:role/dms-secrets" });
const compute = { subnetGroupId: "dms-lz-dev", securityGroupIds: ["sg-dms"] };

function migration(overrides: Partial<DmsMigrationProps> = {}): DmsMigrationProps {
  return {
    name: "dms-lz-dev",
    compute: "serverless",
    serverless: { minCapacityUnits: 2, maxCapacityUnits: 8, multiAz: true },
    instance: { subnets: [{ id: "subnet-a", availabilityZone: "us-east-1a" }, { id: "subnet-b", availabilityZone: "us-east-1b" }], securityGroupIds: ["sg-dms"] },
    endpoints: {
      source: { endpointType: "source", engine: "postgres", databaseName: "demo", serverName: "source.example", port: 5432, ...secret("source") },
      target: { endpointType: "target", engine: "aurora-postgresql", databaseName: "demo", serverName: "target.example", port: 5432, ...secret("target") },
    },
    tasks: { "accounts-cdc": { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "full-load-and-cdc", tableMappings: mappings } },
    cdcLatencyAlarms: {},
    notificationEmails: ["dba@corp.test"],
    ...overrides,
  };
}

describe("ServerlessReplication", () => {
  it("is one replication config with the task's mappings, the complete settings document and bounded DCUs, not started", () => {
    const json = synthConstruct((scope) => new ServerlessReplication(scope, "orders", { configId: "dms-lz-dev-orders", migrationType: "cdc", sourceEndpointArn: "arn:src", targetEndpointArn: "arn:tgt", tableMappings: mappings, compute }));
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_dms_replication_config", {
      replication_config_identifier: "dms-lz-dev-orders",
      resource_identifier: "dms-lz-dev-orders",
      replication_type: "cdc",
      start_replication: false,
      table_mappings: JSON.stringify(mappings),
      replication_settings: JSON.stringify(buildTaskSettings()),
      compute_config: { replication_subnet_group_id: "dms-lz-dev", vpc_security_group_ids: ["sg-dms"], min_capacity_units: 1, max_capacity_units: 16, multi_az: false },
    })).toBe(true);
    expect(Object.keys(resourcesOf(json, "aws_dms_replication_config"))).toEqual(["orders_config"]);
  });

  it.each([
    [{ minCapacityUnits: 3 }, "minimum capacity 3 DCU is not one of 1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384"],
    [{ maxCapacityUnits: 500 }, "maximum capacity 500 DCU is not one of"],
    [{ minCapacityUnits: 16, maxCapacityUnits: 8 }, "minimum capacity 16 DCU is above the maximum 8 DCU"],
  ])("refuses capacities AWS refuses: %j", (capacity, message) => {
    expect(() => synthConstruct((scope) => new ServerlessReplication(scope, "orders", { configId: "x", migrationType: "cdc", sourceEndpointArn: "a", targetEndpointArn: "b", tableMappings: mappings, compute: { ...compute, ...capacity } }))).toThrow(message);
  });
});

describe("DmsMigration with serverless compute", () => {
  it("creates a config per task instead of an instance and tasks, in the instance's subnet group address, with the DMS key", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", migration()));
    expect(resourcesOf(json, "aws_dms_replication_instance")).toEqual({});
    expect(resourcesOf(json, "aws_dms_replication_task")).toEqual({});
    expect(Object.keys(resourcesOf(json, "aws_dms_replication_subnet_group"))).toEqual(["dms_replication_subnet_group"]);
    expect(onlyResource(json, "aws_dms_replication_config")).toMatchObject({
      replication_config_identifier: "dms-lz-dev-accounts-cdc",
      source_endpoint_arn: "${aws_dms_endpoint.dms_endpoints_source_endpoint.endpoint_arn}",
      compute_config: {
        replication_subnet_group_id: "${aws_dms_replication_subnet_group.dms_replication_subnet_group.replication_subnet_group_id}",
        kms_key_id: "${aws_kms_key.dms_key_key.arn}",
        min_capacity_units: 2,
        max_capacity_units: 8,
        multi_az: true,
      },
      depends_on: ["aws_iam_role_policy_attachment.dms_service_roles_cloudwatch_logs_role_policy"],
    });
    // No instance to subscribe to; the topic stays for the alarms.
    expect(resourcesOf(json, "aws_dms_event_subscription")).toEqual({});
  });

  it("alarms on the replication config's metric dimension", () => {
    const json = synthConstruct((scope) => new DmsMigration(scope, "dms", migration()));
    const alarm = resourcesOf(json, "aws_cloudwatch_metric_alarm").dms_tasks_accounts_cdc_cdc_latency_source_alarm;
    expect(alarm.dimensions).toEqual({ ReplicationConfigIdentifier: "dms-lz-dev-accounts-cdc" });
  });

  it.each([
    [{ cdcStartPosition: "0/3A2B1C0" }, "DMS Serverless does not support custom CDC start points"],
    [{ reloadSchedule: { expression: "cron(0 2 * * ? *)" }, migrationType: "full-load" as const }, "reload schedules start instance tasks"],
  ])("refuses what serverless cannot do: %j", (task, message) => {
    const tasks = { one: { sourceEndpointKey: "source", targetEndpointKey: "target", migrationType: "cdc" as const, tableMappings: mappings, ...task } };
    expect(() => synthConstruct((scope) => new DmsMigration(scope, "dms", migration({ tasks })))).toThrow(message);
  });
});
