import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { describe, expect, it } from "vitest";
import { DatabaseSecret } from "../../modules/secrets/database-secret.js";
import { GeneratedPassword } from "../../modules/secrets/generated-password.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/k";

describe("DatabaseSecret", () => {
  const json = synthConstruct((scope) => {
    const password = new GeneratedPassword(scope, "database_password", { version: 2 });
    const cluster = new RdsCluster(scope, "cluster", { engine: "aurora-postgresql", masterPasswordWo: password.value, masterPasswordWoVersion: password.version });
    const secret = new DatabaseSecret(scope, "dms_target", {
      name: "lz/dev/dms-target",
      description: "DMS target",
      kmsKeyArn: KEY,
      recoveryWindowDays: 30,
      preventDestroy: true,
      generated: { username: "postgres", host: "target-hop.vpce.amazonaws.com", port: 5432, dbname: "app", password, database: cluster, databaseReplacementTrigger: "aws_rds_cluster.cluster.cluster_resource_id" },
    });
    secret.grantRead("pipeline", "csv-loader");
    new DatabaseSecret(scope, "dms_source", { name: "lz/dev/dms-source", description: "set outside Terraform", kmsKeyArn: KEY, recoveryWindowDays: 7 });
  });

  it("encrypts with the given key and keeps deleted secrets for the recovery window", () => {
    const secrets = resourcesOf(json, "aws_secretsmanager_secret");
    expect(secrets.dms_target_secret).toMatchObject({ name: "lz/dev/dms-target", kms_key_id: KEY, recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(secrets.dms_source_secret).toMatchObject({ recovery_window_in_days: 7 });
  });

  it("writes the generated login write-only, in the shape DMS requires, with the database's password expression", () => {
    const version = onlyResource(json, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo_version).toBe(2);
    expect(version.secret_string_wo).toBe(
      '${jsonencode({"engine" = "postgres", "username" = "postgres", "password" = local.database_password_value, "host" = "target-hop.vpce.amazonaws.com", "port" = 5432, "dbname" = "app"})}',
    );
    expect(onlyResource(json, "aws_rds_cluster").master_password_wo).toBe("${local.database_password_value}");
  });

  it("is written after the database, and again only when the database is replaced", () => {
    const version = onlyResource(json, "aws_secretsmanager_secret_version");
    expect(version.depends_on).toEqual(["aws_rds_cluster.cluster"]);
    expect(version.lifecycle).toEqual({ replace_triggered_by: ["aws_rds_cluster.cluster.cluster_resource_id"] });
  });

  it("generates the password from uuid() in a local, never as a literal", () => {
    expect(json.locals).toEqual({ database_password_value: '${replace(join("", [uuid(), uuid()]), "-", "")}' });
  });

  it("leaves an external secret without a version for the value set outside Terraform", () => {
    expect(Object.keys(resourcesOf(json, "aws_secretsmanager_secret_version"))).toEqual(["dms_target_value"]);
  });

  it("grants read of exactly this secret and decryption through Secrets Manager", () => {
    const policy = onlyResource(json, "aws_iam_role_policy");
    expect(policy.role).toBe("csv-loader");
    expect(policy.policy).toContain('"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"${aws_secretsmanager_secret.dms_target_secret.arn}"');
    expect(policy.policy).toContain(`"Action":"kms:Decrypt","Resource":"${KEY}","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.`);
  });
});
