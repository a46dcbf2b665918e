import { describe, expect, it } from "vitest";
import { ApplicationRole } from "../../modules/secrets/application-role.js";
import { ApplicationConfigAccess } from "../../modules/secrets/application-config-access.js";
import { ParameterTree } from "../../modules/secrets/parameter-tree.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

describe("ApplicationRole", () => {
  it("creates the EC2 role and its instance profile, so policies attach to a role the plan creates", () => {
    const json = synthConstruct((scope) => {
      const role = new ApplicationRole(scope, "application_role", { name: "startup-ec2" });
      const parameters = new ParameterTree(scope, "parameters", { path: "/cloudtalents/startup", kmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/abc" });
      new ApplicationConfigAccess(scope, "application_config_access", { roleName: role.role.name, policyName: "startup-config", parameters, secrets: [] });
    });
    expect(onlyResource(json, "aws_iam_role")).toMatchObject({ name: "startup-ec2" });
    expect(onlyResource(json, "aws_iam_role").assume_role_policy).toContain('"Service":"ec2.amazonaws.com"');
    expect(onlyResource(json, "aws_iam_instance_profile")).toMatchObject({ name: "startup-ec2", role: "${aws_iam_role.application_role_role.name}" });
    expect(onlyResource(json, "aws_iam_role_policy")).toMatchObject({ role: "${aws_iam_role.application_role_role.name}" });
  });
});
