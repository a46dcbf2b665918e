// The mocked apply: `terraform test` with `mock_provider "aws"` applies a Terraform root (a
// synthesized stack, the bootstrap stack or an HCL root calling module mode), so what only exists
// at apply time is evaluated: ARN splitting, write-only values, `replace_triggered_by`, outputs.
// The provider still validates the arguments it receives, and some of them must look like ARNs or
// ids (KMS key ARNs, IAM role ARNs, `lt-` launch template ids…), while a mock makes up random
// strings for computed attributes: the defaults below give those attributes the right shape.
// They are the one home of the project's mocks.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OfflineWorkspace, openOfflineWorkspace } from "./offline-terraform.js";

/** The account every mocked ARN names. */
export const MOCK_ACCOUNT_ID = "123456789012";

const TEST_FILE = "zz_mock_apply.tftest.hcl";

/** Computed attributes, per resource type, whose shape the provider or an expression relies on. */
function mockResources(region: string): Record<string, Record<string, unknown>> {
  const arn = (service: string, resource: string, where = region) => `arn:aws:${service}:${where}:${MOCK_ACCOUNT_ID}:${resource}`;
  return {
    aws_kms_key: { arn: arn("kms", "key/00000000-0000-4000-8000-000000000000"), key_id: "00000000-0000-4000-8000-000000000000" },
    aws_iam_role: { arn: arn("iam", "role/mock-role", ""), unique_id: "AROAMOCKMOCKMOCKMOCK0" },
    aws_iam_policy: { arn: arn("iam", "policy/mock-policy", "") },
    aws_iam_instance_profile: { arn: arn("iam", "instance-profile/mock-profile", "") },
    aws_launch_template: { id: "lt-0123456789abcdef0", arn: arn("ec2", "launch-template/lt-0123456789abcdef0") },
    aws_vpc_endpoint: { prefix_list_id: "pl-0123456789abcdef0", dns_entry: [{ dns_name: `vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.${region}.vpce.amazonaws.com`, hosted_zone_id: "Z7HUB22UULQXV" }] },
    aws_vpc_endpoint_service: { id: "vpce-svc-0123456789abcdef0", service_name: `com.amazonaws.vpce.${region}.vpce-svc-0123456789abcdef0` },
    aws_lb: { arn: arn("elasticloadbalancing", "loadbalancer/net/mock/0123456789abcdef"), arn_suffix: "net/mock/0123456789abcdef" },
    aws_lb_target_group: { arn: arn("elasticloadbalancing", "targetgroup/mock/0123456789abcdef"), arn_suffix: "targetgroup/mock/0123456789abcdef" },
    aws_lb_listener: { arn: arn("elasticloadbalancing", "listener/net/mock/0123456789abcdef/0123456789abcdef") },
    aws_s3_bucket: { arn: "arn:aws:s3:::mock-bucket", bucket_regional_domain_name: `mock-bucket.s3.${region}.amazonaws.com` },
    aws_sns_topic: { arn: arn("sns", "mock-topic") },
    aws_sqs_queue: { arn: arn("sqs", "mock-queue"), url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/mock-queue` },
    aws_lambda_function: { arn: arn("lambda", "function:mock"), invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", "function:mock")}/invocations`, qualified_arn: arn("lambda", "function:mock:1") },
    aws_cloudwatch_log_group: { arn: arn("logs", "log-group:mock") },
    aws_cloudwatch_event_rule: { arn: arn("events", "rule/mock") },
    aws_secretsmanager_secret: { arn: arn("secretsmanager", "secret:mock-AbCdEf"), id: arn("secretsmanager", "secret:mock-AbCdEf") },
    aws_rds_cluster: { arn: arn("rds", "cluster:mock"), cluster_resource_id: "cluster-MOCKMOCKMOCKMOCKMOCK", endpoint: `mock.cluster-abcdefghijkl.${region}.rds.amazonaws.com` },
    aws_rds_cluster_instance: { arn: arn("rds", "db:mock") },
    aws_db_instance: { arn: arn("rds", "db:mock"), resource_id: "db-MOCKMOCKMOCKMOCKMOCK", address: `mock.abcdefghijkl.${region}.rds.amazonaws.com` },
    aws_db_subnet_group: { arn: arn("rds", "subgrp:mock") },
    aws_db_parameter_group: { arn: arn("rds", "pg:mock") },
    aws_rds_cluster_parameter_group: { arn: arn("rds", "cluster-pg:mock") },
    aws_dms_replication_instance: { replication_instance_arn: arn("dms", "rep:MOCK") },
    aws_dms_endpoint: { endpoint_arn: arn("dms", "endpoint:MOCK") },
    aws_dms_replication_task: { replication_task_arn: arn("dms", "task:MOCK") },
    aws_dms_event_subscription: { arn: arn("dms", "es:mock") },
    aws_cloudfront_distribution: { arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/EMOCKMOCKMOCK`, id: "EMOCKMOCKMOCK", domain_name: "d111111abcdef8.cloudfront.net" },
    aws_cloudfront_origin_access_control: { id: "EMOCKOACMOCK" },
    aws_cloudfront_response_headers_policy: { id: "00000000-0000-4000-8000-000000000000" },
    aws_scheduler_schedule: { arn: arn("scheduler", "schedule/default/mock") },
    aws_cloudwatch_metric_alarm: { arn: arn("cloudwatch", "alarm:mock") },
    aws_ssm_parameter: { arn: arn("ssm", "parameter/mock") },
  };
}

/** A JSON value as an HCL expression (objects need `=`, not `:`). */
function hcl(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hcl).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{ ${Object.entries(value).map(([key, nested]) => `${key} = ${hcl(nested)}`).join(", ")} }`;
  return JSON.stringify(value);
}

/** The `.tftest.hcl` that applies the root with the mocked AWS provider. */
export function mockApplyTestFile(region: string): string {
  const blocks = Object.entries(mockResources(region)).map(([type, defaults]) => {
    const lines = Object.entries(defaults).map(([name, value]) => `      ${name} = ${hcl(value)}`);
    return `  mock_resource "${type}" {\n    defaults = {\n${lines.join("\n")}\n    }\n  }`;
  });
  const data = [
    `  mock_data "aws_partition" {\n    defaults = {\n      partition  = "aws"\n      dns_suffix = "amazonaws.com"\n    }\n  }`,
    `  mock_data "aws_region" {\n    defaults = {\n      name = ${JSON.stringify(region)}\n      id   = ${JSON.stringify(region)}\n    }\n  }`,
  ];
  return `# Generated by src/terraform/mock-apply.ts: a mocked apply, no AWS call.\nmock_provider "aws" {\n${[...blocks, ...data].join("\n\n")}\n}\n\nrun "apply" {\n  command = apply\n}\n`;
}

/**
 * `prevent_destroy` is removed from the scratch copy: `terraform test` destroys what it applied
 * when the run ends, and a protected resource makes that teardown fail by design. What is
 * protected is asserted on the synthesized JSON, not here.
 */
function stripPreventDestroy(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === ".terraform") continue;
    if (statSync(path).isDirectory()) {
      stripPreventDestroy(path);
      continue;
    }
    if (!entry.endsWith(".tf.json")) continue;
    const json = JSON.parse(readFileSync(path, "utf8"));
    let changed = false;
    for (const resources of Object.values<Record<string, { lifecycle?: Record<string, unknown> }>>(json.resource ?? {})) {
      for (const resource of Object.values(resources)) {
        if (resource.lifecycle && "prevent_destroy" in resource.lifecycle) {
          delete resource.lifecycle.prevent_destroy;
          changed = true;
        }
      }
    }
    if (changed) writeFileSync(path, JSON.stringify(json, null, 2));
  }
}

export interface MockApplyResult {
  /** `terraform test` output (human readable: one line per run and the summary). */
  readonly output: string;
}

/**
 * Applies `rootDir` (a copy of it) with the mocked AWS provider; throws TerraformError with
 * terraform's diagnostics when the apply fails. `region` gives region-shaped mock values.
 */
export function mockApply(rootDir: string, region: string): MockApplyResult {
  const workspace = openOfflineWorkspace(rootDir);
  try {
    return mockApplyIn(workspace, region);
  } finally {
    workspace.dispose();
  }
}

/**
 * The mocked apply in a workspace that is already initialised (for example the one an offline
 * plan used, so one `terraform init` serves both). It changes the workspace's copy: plan first.
 */
export function mockApplyIn(workspace: OfflineWorkspace, region: string): MockApplyResult {
  stripPreventDestroy(workspace.dir);
  writeFileSync(join(workspace.dir, TEST_FILE), mockApplyTestFile(region));
  return { output: workspace.run(["test", "-no-color", `-filter=${TEST_FILE}`], "test") };
}
