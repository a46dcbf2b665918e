import { describe, expect, it } from "vitest";
import { AuroraPostgresCluster } from "../../modules/database/aurora-postgres-cluster.js";
import { DatabaseUsers } from "../../modules/database/database-users.js";
import { ServiceEndpoints } from "../../modules/network/service-endpoints.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/k";

describe("DatabaseUsers", () => {
  const json = synthConstruct((scope) => {
    const vpc = testVpc(scope, "vpc");
    const endpoints = new ServiceEndpoints(scope, "endpoints", { vpc, region: "us-east-1", services: [], securityGroupName: "endpoints" });
    const database = new AuroraPostgresCluster(scope, "database", {
      vpc,
      identifier: "lz-dev-db",
      engineVersion: "17.6",
      instanceClass: "db.t4g.medium",
      databaseName: "app",
      masterUsername: "postgres",
      masterUserSecretKmsKeyArn: KEY,
    });
    new DatabaseUsers(scope, "database_logins", {
      functionName: "lz-dev-database-logins",
      database,
      vpc,
      serviceEndpoints: endpoints,
      secretNamePrefix: "lz/dev",
      kmsKeyArn: KEY,
      recoveryWindowDays: 7,
      extensions: ["aws_s3"],
      randomParameters: [{ name: "/app/secret_key", arn: "arn:aws:ssm:us-east-1:111122223333:parameter/app/secret_key" }],
      logins: [
        { kind: "dms_target", username: "dms_user", description: "DMS", secretHost: "vpce-1.example" },
        { kind: "application", username: "app_user", description: "App" },
        { kind: "csv_loader", username: "csv_loader", description: "CSV", tables: [{ table: "public.accounts", mode: "replace" }] },
      ],
    });
  });

  it("creates one empty secret per login, by name prefix, and never a secret version", () => {
    const secrets = resourcesOf(json, "aws_secretsmanager_secret");
    expect(Object.values(secrets).map((s) => s.name_prefix).sort()).toEqual(["lz/dev/app-user-", "lz/dev/csv-loader-", "lz/dev/dms-user-"]);
    expect(resourcesOf(json, "aws_secretsmanager_secret_version")).toEqual({});
    expect(JSON.stringify(json)).not.toMatch(/uuid\(|random_password|password_wo|"password":/);
  });

  it("tells the function its logins (DMS's secret names the hop) with no secret in its environment", () => {
    const fn = onlyResource(json, "aws_lambda_function");
    const config = JSON.parse((fn.environment as { variables: { DB_USERS: string } }).variables.DB_USERS);
    expect(config).toMatchObject({
      masterSecretArn: "${aws_rds_cluster.database_cluster.master_user_secret[0].secret_arn}",
      host: "${aws_rds_cluster.database_cluster.endpoint}",
      engine: "aurora-postgresql",
      extensions: ["aws_s3"],
      randomParameters: [{ name: "/app/secret_key", kmsKeyId: KEY }],
    });
    expect(config.logins).toEqual([
      { kind: "dms_target", username: "dms_user", secretArn: "${aws_secretsmanager_secret.database_logins_dms_target_secret.arn}", secretHost: "vpce-1.example", secretPort: 5432 },
      { kind: "application", username: "app_user", secretArn: "${aws_secretsmanager_secret.database_logins_application_secret.arn}", secretHost: "${aws_rds_cluster.database_cluster.endpoint}", secretPort: 5432, readsTablesOf: ["dms_user"] },
      { kind: "csv_loader", username: "csv_loader", secretArn: "${aws_secretsmanager_secret.database_logins_csv_loader_secret.arn}", secretHost: "${aws_rds_cluster.database_cluster.endpoint}", secretPort: 5432, tables: [{ table: "public.accounts", mode: "replace" }] },
    ]);
  });

  it("is invoked again when its inputs, its code or the database change, after the database's instances and network paths exist", () => {
    const invocation = onlyResource(json, "aws_lambda_invocation");
    expect(invocation.triggers).toMatchObject({
      code: "${aws_lambda_function.database_logins_function.source_code_hash}",
      database: "${aws_rds_cluster.database_cluster.cluster_resource_id}",
    });
    expect(invocation.lifecycle_scope).toBeUndefined();
    const dependsOn = invocation.depends_on as string[];
    expect(dependsOn).toEqual(expect.arrayContaining([
      "aws_rds_cluster_instance.database_instance_0",
      "aws_vpc_security_group_ingress_rule.database_allow_database_logins_ingress",
      "aws_vpc_endpoint.endpoints_secretsmanager",
      "aws_vpc_endpoint.endpoints_ssm",
      "aws_iam_role_policy.database_logins_policy",
    ]));
    expect(dependsOn.some((address) => address.includes("rotation"))).toBe(false);
  });

  it("may read only the master secret, write only its logins' secrets and create only the named parameter", () => {
    // The key statement's region is an expression (not JSON until Terraform renders it): read the text.
    const policy = String(resourcesOf(json, "aws_iam_role_policy").database_logins_policy.policy);
    expect(policy).toContain('{"Sid":"ReadMasterSecret","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"${aws_rds_cluster.database_cluster.master_user_secret[0].secret_arn}"}');
    expect(policy).toContain(
      '"Resource":["${aws_secretsmanager_secret.database_logins_dms_target_secret.arn}","${aws_secretsmanager_secret.database_logins_application_secret.arn}","${aws_secretsmanager_secret.database_logins_csv_loader_secret.arn}"]',
    );
    expect(policy).toContain('{"Sid":"CreateRandomParameters","Effect":"Allow","Action":"ssm:PutParameter","Resource":["arn:aws:ssm:us-east-1:111122223333:parameter/app/secret_key"]}');
  });

  it("rotates each login's secret on a schedule through the same function, after the first value exists", () => {
    const rotations = Object.values(resourcesOf(json, "aws_secretsmanager_secret_rotation"));
    expect(rotations).toHaveLength(3);
    for (const rotation of rotations) {
      expect(rotation).toMatchObject({ rotation_lambda_arn: "${aws_lambda_function.database_logins_function.arn}", rotation_rules: { automatically_after_days: 30 }, rotate_immediately: false });
      expect(rotation.depends_on).toContain("aws_lambda_invocation.database_logins_invocation");
    }
    const permissions = Object.values(resourcesOf(json, "aws_lambda_permission"));
    expect(permissions.map((p) => p.principal)).toEqual(["secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com"]);
  });
});
