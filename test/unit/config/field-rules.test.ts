// The shared AWS value rules (src/config/fields.ts), each proven on a bad value in every key that
// uses it, and on a good one: one home per rule, so no capability can drift from another.
import { afterEach, expect, it } from "vitest";
import { type ConfigIssue, formatIssue } from "../../../src/config/errors.js";
import { loadIssues, validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

type Json = Record<string, unknown>;

function issuesFor(config: Json): ConfigIssue[] {
  tree = variablesTree({ dev: { "common.tfvars.json": config } });
  return loadIssues(tree.dir);
}

const reloadTask = (timezone: string): Json => ({
  enabled: true,
  endpoints: { source: { endpoint_type: "source", engine_name: "postgres" }, target: { endpoint_type: "target" } },
  tasks: {
    nightly: {
      source_endpoint_key: "source",
      target_endpoint_key: "target",
      migration_type: "full-load",
      include: [{ schema: "public", table: "%" }],
      reload_schedule: { expression: "cron(0 2 * * ? *)", timezone },
    },
  },
});

it.each([
  ["a CSV log retention CloudWatch does not offer", { csv_pipeline: { log_retention_days: 65536 } }, "$.csv_pipeline.log_retention_days", /CloudWatch retention periods: 1, 3, 5/],
  ["a database log retention CloudWatch does not offer", { database: { log_retention_days: 10 } }, "$.database.log_retention_days", /CloudWatch retention periods/],
  ["a source egress CIDR with host bits set", { topology: "single_vpc", dms: { source_egress_cidrs: ["10.40.0.5/24"] } }, "$.dms.source_egress_cidrs[0]", /host bits are set; expected the network address 10\.40\.0\.0\/24/],
  ["a source egress CIDR that is not one", { topology: "single_vpc", dms: { source_egress_cidrs: ["10.40.0.5"] } }, "$.dms.source_egress_cidrs[0]", /IPv4 CIDR/],
  ["a tag key with the reserved aws: prefix", { common_tags: { "aws:owner": "me" } }, '$.common_tags["aws:owner"]', /does not start with aws:/],
  ["a tag key with the reserved prefix in capitals", { common_tags: { "AWS:Owner": "me" } }, '$.common_tags["AWS:Owner"]', /does not start with aws:/],
  ["a tag value over 256 characters", { common_tags: { note: "x".repeat(257) } }, "$.common_tags.note", /at most 256/],
  ["a time zone the runtime does not know", { dms: reloadTask("Mars/Olympus_Mons") }, "$.dms.tasks.nightly.reload_schedule.timezone", /IANA time zone/],
  ["a time zone given as an offset", { dms: reloadTask("+01:00") }, "$.dms.tasks.nightly.reload_schedule.timezone", /IANA time zone/],
  ["an emoji in a security group name", { ssm_sg_name: "ssm-\u{1F600}" }, "$.ssm_sg_name", /characters EC2 accepts in a security group name/],
  ["a security group name EC2 would read as a group ID", { environment: "sg" }, "$.ssm_sg_name", /starts with sg-/],
  ["a quote in a security group name", { endpoint_sg_name: 'endpoint"sg' }, "$.endpoint_sg_name", /characters EC2 accepts/],
  ["a KMS key that is not a key ARN", { secrets: { kms_key_arn: "alias/mine" } }, "$.secrets.kms_key_arn", /KMS key ARN/],
])("refuses %s", (_name, change, path, says) => {
  const base = (change as Json).topology === "single_vpc" ? validSingleVpc() : validThreeVpc();
  const issue = issuesFor({ ...base, ...change }).find((candidate) => candidate.path === path);
  expect(issue, `no issue at ${path}`).toBeDefined();
  expect(formatIssue(issue!)).toMatch(says);
});

it.each([
  ["UTC", "UTC"],
  ["a region's zone", "Europe/Berlin"],
  ["a three-part zone", "America/Argentina/Buenos_Aires"],
  ["a current name ICU lists under its old one", "Asia/Kolkata"],
  ["an Etc zone", "Etc/GMT+2"],
])("accepts %s as a time zone", (_name, timezone) => {
  expect(issuesFor({ ...validThreeVpc(), dms: reloadTask(timezone) })).toEqual([]);
});

it("accepts the security group name characters EC2 accepts, and a /32 egress CIDR", () => {
  expect(issuesFor({ ...validSingleVpc(), s3_sg_name: "S3 SG (endpoints) #1", dms: { source_egress_cidrs: ["10.40.0.5/32"] } })).toEqual([]);
});
