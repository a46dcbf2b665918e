import { describe, expect, it } from "vitest";
import { ApplicationConfigAccess } from "../../modules/secrets/application-config-access.js";
import { ParameterTree } from "../../modules/secrets/parameter-tree.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

const KEY = "arn:aws:kms:eu-central-1:111122223333:key/k";
const SECRET = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:blog/database-a1";

describe("ApplicationConfigAccess", () => {
  const json = synthConstruct((scope) => {
    const parameters = new ParameterTree(scope, "parameters", { path: "/cloudtalents/startup", kmsKeyArn: KEY });
    new ApplicationConfigAccess(scope, "application_config_access", {
      roleName: "cloudtalents-startup-ec2",
      policyName: "blog-application-config",
      parameters,
      secrets: [{ secretArn: SECRET, kmsKeyArn: KEY }],
    });
  });

  it("attaches one policy to the existing role: the path, the secret and its key, nothing else", () => {
    const policy = onlyResource(json, "aws_iam_role_policy");
    expect(policy).toMatchObject({ role: "cloudtalents-startup-ec2", name: "blog-application-config" });
    const statements = JSON.parse(String(policy.policy)).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["ReadParameterTree", "DecryptParameterTree", "ReadSecrets", "DecryptSecrets"]);
    expect(statements[2]).toEqual({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [SECRET] });
    expect(statements[3]).toMatchObject({ Resource: [KEY], Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-central-1.amazonaws.com" } } });
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
  });
});
