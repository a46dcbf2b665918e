import { createRequire } from "node:module";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { HopTargetSync } from "../../modules/database/hop-target-sync.js";
import { targetSyncBundleZip } from "../../modules/database/target-sync/bundle.js";
import { extractLambdaZip } from "../helpers/lambda-zip.js";
import { ServiceEndpoints } from "../../modules/network/service-endpoints.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("HopTargetSync", () => {
  const json = synthConstruct((scope) => {
    const vpc = testVpc(scope, "vpc");
    const endpoints = new ServiceEndpoints(scope, "endpoints", { vpc, region: "us-east-1", services: ["secretsmanager", "elasticloadbalancing"], securityGroupName: "endpoints" });
    new HopTargetSync(scope, "hop_target_sync", {
      functionName: "lz-dev-hop-target-sync",
      vpc,
      serviceEndpoints: endpoints,
      targets: [
        { name: "target", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/t/1", hostName: "db.cluster-x.us-east-1.rds.amazonaws.com", port: 5432, eventSourceIdentifiers: ["lz-dev-db", "lz-dev-db-1"] },
        { name: "simulated_source", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/s/2", hostName: "src.cluster-y.us-east-1.rds.amazonaws.com", port: 5432, eventSourceIdentifiers: ["lz-dev-source"] },
      ],
      logRetentionDays: 14,
    });
  });

  it("runs nodejs22.x in the VPC's private subnets from the bundled zip, with the hops in its environment", () => {
    const fn = onlyResource(json, "aws_lambda_function");
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      handler: "index.handler",
      vpc_config: { subnet_ids: ["${aws_subnet.vpc_private_subnet_0.id}", "${aws_subnet.vpc_private_subnet_1.id}"] },
      depends_on: ["aws_cloudwatch_log_group.hop_target_sync_log_group"],
    });
    expect(fn.filename).toMatch(/^assets\/hop_target_sync_bundle\/[0-9A-F]+\/function\.zip$/);
    const environment = (fn.environment as { variables: { TARGETS: string } }).variables;
    expect(JSON.parse(environment.TARGETS)).toEqual([
      { name: "target", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/t/1", hostName: "db.cluster-x.us-east-1.rds.amazonaws.com", port: 5432 },
      { name: "simulated_source", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/s/2", hostName: "src.cluster-y.us-east-1.rds.amazonaws.com", port: 5432 },
    ]);
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/lz-dev-hop-target-sync", retention_in_days: 14 });
    expect(onlyResource(json, "aws_lambda_function_event_invoke_config")).toMatchObject({ maximum_retry_attempts: 0 });
  });

  it("trusts Lambda acting for this account only", () => {
    // A template, not JSON: the account is split out of the log group's ARN at apply time.
    const trust = String(onlyResource(json, "aws_iam_role").assume_role_policy);
    expect(trust).toMatch(/"Principal":\{"Service":"lambda\.amazonaws\.com"\},"Action":"sts:AssumeRole","Condition":\{"StringEquals":\{"aws:SourceAccount":"\$\{element\(split\(":", aws_cloudwatch_log_group\.\w+\.arn\), 4\)\}"\}\}/);
  });

  it("may change targets only in the two target groups, and record failed runs in its queue", () => {
    const policy = JSON.parse(String(onlyResource(json, "aws_iam_role_policy").policy));
    expect(policy.Statement).toEqual([
      { Sid: "ReadTargets", Effect: "Allow", Action: "elasticloadbalancing:DescribeTargetHealth", Resource: "*" },
      {
        Sid: "ChangeTargets",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: ["arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/t/1", "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/s/2"],
      },
      { Sid: "RecordFailedRuns", Effect: "Allow", Action: "sqs:SendMessage", Resource: "${aws_sqs_queue.hop_target_sync_failure_queue.arn}" },
    ]);
  });

  it("reserves no concurrency (runs converge instead) and sends failed runs to an encrypted queue", () => {
    expect(onlyResource(json, "aws_lambda_function").reserved_concurrent_executions).toBeUndefined();
    expect(onlyResource(json, "aws_lambda_function_event_invoke_config").destination_config).toEqual({ on_failure: { destination: "${aws_sqs_queue.hop_target_sync_failure_queue.arn}" } });
    expect(onlyResource(json, "aws_sqs_queue").sqs_managed_sse_enabled).toBe(true);
  });

  it("runs every minute and on failover events of both databases", () => {
    const rules = Object.values(resourcesOf(json, "aws_cloudwatch_event_rule"));
    expect(rules.find((rule) => rule.schedule_expression)?.schedule_expression).toBe("rate(1 minute)");
    const pattern = JSON.parse(String(rules.find((rule) => rule.event_pattern)?.event_pattern));
    expect(pattern).toEqual({
      source: ["aws.rds"],
      "detail-type": ["RDS DB Cluster Event", "RDS DB Instance Event"],
      detail: { SourceIdentifier: ["lz-dev-db", "lz-dev-db-1", "lz-dev-source"], EventCategories: ["failover", "availability", "maintenance"] },
    });
    expect(Object.values(resourcesOf(json, "aws_lambda_permission")).every((p) => p.principal === "events.amazonaws.com" && String(p.source_arn).includes("aws_cloudwatch_event_rule"))).toBe(true);
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_event_target"))).toHaveLength(2);
  });

  it("reaches only the service endpoints, and adds the Elastic Load Balancing endpoint once", () => {
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_vpc_endpoint", { service_name: "com.amazonaws.us-east-1.elasticloadbalancing" })).toBe(true);
    const services = Object.values(resourcesOf(json, "aws_vpc_endpoint")).map((endpoint) => endpoint.service_name);
    expect(services.filter((service) => service === "com.amazonaws.us-east-1.elasticloadbalancing")).toHaveLength(1);
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter((rule) => rule.security_group_id === "${aws_security_group.hop_target_sync_security_group.id}");
    expect(egress.map((rule) => rule.from_port)).toEqual([443, 443]);
  });

  it("adds the Elastic Load Balancing endpoint to a VPC that lacks it", () => {
    const added = synthConstruct((scope) => {
      const vpc = testVpc(scope, "vpc");
      const endpoints = new ServiceEndpoints(scope, "endpoints", { vpc, region: "eu-west-1", services: ["secretsmanager"], securityGroupName: "endpoints" });
      new HopTargetSync(scope, "sync", { functionName: "f", vpc, serviceEndpoints: endpoints, targets: [] });
    });
    expect(Object.values(resourcesOf(added, "aws_vpc_endpoint")).map((e) => e.service_name).sort()).toEqual([
      "com.amazonaws.eu-west-1.elasticloadbalancing",
      "com.amazonaws.eu-west-1.s3",
      "com.amazonaws.eu-west-1.secretsmanager",
    ]);
  });

  it("bundles a handler that loads on its own", () => {
    const previous = process.env.TARGETS;
    process.env.TARGETS = "[]";
    try {
      const bundle = createRequire(import.meta.url)(join(extractLambdaZip(targetSyncBundleZip()), "index.js")) as { handler: () => Promise<unknown> };
      expect(typeof bundle.handler).toBe("function");
      return expect(bundle.handler()).resolves.toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TARGETS;
      else process.env.TARGETS = previous;
    }
  });
});
