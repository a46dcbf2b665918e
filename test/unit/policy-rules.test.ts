// Every rule of the policy pack fails on a fixture that breaks it and passes the compliant fixture.
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/engine.js";
import { POLICY_RULES } from "../../src/policy/rules/index.js";
import { compliantStack } from "../fixtures/policy/compliant-stack.js";
import { readinessBreaking } from "../fixtures/policy/readiness-stack.js";
import { change, FixtureResource, planFixture, without } from "../helpers/plan-fixtures.js";

const DB = "aws_db_instance.database_instance";
const CLUSTER = "aws_rds_cluster.aurora_cluster";
const DMS = "aws_dms_replication_instance.dms_replication_instance";
const ENDPOINT = "aws_dms_endpoint.dms_source_endpoint";
const BUCKET = "aws_s3_bucket.media_bucket";
const CDN = "aws_cloudfront_distribution.media_distribution";
const LAMBDA = "aws_lambda_function.csv_pipeline_loader";
const SECRET = "aws_secretsmanager_secret.target_credentials";

const set = (address: string, values: Record<string, unknown>) => (stack: FixtureResource[]) => change(stack, address, (resource) => Object.assign(resource.values, values));
const unref = (address: string, path: string) => (stack: FixtureResource[]) => change(stack, address, (resource) => delete resource.refs?.[path]);
const remove = (address: string) => (stack: FixtureResource[]) => without(stack, address);
const policyOf = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/** For each rule: one or more ways to break the compliant stack, each expected to fail at `address`. */
const breaking: Record<string, { address: string; breaks: (stack: FixtureResource[]) => FixtureResource[] }[]> = {
  "LZ-DB-001": [{ address: DB, breaks: set(DB, { storage_encrypted: false }) }, { address: CLUSTER, breaks: set(CLUSTER, { storage_encrypted: false }) }],
  "LZ-DB-002": [{ address: DB, breaks: set(DB, { publicly_accessible: true }) }, { address: "aws_rds_cluster_instance.aurora_writer", breaks: set("aws_rds_cluster_instance.aurora_writer", { publicly_accessible: true }) }],
  "LZ-DB-003": [{ address: DB, breaks: set(DB, { deletion_protection: false }) }, { address: CLUSTER, breaks: set(CLUSTER, { deletion_protection: false }) }],
  "LZ-DB-004": [{ address: DB, breaks: set(DB, { backup_retention_period: 1 }) }],
  "LZ-DB-005": [{ address: CLUSTER, breaks: set(CLUSTER, { skip_final_snapshot: true }) }],
  "LZ-DB-006": [{ address: DB, breaks: set(DB, { iam_database_authentication_enabled: false }) }],
  "LZ-DB-007": [{ address: DB, breaks: set(DB, { enabled_cloudwatch_logs_exports: [] }) }, { address: CLUSTER, breaks: set(CLUSTER, { enabled_cloudwatch_logs_exports: ["iam-db-auth-error"] }) }],
  "LZ-DB-008": [
    { address: DB, breaks: set("aws_db_parameter_group.database_parameter_group", { parameter: [{ name: "rds.force_ssl", value: "0", apply_method: "immediate" }] }) },
    { address: DB, breaks: (stack) => change(unref(DB, "parameter_group_name")(stack), DB, (db) => (db.values.parameter_group_name = "default.postgres16")) },
  ],
  "LZ-DB-009": [{ address: DB, breaks: set(DB, { multi_az: false }) }, { address: CLUSTER, breaks: remove("aws_rds_cluster_instance.aurora_reader") }],
  "LZ-DB-010": [{ address: DB, breaks: set(DB, { monitoring_interval: 0 }) }],
  "LZ-DB-011": [{ address: DB, breaks: (stack) => change(stack, DB, (db) => (db.lifecycle = {})) }],
  "LZ-DMS-001": [{ address: DMS, breaks: set(DMS, { publicly_accessible: true }) }, { address: DMS, breaks: (stack) => change(stack, DMS, (dms) => delete dms.values.publicly_accessible) }],
  "LZ-DMS-002": [{ address: ENDPOINT, breaks: set(ENDPOINT, { ssl_mode: "none" }) }],
  "LZ-DMS-003": [{ address: ENDPOINT, breaks: set(ENDPOINT, { username: "dms", password: "hunter2" }) }, { address: ENDPOINT, breaks: unref(ENDPOINT, "secrets_manager_arn") }],
  "LZ-DMS-004": [{ address: DMS, breaks: unref(DMS, "kms_key_arn") }],
  "LZ-DMS-005": [{ address: ENDPOINT, breaks: unref(ENDPOINT, "kms_key_arn") }],
  "LZ-DMS-006": [{ address: DMS, breaks: set(DMS, { multi_az: false }) }],
  "LZ-S3-001": [
    { address: BUCKET, breaks: remove("aws_s3_bucket_public_access_block.media_public_access_block") },
    { address: BUCKET, breaks: set("aws_s3_bucket_public_access_block.media_public_access_block", { restrict_public_buckets: false }) },
  ],
  "LZ-S3-002": [
    { address: BUCKET, breaks: remove("aws_s3_bucket_policy.media_bucket_policy") },
    { address: BUCKET, breaks: set("aws_s3_bucket_policy.media_bucket_policy", { policy: policyOf({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" }) }) },
  ],
  "LZ-S3-003": [{ address: BUCKET, breaks: remove("aws_s3_bucket_server_side_encryption_configuration.media_encryption") }],
  "LZ-S3-004": [{ address: BUCKET, breaks: set("aws_s3_bucket_server_side_encryption_configuration.media_encryption", { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] }) }],
  "LZ-S3-005": [{ address: BUCKET, breaks: set("aws_s3_bucket_versioning.media_versioning", { versioning_configuration: [{ status: "Suspended" }] }) }],
  "LZ-S3-006": [{ address: BUCKET, breaks: set("aws_s3_bucket_ownership_controls.media_ownership", { rule: [{ object_ownership: "ObjectWriter" }] }) }],
  "LZ-CF-001": [
    { address: CDN, breaks: unref(CDN, "origin.0.origin_access_control_id") },
    { address: CDN, breaks: set(CDN, { origin: [{ origin_id: "media", domain_name: "media.s3.eu-west-1.amazonaws.com", s3_origin_config: [{ origin_access_identity: "origin-access-identity/cloudfront/E1" }] }] }) },
  ],
  "LZ-CF-002": [
    { address: CDN, breaks: set(CDN, { default_cache_behavior: [{ target_origin_id: "media", viewer_protocol_policy: "allow-all" }] }) },
    { address: CDN, breaks: set(CDN, { ordered_cache_behavior: [{ path_pattern: "/legacy/*", viewer_protocol_policy: "allow-all" }] }) },
  ],
  "LZ-CF-003": [
    { address: CDN, breaks: set(CDN, { viewer_certificate: [{ cloudfront_default_certificate: true, minimum_protocol_version: "TLSv1" }] }) },
    { address: CDN, breaks: set(CDN, { viewer_certificate: [{ cloudfront_default_certificate: false, acm_certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", minimum_protocol_version: "TLSv1.1_2016" }] }) },
  ],
  "LZ-LMB-001": [{ address: LAMBDA, breaks: set(LAMBDA, { vpc_config: [] }) }],
  "LZ-LMB-002": [{ address: LAMBDA, breaks: unref("aws_sqs_queue.csv_pipeline_queue", "redrive_policy") }],
  "LZ-LMB-004": [
    { address: LAMBDA, breaks: set(LAMBDA, { environment: [{ variables: { DB_PASSWORD: "correct-horse-battery" } }] }) },
    { address: LAMBDA, breaks: set(LAMBDA, { environment: [{ variables: { DATABASE_URL: "postgres://app:s3cret@db.internal:5432/app" } }] }) },
  ],
  "LZ-SG-001": [
    { address: "aws_vpc_security_group_ingress_rule.database_from_hop", breaks: set("aws_vpc_security_group_ingress_rule.database_from_hop", { cidr_ipv4: "0.0.0.0/0" }) },
    { address: "aws_security_group.dms_security_group", breaks: set("aws_security_group.dms_security_group", { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: [], ipv6_cidr_blocks: ["::/0"] }] }) },
  ],
  "LZ-SG-002": [
    { address: "aws_vpc_security_group_egress_rule.dms_to_endpoints", breaks: set("aws_vpc_security_group_egress_rule.dms_to_endpoints", { ip_protocol: "-1", from_port: null, to_port: null }) },
    { address: "aws_security_group.dms_security_group", breaks: set("aws_security_group.dms_security_group", { egress: [{ protocol: "tcp", from_port: 0, to_port: 65535, cidr_blocks: ["10.0.0.0/16"] }] }) },
  ],
  "LZ-NET-001": [{ address: "aws_vpc_endpoint_service.source_hop_endpoint_service", breaks: set("aws_vpc_endpoint_service.source_hop_endpoint_service", { allowed_principals: ["*"] }) }],
  "LZ-IAM-001": [{ address: "aws_iam_role_policy.dms_secrets_access", breaks: set("aws_iam_role_policy.dms_secrets_access", { policy: policyOf({ Effect: "Allow", Action: "*", Resource: "*" }) }) }],
  "LZ-IAM-002": [
    { address: "aws_iam_role_policy.dms_secrets_access", breaks: set("aws_iam_role_policy.dms_secrets_access", { policy: policyOf({ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }) }) },
    { address: "aws_iam_role.dms_secrets_role", breaks: set("aws_iam_role.dms_secrets_role", { inline_policy: [{ name: "broad", policy: policyOf({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) }] }) },
  ],
  "LZ-IAM-003": [{ address: "aws_iam_role_policy_attachment.dms_vpc_management", breaks: set("aws_iam_role_policy_attachment.dms_vpc_management", { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }) }],
  "LZ-SEC-001": [{ address: SECRET, breaks: unref(SECRET, "kms_key_id") }],
  "LZ-SEC-002": [{ address: SECRET, breaks: set(SECRET, { recovery_window_in_days: 0 }) }],
  "LZ-SSM-001": [
    { address: "aws_ssm_parameter.database_password", breaks: (stack) => unref("aws_ssm_parameter.database_password", "value")(set("aws_ssm_parameter.database_password", { type: "String", value: "hunter2" })(stack)) },
    { address: "aws_ssm_parameter.database_host", breaks: set("aws_ssm_parameter.database_host", { value: "postgres://app:s3cret@db:5432/app" }) },
  ],
  "LZ-SSM-002": [{ address: "aws_ssm_parameter.database_password", breaks: unref("aws_ssm_parameter.database_password", "key_id") }],
  ...readinessBreaking,
};

function findingsOf(stack: FixtureResource[], isProtected = true) {
  const { plan, synthesized } = planFixture(stack);
  return evaluatePolicy({ plan, synthesized, protected: isProtected });
}

describe("policy pack", () => {
  it("has at least 30 rules with unique ids, a fix hint and well-formed checkov ids", () => {
    expect(POLICY_RULES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(POLICY_RULES.map((rule) => rule.id)).size).toBe(POLICY_RULES.length);
    for (const rule of POLICY_RULES) {
      expect(rule.id).toMatch(/^LZ-[A-Z0-9]+-\d{3}$/);
      expect(rule.fix.length).toBeGreaterThan(10);
      for (const id of rule.checkov) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
    }
  });

  it("has a breaking fixture for every rule", () => {
    expect(Object.keys(breaking).sort()).toEqual(POLICY_RULES.map((rule) => rule.id).sort());
  });

  it("passes the compliant stack in a protected environment, with every rule looking at some resource", () => {
    const report = findingsOf(compliantStack());
    expect(report.findings).toEqual([]);
    for (const { rule, resources } of report.evaluated) expect(resources, rule.id).toBeGreaterThan(0);
  });

  for (const rule of POLICY_RULES) {
    describe(rule.id, () => {
      it("passes the compliant stack", () => {
        expect(findingsOf(compliantStack()).findings.filter((finding) => finding.rule === rule.id)).toEqual([]);
      });
      (breaking[rule.id] ?? []).forEach((fixture, index) => {
        it(`fails breaking fixture ${index + 1} at ${fixture.address}`, () => {
          const report = findingsOf(fixture.breaks(compliantStack()));
          const mine = report.findings.filter((finding) => finding.rule === rule.id);
          expect(mine.map((finding) => finding.address)).toContain(fixture.address);
          expect(mine[0]).toMatchObject({ severity: rule.severity, title: rule.title, fix: rule.fix, checkov: rule.checkov });
        });
      });
      if (rule.protectedOnly) {
        it("applies only to protected environments", () => {
          const broken = breaking[rule.id][0].breaks(compliantStack());
          expect(findingsOf(broken, false).findings.filter((finding) => finding.rule === rule.id)).toEqual([]);
        });
      }
    });
  }
});

describe("policy engine", () => {
  const broken = () => set(DB, { storage_encrypted: false, publicly_accessible: true })(compliantStack());

  it("moves suppressed findings aside with their reason, matching address globs", () => {
    const { plan, synthesized } = planFixture(broken());
    const report = evaluatePolicy({
      plan,
      synthesized,
      protected: true,
      suppressions: [
        { rule: "LZ-DB-002", address: "aws_db_instance.*", reason: "temporary public endpoint for the vendor's data check, ticket OPS-12" },
        { rule: "LZ-S3-001", address: "aws_s3_bucket.other_?", reason: "never matches" },
      ],
    });
    expect(report.findings.map((finding) => finding.rule)).toEqual(["LZ-DB-001"]);
    expect(report.suppressed).toEqual([expect.objectContaining({ rule: "LZ-DB-002", address: DB, reason: expect.stringContaining("OPS-12") })]);
    expect(report.unusedSuppressions.map((suppression) => suppression.rule)).toEqual(["LZ-S3-001"]);
  });

  it("treats values known only after apply as set when the configuration sets them, and not otherwise", () => {
    const report = findingsOf(compliantStack());
    expect(report.findings.filter((finding) => finding.rule === "LZ-DMS-004")).toEqual([]);
    const unset = findingsOf(unref(DMS, "kms_key_arn")(compliantStack()));
    expect(unset.findings.filter((finding) => finding.rule === "LZ-DMS-004")).toHaveLength(1);
  });

  it("ignores resources being destroyed", () => {
    const destroyed = change(broken(), DB, (db) => (db.actions = ["delete"]));
    expect(findingsOf(destroyed).findings.filter((finding) => finding.address === DB)).toEqual([]);
  });

  it("reads a policy known only after apply from the synthesized JSON", () => {
    const stack = change(compliantStack(), "aws_iam_role_policy.dms_secrets_access", (policy) => {
      policy.values.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    });
    const { plan, synthesized } = planFixture(stack);
    const change0 = plan.resource_changes!.find((candidate) => candidate.address === "aws_iam_role_policy.dms_secrets_access")!;
    (change0.change.after as Record<string, unknown>).policy = null;
    (change0.change.after_unknown as Record<string, unknown>).policy = true;
    const report = evaluatePolicy({ plan, synthesized, protected: false });
    expect(report.findings.map((finding) => finding.rule)).toContain("LZ-IAM-001");
  });
});
