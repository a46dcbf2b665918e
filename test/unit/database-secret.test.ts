import { describe, expect, it } from "vitest";
import { DatabaseSecret } from "../../modules/secrets/database-secret.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const KEY = "arn:aws:kms:us-east-1:111122223333:key/k";

describe("DatabaseSecret", () => {
  const json = synthConstruct((scope) => {
    const secret = new DatabaseSecret(scope, "dms_target", { namePrefix: "lz/dev/dms-user", description: "DMS target", kmsKeyArn: KEY, recoveryWindowDays: 30, preventDestroy: true });
    secret.grantRead("pipeline", "csv-loader");
    new DatabaseSecret(scope, "dms_source", { namePrefix: "lz/dev/dms-source", description: "set outside Terraform", kmsKeyArn: KEY, recoveryWindowDays: 7 });
  });

  it("encrypts with the given key and keeps deleted secrets for the recovery window", () => {
    const secrets = resourcesOf(json, "aws_secretsmanager_secret");
    expect(secrets.dms_target_secret).toMatchObject({ kms_key_id: KEY, recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(secrets.dms_source_secret).toMatchObject({ recovery_window_in_days: 7 });
  });

  it("is named by prefix, so a re-created environment never meets its predecessor still scheduled for deletion", () => {
    const secrets = resourcesOf(json, "aws_secretsmanager_secret");
    expect(secrets.dms_target_secret).toMatchObject({ name_prefix: "lz/dev/dms-user-" });
    expect(secrets.dms_target_secret.name).toBeUndefined();
  });

  it("holds no value Terraform wrote: no secret version at all", () => {
    expect(resourcesOf(json, "aws_secretsmanager_secret_version")).toEqual({});
  });

  it("grants read of exactly this secret and decryption through Secrets Manager", () => {
    const policy = onlyResource(json, "aws_iam_role_policy");
    expect(policy.role).toBe("csv-loader");
    expect(policy.policy).toContain('"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"${aws_secretsmanager_secret.dms_target_secret.arn}"');
    expect(policy.policy).toContain(`"Action":"kms:Decrypt","Resource":"${KEY}","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.`);
  });
});
