import { describe, expect, it } from "vitest";
import { ExistingVpc } from "../../modules/network/existing-vpc.js";
import { VpcFlowLogs } from "../../modules/network/vpc-flow-logs.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

function flowLogs(retentionDays?: number) {
  return synthConstruct((scope) => {
    const source = testVpc(scope, "source");
    const dms = testVpc(scope, "dms");
    new VpcFlowLogs(scope, "flow_logs", { namePrefix: "lz-dev", region: "eu-west-1", vpcs: [source, dms, source], retentionDays });
  });
}

describe("VpcFlowLogs", () => {
  const json = flowLogs();

  it("logs all traffic of each created VPC once, to its own log group", () => {
    const logs = Object.values(resourcesOf(json, "aws_flow_log"));
    expect(logs.map((log) => log.vpc_id).sort()).toEqual(["${aws_vpc.dms_vpc.id}", "${aws_vpc.source_vpc.id}"]);
    for (const log of logs) expect(log).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs", iam_role_arn: "${aws_iam_role.flow_logs_role.arn}" });
    expect(logs.map((log) => log.log_destination).sort()).toEqual(["${aws_cloudwatch_log_group.flow_logs_dms_log_group.arn}", "${aws_cloudwatch_log_group.flow_logs_source_log_group.arn}"]);
  });

  it("encrypts the log groups with a rotating customer managed key and keeps them 365 days unless told otherwise", () => {
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"));
    expect(groups.map((group) => group.name).sort()).toEqual(["/lz-dev/vpc-flow-logs/dms", "/lz-dev/vpc-flow-logs/source"]);
    for (const group of groups) expect(group).toMatchObject({ retention_in_days: 365, kms_key_id: "${aws_kms_key.flow_logs_key.arn}", depends_on: ["aws_kms_key_policy.flow_logs_key_policy"] });
    expect(onlyResource(json, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(Object.values(resourcesOf(flowLogs(30), "aws_cloudwatch_log_group")).map((group) => group.retention_in_days)).toEqual([30, 30]);
  });

  it("lets CloudWatch Logs use the key only for these log groups", () => {
    const policy = String(onlyResource(json, "aws_kms_key_policy").policy);
    expect(policy).toContain('"Principal":{"Service":"logs.eu-west-1.amazonaws.com"}');
    expect(policy).toMatch(/"ArnLike":\{"kms:EncryptionContext:aws:logs:arn":"arn:\$\{[^}]+\}:logs:eu-west-1:\$\{[^}]+\}:log-group:\/lz-dev\/vpc-flow-logs\/\*"\}/);
  });

  it("trusts the flow logs service for this account's flow logs only, and lets it write only to its groups", () => {
    const trust = String(onlyResource(json, "aws_iam_role").assume_role_policy);
    expect(trust).toContain('"Principal":{"Service":"vpc-flow-logs.amazonaws.com"}');
    expect(trust).toMatch(/"StringEquals":\{"aws:SourceAccount":"\$\{element\(split\(":", aws_kms_key\.flow_logs_key\.arn\), 4\)\}"\}/);
    expect(trust).toMatch(/"ArnLike":\{"aws:SourceArn":"arn:\$\{[^}]+\}:ec2:eu-west-1:\$\{[^}]+\}:vpc-flow-log\/\*"\}/);
    const policy = JSON.parse(String(onlyResource(json, "aws_iam_role_policy").policy));
    expect(policy.Statement).toEqual([
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: ["${aws_cloudwatch_log_group.flow_logs_source_log_group.arn}:*", "${aws_cloudwatch_log_group.flow_logs_dms_log_group.arn}:*"],
      },
    ]);
  });

  it("leaves existing VPCs to their owners", () => {
    const existing = synthConstruct((scope) => {
      const vpc = new ExistingVpc(scope, "shared", { name: "shared", vpcId: "vpc-0123456789abcdef0", cidr: "10.9.0.0/16", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], availabilityZones: ["eu-west-1a", "eu-west-1b"] });
      new VpcFlowLogs(scope, "flow_logs", { namePrefix: "lz-dev", region: "eu-west-1", vpcs: [vpc] });
    });
    expect(resourcesOf(existing, "aws_flow_log")).toEqual({});
    expect(resourcesOf(existing, "aws_kms_key")).toEqual({});
  });
});
