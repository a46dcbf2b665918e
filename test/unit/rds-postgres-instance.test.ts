import { TerraformOutput, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { RdsPostgresInstance, RdsPostgresInstanceProps } from "../../modules/database/rds-postgres-instance.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

function instance(overrides: Partial<RdsPostgresInstanceProps> = {}, extra?: (db: RdsPostgresInstance) => void): SynthJson {
  return synthConstruct((scope) => {
    const db = new RdsPostgresInstance(scope, "database", {
      identifier: "blog-db",
      vpc: testVpc(scope, "vpc"),
      engineVersion: "17",
      instanceClass: "db.t4g.small",
      databaseName: "startup",
      masterUsername: "postgres",
      masterPassword: { mode: "generated", value: "${local.database_password_value}", version: 1 },
      ...overrides,
    });
    extra?.(db);
  });
}

describe("RdsPostgresInstance", () => {
  const json = instance();

  it("is private, encrypted gp3 with autoscaling storage, deletion-protected, with a final snapshot", () => {
    expect(
      Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_db_instance", {
        identifier: "blog-db",
        engine: "postgres",
        engine_version: "17",
        publicly_accessible: false,
        storage_encrypted: true,
        storage_type: "gp3",
        allocated_storage: 20,
        max_allocated_storage: 100,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: "blog-db-final",
        multi_az: false,
        db_name: "startup",
      }),
    ).toBe(true);
  });

  it("takes the generated password write-only, or lets RDS manage it", () => {
    const generated = onlyResource(json, "aws_db_instance");
    expect(generated).toMatchObject({ password_wo: "${local.database_password_value}", password_wo_version: 1 });
    expect(generated.password).toBeUndefined();
    const managed = onlyResource(instance({ masterPassword: { mode: "rds_managed" } }), "aws_db_instance");
    expect(managed.manage_master_user_password).toBe(true);
    expect(managed.password_wo).toBeUndefined();
  });

  it("has one parameter group of the version's family with TLS forced", () => {
    const group = onlyResource(json, "aws_db_parameter_group");
    expect(group).toMatchObject({ family: "postgres17", name_prefix: "blog-db-postgres17-" });
    expect(group.parameter).toEqual([{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }]);
    expect(onlyResource(instance({ forceSsl: false }), "aws_db_parameter_group").parameter).toEqual([]);
  });

  it("exports logs into instance log groups created first, with monitoring and Performance Insights", () => {
    const exported = instance({ logExports: ["postgresql", "upgrade"], logRetentionDays: 90 });
    expect(Object.values(resourcesOf(exported, "aws_cloudwatch_log_group")).map((g) => [g.name, g.retention_in_days])).toEqual([
      ["/aws/rds/instance/blog-db/postgresql", 90],
      ["/aws/rds/instance/blog-db/upgrade", 90],
    ]);
    expect(onlyResource(exported, "aws_db_instance")).toMatchObject({
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      depends_on: ["aws_cloudwatch_log_group.database_log_group_postgresql", "aws_cloudwatch_log_group.database_log_group_upgrade"],
      performance_insights_enabled: true,
      monitoring_interval: 60,
    });
    const quiet = instance({ monitoringIntervalSeconds: 0, performanceInsights: false });
    expect(resourcesOf(quiet, "aws_iam_role")).toEqual({});
    expect(onlyResource(quiet, "aws_db_instance")).toMatchObject({ monitoring_interval: 0, performance_insights_enabled: false });
  });

  it("is Multi-AZ and prevent_destroy when protected", () => {
    expect(onlyResource(instance({ multiAz: true, preventDestroy: true }), "aws_db_instance")).toMatchObject({ multi_az: true, lifecycle: { prevent_destroy: true } });
  });

  it("associates the s3Import role with the instance", () => {
    const imports = instance({}, (db) => db.allowS3Import("inbox", { bucketArn: "arn:aws:s3:::inbox" }));
    expect(onlyResource(imports, "aws_db_instance_role_association")).toMatchObject({ feature_name: "s3Import", db_instance_identifier: "${aws_db_instance.database_instance.identifier}" });
  });

  it("resolves to the instance address and triggers replacement on its resource ID", () => {
    const json = synthConstruct((scope) => {
      const db = new RdsPostgresInstance(scope, "database", {
        identifier: "blog-db",
        vpc: testVpc(scope, "vpc"),
        engineVersion: "16.8",
        instanceClass: "db.t4g.small",
        databaseName: "startup",
        masterUsername: "postgres",
        masterPassword: { mode: "rds_managed" },
      });
      expect(db.eventSourceIdentifiers).toEqual(["blog-db"]);
      expect(db.replacementTrigger).toBe("aws_db_instance.database_instance.resource_id");
      new TerraformOutput(scope, "secret", { value: db.masterUserSecretArn });
      new TerraformOutput(scope, "address", { value: db.address });
    });
    expect(json.output?.secret.value).toBe("${aws_db_instance.database_instance.master_user_secret[0].secret_arn}");
    expect(json.output?.address.value).toBe("${aws_db_instance.database_instance.address}");
  });
});
