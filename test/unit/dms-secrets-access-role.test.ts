import { describe, expect, it } from "vitest";
import { DmsSecretsAccessRole } from "../../modules/secrets/dms-secrets-access-role.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

describe("DmsSecretsAccessRole", () => {
  const json = synthConstruct((scope) => {
    new DmsSecretsAccessRole(scope, "dms_secrets_access", {
      roleName: "lz-dev-dms-secrets",
      region: "eu-west-1",
      secretArns: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:lz/dev/dms-source-a", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:lz/dev/dms-target-b"],
      kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
    });
  });

  it("is trusted by the regional DMS principal for this account only", () => {
    const trust = JSON.parse(String(onlyResource(json, "aws_iam_role").assume_role_policy));
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "dms.eu-west-1.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } },
    ]);
  });

  it("reads exactly the two endpoint secrets and decrypts them through Secrets Manager only", () => {
    const policy = JSON.parse(String(onlyResource(json, "aws_iam_role_policy").policy));
    expect(policy.Statement).toEqual([
      {
        Sid: "ReadEndpointSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:lz/dev/dms-source-a", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:lz/dev/dms-target-b"],
      },
      {
        Sid: "DecryptEndpointSecrets",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:eu-west-1:111122223333:key/k",
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
      },
    ]);
  });
});
