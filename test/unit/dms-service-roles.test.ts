import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { DmsServiceRoles } from "../../modules/dms/dms-service-roles.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("DmsServiceRoles", () => {
  it("creates both account-level roles under the names DMS looks up, trusted by dms.amazonaws.com, with their managed policies", () => {
    const json = synthConstruct((scope) => new DmsServiceRoles(scope, "roles"));
    const roles = resourcesOf(json, "aws_iam_role");
    expect(Object.values(roles).map((role) => role.name).sort()).toEqual(["dms-cloudwatch-logs-role", "dms-vpc-role"]);
    expect(JSON.parse(roles.roles_vpc_role.assume_role_policy as string).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_iam_role_policy_attachment", {
      policy_arn: 'arn:${element(split(":", aws_iam_role.roles_vpc_role.arn), 1)}:iam::aws:policy/service-role/AmazonDMSVPCManagementRole',
    })).toBe(true);
    expect(resourcesOf(json, "aws_iam_role_policy_attachment").roles_cloudwatch_logs_role_policy.policy_arn).toMatch(/service-role\/AmazonDMSCloudWatchLogsRole$/);
  });

  it("exposes the policy attachments (not the bare roles) as what the subnet group and tasks wait for", () => {
    let roles: DmsServiceRoles | undefined;
    synthConstruct((scope) => (roles = new DmsServiceRoles(scope, "roles")));
    expect(roles!.vpcRoleReady).toEqual([expect.any(IamRolePolicyAttachment)]);
    expect((roles!.vpcRoleReady[0] as IamRolePolicyAttachment).node.id).toBe("vpc_role_policy");
    expect((roles!.logsRoleReady[0] as IamRolePolicyAttachment).node.id).toBe("cloudwatch_logs_role_policy");
  });

  it("adopts existing roles without managing anything, so a second environment in the account cannot collide or delete them", () => {
    let roles: DmsServiceRoles | undefined;
    const json = synthConstruct((scope) => (roles = new DmsServiceRoles(scope, "roles", { mode: "existing" })));
    expect(json.resource ?? {}).toEqual({});
    expect(roles!.vpcRoleReady).toEqual([]);
    expect(roles!.vpcRoleName).toBe("dms-vpc-role");
  });
});
