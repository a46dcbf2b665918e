import { describe, expect, it } from "vitest";
import { ParameterTree } from "../../modules/secrets/parameter-tree.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const KEY = "arn:aws:kms:eu-central-1:111122223333:key/k";

describe("ParameterTree", () => {
  const json = synthConstruct((scope) => {
    const tree = new ParameterTree(scope, "parameters", { path: "/cloudtalents/startup/", kmsKeyArn: KEY });
    tree.addString("database_endpoint", "db.example.internal", "writer");
    tree.addString("image_storage_bucket_name", "media-bucket");
    tree.grantRead("app", "cloudtalents-startup-ec2");
  });

  it("puts String entries under the path", () => {
    expect(resourcesOf(json, "aws_ssm_parameter").parameters_database_endpoint).toMatchObject({ name: "/cloudtalents/startup/database_endpoint", type: "String", value: "db.example.internal" });
    expect(resourcesOf(json, "aws_ssm_parameter").parameters_image_storage_bucket_name).toMatchObject({ name: "/cloudtalents/startup/image_storage_bucket_name", value: "media-bucket" });
  });

  it("grants a role read of the path and decryption through Parameter Store only", () => {
    const policy = onlyResource(json, "aws_iam_role_policy");
    expect(policy.role).toBe("cloudtalents-startup-ec2");
    expect(JSON.parse(String(policy.policy)).Statement).toEqual([
      {
        Sid: "ReadParameterTree",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
        Resource: ["arn:aws:ssm:eu-central-1:111122223333:parameter/cloudtalents/startup", "arn:aws:ssm:eu-central-1:111122223333:parameter/cloudtalents/startup/*"],
      },
      { Sid: "DecryptParameterTree", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": "ssm.eu-central-1.amazonaws.com" } } },
    ]);
  });

  it("refuses a name twice and a name that is not relative", () => {
    expect(() =>
      synthConstruct((scope) => {
        const tree = new ParameterTree(scope, "parameters", { path: "/a/b", kmsKeyArn: KEY });
        tree.addString("x", "1");
        tree.addString("x", "2");
      }),
    ).toThrow(/parameter "\/a\/b\/x" is added twice/);
    expect(() => synthConstruct((scope) => new ParameterTree(scope, "parameters", { path: "/a", kmsKeyArn: KEY }).addString("/abs", "1"))).toThrow(/not a relative/);
  });
});
