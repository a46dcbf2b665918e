// Bad `existing_network`, `imports` and `policy` sections fail at config time, naming the file,
// the JSON path and what was expected; good ones become stack props.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

const existingDms = {
  vpc_id: "vpc-0123456789abcdef0",
  cidr: "10.0.0.0/16",
  private_subnet_ids: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  availability_zones: ["us-east-1a", "us-east-1b"],
  route_table_ids: ["rtb-0123456789abcdef0"],
};

/** The three_vpc fixture without the keys of the VPCs given as existing. */
function threeVpcWithout(...prefixes: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(validThreeVpc()).filter(([key]) => !prefixes.some((prefix) => key.startsWith(`${prefix}_`))));
}

function load(common: Record<string, unknown>, adoption: Record<string, unknown>) {
  tree = variablesTree({ dev: { "common.tfvars.json": common, "adoption.tfvars.json": adoption } });
  return loadEnvironments(tree.dir);
}

function issues(common: Record<string, unknown>, adoption: Record<string, unknown>): ConfigIssue[] {
  try {
    load(common, adoption);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

function expectIssue(found: ConfigIssue[], path: string, says: RegExp, file = /adoption\.tfvars\.json$/) {
  const issue = found.find((candidate) => candidate.path === path && says.test([candidate.message, candidate.found, candidate.expected].join(" | ")));
  expect(issue, JSON.stringify(found, null, 2)).toBeDefined();
  expect(issue!.file).toMatch(file);
  expect(issue!.expected).toBeTruthy();
}

describe("existing_network config", () => {
  it("replaces the DMS VPC's keys and becomes an existing VPC spec", () => {
    const [environment] = load(threeVpcWithout("vpc2"), { existing_network: { dms: existingDms } });
    const network = environment.props.network;
    expect(network.topology).toBe("three_vpc");
    if (network.topology !== "three_vpc") return;
    expect(network.dmsVpc).toEqual({
      existing: true,
      vpcId: "vpc-0123456789abcdef0",
      cidr: "10.0.0.0/16",
      privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
      availabilityZones: ["us-east-1a", "us-east-1b"],
      routeTableIds: ["rtb-0123456789abcdef0"],
      name: "vpc-0123456789abcdef0",
    });
    expect(network.sourceVpc).toMatchObject({ cidr: "192.168.0.0/16" });
  });

  it("names the one VPC of single_vpc with existing_network.dms", () => {
    const common = Object.fromEntries(Object.entries(validSingleVpc()).filter(([key]) => !key.startsWith("vpc_")));
    const [environment] = load({ ...common, region: "us-east-1" }, { existing_network: { dms: { ...existingDms, name: "shared" } } });
    expect(environment.props.network).toMatchObject({ topology: "single_vpc", vpc: { existing: true, name: "shared" } });
  });

  it("rejects an existing VPC together with the keys that would create it", () => {
    const found = issues(validThreeVpc(), { existing_network: { dms: existingDms } });
    expectIssue(found, "$.vpc2_cidr", /existing_network\.dms/, /common\.tfvars\.json$/);
    expectIssue(found, "$.vpc2_private_subnets", /no vpc2_private_subnets/, /common\.tfvars\.json$/);
  });

  it("rejects source and target roles in single_vpc", () => {
    const common = Object.fromEntries(Object.entries(validSingleVpc()).filter(([key]) => !key.startsWith("vpc_")));
    expectIssue(issues({ ...common, region: "us-east-1" }, { existing_network: { dms: existingDms, target: existingDms } }), "$.existing_network.target", /existing_network\.dms only/);
  });

  it.each([
    ["a malformed VPC ID", { vpc_id: "vpc-xyz" }, "$.existing_network.dms.vpc_id", /vpc-0123456789abcdef0/],
    ["a malformed subnet ID", { private_subnet_ids: ["subnet-1", "subnet-0123456789abcdef1"] }, "$.existing_network.dms.private_subnet_ids[0]", /subnet ID/],
    ["a route table that is not one", { route_table_ids: ["igw-0123456789abcdef0"] }, "$.existing_network.dms.route_table_ids[0]", /rtb-/],
    ["one AZ per subnet missing", { availability_zones: ["us-east-1a", "us-east-1b", "us-east-1c"] }, "$.existing_network.dms.availability_zones", /AZ of each subnet/],
    ["an AZ in another region", { availability_zones: ["us-east-1a", "eu-west-1b"] }, "$.existing_network.dms.availability_zones[1]", /zone of us-east-1/],
    ["subnets in one AZ", { availability_zones: ["us-east-1a", "us-east-1a"] }, "$.existing_network.dms.availability_zones", /at least two AZs/],
    ["an AZ the hops do not serve", { availability_zones: ["us-east-1a", "us-east-1c"] }, "$.existing_network.dms.availability_zones", /source hop's NLB/],
    ["an unknown key", { subnets: [] }, "$.existing_network.dms.subnets", /variables\/schema\.json|private_subnet_ids/],
  ])("rejects %s", (_name, change, path, says) => {
    expectIssue(issues(threeVpcWithout("vpc2"), { existing_network: { dms: { ...existingDms, ...change } } }), path, says);
  });
});

describe("imports config", () => {
  it("carries valid imports into the stack props", () => {
    const imports = { "aws_iam_role.dms_service_roles_vpc_role": "dms-vpc-role", "aws_secretsmanager_secret.secrets_target": "arn:aws:secretsmanager:us-east-1:123456789012:secret:dms-lz/dev/target-AbCdEf" };
    const [environment] = load(validThreeVpc(), { imports });
    expect(environment.props.imports).toEqual(imports);
  });

  it.each([
    ["an unsupported type", { "aws_vpc.network_dms_vpc_vpc": "vpc-0123456789abcdef0" }, "$.imports[\"aws_vpc.network_dms_vpc_vpc\"]", /aws_iam_role, .*aws_s3_bucket/],
    ["a role ARN instead of its name", { "aws_iam_role.dms_role": "arn:aws:iam::123456789012:role/dms-vpc-role" }, "$.imports[\"aws_iam_role.dms_role\"]", /role name/],
    ["a secret name instead of its ARN", { "aws_secretsmanager_secret.target": "dms-lz/dev/target" }, "$.imports[\"aws_secretsmanager_secret.target\"]", /secret ARN/],
    ["something that is not an address", { "module.x.aws_s3_bucket.y": "bucket" }, "$.imports[\"module.x.aws_s3_bucket.y\"]", /Terraform address/],
  ])("rejects %s", (_name, imports, path, says) => {
    expectIssue(issues(validThreeVpc(), { imports }), path, says);
  });
});

describe("policy config", () => {
  it("accepts suppressions with a reason", () => {
    expect(issues(validThreeVpc(), { policy: { suppressions: [{ rule: "LZ-S3-004", address: "aws_s3_bucket.media_*", reason: "CloudFront reads with SSE-S3" }] } })).toEqual([]);
  });

  it.each([
    ["a suppression without a reason", { rule: "LZ-S3-004", address: "aws_s3_bucket.x" }, "$.policy.suppressions[0].reason", /required|string/],
    ["a blank reason", { rule: "LZ-S3-004", address: "aws_s3_bucket.x", reason: "  " }, "$.policy.suppressions[0].reason", /at least 1|reason/],
    ["an unknown rule", { rule: "LZ-S3-099", address: "aws_s3_bucket.x", reason: "r" }, "$.policy.suppressions[0].rule", /rule id|LZ-S3-00/],
    ["a malformed rule id", { rule: "CKV_AWS_16", address: "aws_db_instance.x", reason: "r" }, "$.policy.suppressions[0].rule", /LZ-DB-002/],
  ])("rejects %s", (_name, suppression, path, says) => {
    expectIssue(issues(validThreeVpc(), { policy: { suppressions: [suppression] } }), path, says);
  });
});
