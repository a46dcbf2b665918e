import { Testing } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { describe, expect, it } from "vitest";
import { AuroraPostgresCluster, AuroraPostgresClusterProps } from "../../modules/database/aurora-postgres-cluster.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

function cluster(overrides: Partial<AuroraPostgresClusterProps> = {}, extra?: (db: AuroraPostgresCluster) => void): SynthJson {
  return synthConstruct((scope) => {
    const db = new AuroraPostgresCluster(scope, "database", {
      identifier: "lz-dev-db",
      vpc: testVpc(scope, "vpc"),
      engineVersion: "17.6",
      instanceClass: "db.t4g.medium",
      databaseName: "app",
      masterUsername: "postgres",
      masterPassword: { mode: "generated", value: "${local.database_password_value}", version: 3 },
      ...overrides,
    });
    extra?.(db);
  });
}

describe("AuroraPostgresCluster", () => {
  const json = cluster();

  it("is encrypted, private, deletion-protected and keeps a final snapshot by default", () => {
    const db = onlyResource(json, "aws_rds_cluster");
    expect(db).toMatchObject({
      cluster_identifier: "lz-dev-db",
      engine: "aurora-postgresql",
      engine_version: "17.6",
      storage_encrypted: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "lz-dev-db-final",
      copy_tags_to_snapshot: true,
      iam_database_authentication_enabled: true,
      backup_retention_period: 7,
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_rds_cluster_instance", { publicly_accessible: false })).toBe(true);
  });

  it("takes a generated password through the write-only argument only", () => {
    const db = onlyResource(json, "aws_rds_cluster");
    expect(db).toMatchObject({ master_password_wo: "${local.database_password_value}", master_password_wo_version: 3 });
    expect(db.master_password).toBeUndefined();
    expect(db.manage_master_user_password).toBeUndefined();
  });

  it("lets RDS manage the password in its own secret when asked, encrypted with the given key", () => {
    const db = onlyResource(cluster({ masterPassword: { mode: "rds_managed", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abc" } }), "aws_rds_cluster");
    expect(db).toMatchObject({ manage_master_user_password: true, master_user_secret_kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/abc" });
    expect(db.master_password_wo).toBeUndefined();
  });

  it("forces TLS in the cluster parameter group of the version's family, and turns logical replication on for a CDC source", () => {
    const plain = onlyResource(json, "aws_rds_cluster_parameter_group");
    expect(plain).toMatchObject({ family: "aurora-postgresql17", name_prefix: "lz-dev-db-aurora-postgresql17-" });
    expect(plain.parameter).toEqual([{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }]);
    const cdc = onlyResource(cluster({ logicalReplication: true, parameters: { log_min_duration_statement: "1000" } }), "aws_rds_cluster_parameter_group");
    expect(cdc.parameter).toEqual([
      { name: "log_min_duration_statement", value: "1000", apply_method: "pending-reboot" },
      { name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" },
      { name: "rds.logical_replication", value: "1", apply_method: "pending-reboot" },
    ]);
  });

  it("creates the log groups first, with retention", () => {
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"));
    expect(groups).toEqual([expect.objectContaining({ name: "/aws/rds/cluster/lz-dev-db/postgresql", retention_in_days: 30 })]);
    expect(onlyResource(json, "aws_rds_cluster").depends_on).toEqual(["aws_cloudwatch_log_group.database_log_group_postgresql"]);
  });

  it("gives every instance Performance Insights and enhanced monitoring with its own role", () => {
    const protectedJson = cluster({ readers: 2, preventDestroy: true });
    const instances = Object.values(resourcesOf(protectedJson, "aws_rds_cluster_instance"));
    expect(instances.map((i) => i.identifier)).toEqual(["lz-dev-db-1", "lz-dev-db-2", "lz-dev-db-3"]);
    for (const instance of instances) {
      expect(instance).toMatchObject({ performance_insights_enabled: true, monitoring_interval: 60, monitoring_role_arn: "${aws_iam_role.database_monitoring_role.arn}" });
    }
    expect(onlyResource(protectedJson, "aws_iam_role").assume_role_policy).toContain("monitoring.rds.amazonaws.com");
    expect(onlyResource(protectedJson, "aws_rds_cluster").lifecycle).toEqual({ prevent_destroy: true });
  });

  it("uses db.serverless instances with Serverless v2 scaling", () => {
    const serverless = cluster({ serverlessV2: { minCapacity: 0.5, maxCapacity: 8 } });
    expect(onlyResource(serverless, "aws_rds_cluster").serverlessv2_scaling_configuration).toEqual({ min_capacity: 0.5, max_capacity: 8 });
    expect(onlyResource(serverless, "aws_rds_cluster_instance").instance_class).toBe("db.serverless");
  });

  it("skips the final snapshot only when told to", () => {
    const db = onlyResource(cluster({ skipFinalSnapshot: true, deletionProtection: false }), "aws_rds_cluster");
    expect(db).toMatchObject({ skip_final_snapshot: true, deletion_protection: false });
    expect(db.final_snapshot_identifier).toBeUndefined();
  });

  it("admits the port only from named groups, by reference", () => {
    const peers = cluster({}, (db) => {
      const dms = new SecurityGroup(db, "dms", { name: "dms" });
      db.allowFrom("dms", dms, "DMS to the target database");
      db.allowFromGroupId("application", "sg-0123456789abcdef0", "The application");
    });
    const ingress = Object.values(resourcesOf(peers, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toHaveLength(2);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ security_group_id: "${aws_security_group.database_security_group.id}", ip_protocol: "tcp", from_port: 5432, to_port: 5432 });
      expect(rule.cidr_ipv4).toBeUndefined();
    }
    expect(ingress.map((rule) => rule.referenced_security_group_id).sort()).toEqual(["${aws_security_group.database_dms.id}", "sg-0123456789abcdef0"]);
    expect(onlyResource(peers, "aws_vpc_security_group_egress_rule")).toMatchObject({ security_group_id: "${aws_security_group.database_dms.id}", referenced_security_group_id: "${aws_security_group.database_security_group.id}" });
  });

  it("associates one s3Import role scoped to the buckets it is given", () => {
    const imports = cluster({}, (db) => {
      db.allowS3Import("csv_inbox", { bucketArn: "arn:aws:s3:::inbox", keyPrefix: "uploads/", s3PrefixListId: "pl-1234" });
      db.allowS3Import("archive", { bucketArn: "arn:aws:s3:::archive", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", s3PrefixListId: "pl-1234" });
    });
    expect(onlyResource(imports, "aws_rds_cluster_role_association")).toMatchObject({ feature_name: "s3Import", db_cluster_identifier: "${aws_rds_cluster.database_cluster.id}" });
    const role = Object.values(resourcesOf(imports, "aws_iam_role")).find((r) => String(r.name).endsWith("-s3-import"));
    // The account is an interpolation (read from an ARN), so the rendered policy is checked as text.
    expect(role?.assume_role_policy).toMatch(/"Principal":\{"Service":"rds\.amazonaws\.com"\}.*"Condition":\{"StringEquals":\{"aws:SourceAccount":"\$\{element\(split\(":", aws_db_subnet_group\.database_subnet_group\.arn\), 4\)\}"/);
    const policy = JSON.parse(String(onlyResource(imports, "aws_iam_role_policy").policy));
    expect(policy.Statement.map((s: { Resource: string }) => s.Resource)).toEqual([
      "arn:aws:s3:::inbox/uploads/*",
      "arn:aws:s3:::inbox",
      "arn:aws:s3:::archive/*",
      "arn:aws:s3:::archive",
      "arn:aws:kms:us-east-1:111122223333:key/k",
    ]);
    expect(policy.Statement.every((s: { Action: string }) => !String(s.Action).includes("*"))).toBe(true);
    expect(onlyResource(imports, "aws_vpc_security_group_egress_rule")).toMatchObject({ prefix_list_id: "pl-1234", from_port: 443 });
  });

  it("names the cluster and its instances as RDS event sources, and a replacement trigger for lifecycle", () => {
    synthConstruct((scope) => {
      const db = new AuroraPostgresCluster(scope, "database", {
        identifier: "lz-dev-db",
        vpc: testVpc(scope, "vpc"),
        engineVersion: "16.9",
        instanceClass: "db.r7g.large",
        databaseName: "app",
        masterUsername: "postgres",
        masterPassword: { mode: "generated", value: "${local.p}", version: 1 },
        readers: 1,
      });
      expect(db.eventSourceIdentifiers).toEqual(["lz-dev-db", "lz-dev-db-1", "lz-dev-db-2"]);
      expect(db.replacementTrigger).toBe("aws_rds_cluster.database_cluster.cluster_resource_id");
    });
  });
});
