// Every rule of the policy pack fails on a fixture that breaks it and passes the compliant fixture.
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/engine.js";
import { POLICY_RULES } from "../../src/policy/rules/index.js";
import { readinessBreaking } from "../fixtures/policy/readiness-stack.js";
import { compliantStack } from "../fixtures/policy/compliant-stack.js";
import { change, FixtureResource, planFixture, without } from "../helpers/plan-fixtures.js";

const DB = "aws_db_instance.database_instance";
const CLUSTER = "aws_rds_cluster.aurora_cluster";
const DMS = "aws_dms_replication_instance.dms_replication_instance";
const ENDPOINT = "aws_dms_endpoint.dms_source_endpoint";
const BUCKET = "aws_s3_bucket.media_bucket";
const CDN = "aws_cloudfront_distribution.media_distribution";
const LAMBDA = "aws_lambda_function.csv_pipeline_loader";
const SECRET = "aws_secretsmanager_secret.target_credentials";

const set = (address: string, values: Record<string, unknown>) => (stack: FixtureResource[]) =>
  change(stack, address, (resource) => {
    Object.assign(resource.values, values);
    for (const key of Object.keys(values)) delete resource.templates?.[key];
  });
const unref = (address: string, path: string) => (stack: FixtureResource[]) => change(stack, address, (resource) => delete resource.refs?.[path]);
const remove = (address: string) => (stack: FixtureResource[]) => without(stack, address);
const policyOf = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
/** The value at `path` known only after apply, configured as a template (`"${var.x}"`, `"${aws_x.y.arn}/*"`). */
const template = (address: string, path: string, text: unknown) => (stack: FixtureResource[]) =>
  change(stack, address, (resource) => {
    delete resource.values[path.split(".")[0]];
    delete resource.refs?.[path];
    resource.templates = { ...resource.templates, [path]: text };
  });
/** The value at `path` known only after apply and not configured: AWS or the provider picks it. */
const computed = (address: string, path: string) => (stack: FixtureResource[]) =>
  change(stack, address, (resource) => {
    delete resource.values[path];
    delete resource.refs?.[path];
    resource.computed = [...(resource.computed ?? []), path];
  });
/** The value at `path` known only after apply, shown by the plan only as references (an HCL expression). */
const opaque = (address: string, path: string, reference: string) => (stack: FixtureResource[]) =>
  change(stack, address, (resource) => {
    delete resource.values[path];
    delete resource.templates?.[path];
    resource.refs = { ...resource.refs, [path]: reference };
  });
/** A policy template whose ARN-splitting interpolation keeps its raw quotes, as cdktf writes it. */
const policyTemplate = (statement: Record<string, unknown>) => policyOf(statement).replace("REGION", '${element(split(":", aws_kms_key.secrets_key.arn), 3)}');
const then = (...steps: ((stack: FixtureResource[]) => FixtureResource[])[]) => (stack: FixtureResource[]) => steps.reduce((current, step) => step(current), stack);

type Fixture = readonly [rule: string, label: string, address: string, breaks: (stack: FixtureResource[]) => FixtureResource[]];

const ROLE_POLICY = "aws_iam_role_policy.dms_secrets_access";
const PARAMETER = "aws_ssm_parameter.database_host";
const SERVICE = "aws_vpc_endpoint_service.source_hop_endpoint_service";
const ROLE = "aws_iam_role.dms_secrets_role";
const BUCKET_POLICY = "aws_s3_bucket_policy.media_bucket_policy";

/** Ways to break the compliant stack with values known at plan time; each must fail its rule at `address`. */
const breaking: Fixture[] = [
  // The readiness rules' fixtures (issue #13): test/fixtures/policy/readiness-stack.ts.
  ...Object.entries(readinessBreaking).flatMap(([rule, fixtures]) => fixtures.map((fixture, index) => [rule, `readiness fixture ${index + 1}`, fixture.address, fixture.breaks] as const)),
  ["LZ-DB-001", "instance storage_encrypted = false", DB, set(DB, { storage_encrypted: false })],
  ["LZ-DB-001", "cluster storage_encrypted = false", CLUSTER, set(CLUSTER, { storage_encrypted: false })],
  ["LZ-DB-001", "cluster that omits storage_encrypted", CLUSTER, (stack) => change(stack, CLUSTER, (cluster) => delete cluster.values.storage_encrypted)],
  ["LZ-DB-002", "public instance", DB, set(DB, { publicly_accessible: true })],
  ["LZ-DB-002", "public cluster instance", "aws_rds_cluster_instance.aurora_writer", set("aws_rds_cluster_instance.aurora_writer", { publicly_accessible: true })],
  ["LZ-DB-003", "instance without deletion protection", DB, set(DB, { deletion_protection: false })],
  ["LZ-DB-003", "cluster without deletion protection", CLUSTER, set(CLUSTER, { deletion_protection: false })],
  ["LZ-DB-004", "one day of backups", DB, set(DB, { backup_retention_period: 1 })],
  ["LZ-DB-005", "skipped final snapshot", CLUSTER, set(CLUSTER, { skip_final_snapshot: true })],
  ["LZ-DB-006", "no IAM authentication", DB, set(DB, { iam_database_authentication_enabled: false })],
  ["LZ-DB-007", "no log exports", DB, set(DB, { enabled_cloudwatch_logs_exports: [] })],
  ["LZ-DB-007", "no postgresql log", CLUSTER, set(CLUSTER, { enabled_cloudwatch_logs_exports: ["iam-db-auth-error"] })],
  ["LZ-DB-008", "rds.force_ssl = 0", DB, set("aws_db_parameter_group.database_parameter_group", { parameter: [{ name: "rds.force_ssl", value: "0", apply_method: "immediate" }] })],
  ["LZ-DB-008", "default parameter group", DB, (stack) => change(unref(DB, "parameter_group_name")(stack), DB, (db) => (db.values.parameter_group_name = "default.postgres16"))],
  ["LZ-DB-009", "single-AZ instance", DB, set(DB, { multi_az: false })],
  ["LZ-DB-009", "one cluster instance", CLUSTER, remove("aws_rds_cluster_instance.aurora_reader")],
  ["LZ-DB-010", "no enhanced monitoring", DB, set(DB, { monitoring_interval: 0 })],
  ["LZ-DB-011", "no prevent_destroy", DB, (stack) => change(stack, DB, (db) => (db.lifecycle = {}))],
  ["LZ-DMS-001", "public replication instance", DMS, set(DMS, { publicly_accessible: true })],
  ["LZ-DMS-001", "publicly_accessible unset", DMS, (stack) => change(stack, DMS, (dms) => delete dms.values.publicly_accessible)],
  ["LZ-DMS-002", "ssl_mode none", ENDPOINT, set(ENDPOINT, { ssl_mode: "none" })],
  ["LZ-DMS-003", "password on the endpoint", ENDPOINT, set(ENDPOINT, { username: "dms", password: "hunter2" })],
  ["LZ-DMS-003", "no secret", ENDPOINT, unref(ENDPOINT, "secrets_manager_arn")],
  ["LZ-DMS-004", "AWS managed storage key", DMS, unref(DMS, "kms_key_arn")],
  ["LZ-DMS-005", "AWS managed endpoint key", ENDPOINT, unref(ENDPOINT, "kms_key_arn")],
  ["LZ-DMS-006", "single-AZ replication instance", DMS, set(DMS, { multi_az: false })],
  ["LZ-S3-001", "no public access block", BUCKET, remove("aws_s3_bucket_public_access_block.media_public_access_block")],
  ["LZ-S3-001", "restrict_public_buckets false", BUCKET, set("aws_s3_bucket_public_access_block.media_public_access_block", { restrict_public_buckets: false })],
  ["LZ-S3-002", "no bucket policy", BUCKET, remove("aws_s3_bucket_policy.media_bucket_policy")],
  ["LZ-S3-002", "no TLS-only statement", BUCKET, set("aws_s3_bucket_policy.media_bucket_policy", { policy: policyOf({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" }) })],
  ["LZ-S3-003", "no encryption configuration", BUCKET, remove("aws_s3_bucket_server_side_encryption_configuration.media_encryption")],
  ["LZ-S3-004", "AES256", BUCKET, set("aws_s3_bucket_server_side_encryption_configuration.media_encryption", { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }] })],
  ["LZ-S3-005", "versioning suspended", BUCKET, set("aws_s3_bucket_versioning.media_versioning", { versioning_configuration: [{ status: "Suspended" }] })],
  ["LZ-S3-006", "ACLs enabled", BUCKET, set("aws_s3_bucket_ownership_controls.media_ownership", { rule: [{ object_ownership: "ObjectWriter" }] })],
  ["LZ-CF-001", "no origin access control", CDN, unref(CDN, "origin.0.origin_access_control_id")],
  ["LZ-CF-001", "legacy origin access identity", CDN, set(CDN, { origin: [{ origin_id: "media", domain_name: "media.s3.eu-west-1.amazonaws.com", s3_origin_config: [{ origin_access_identity: "origin-access-identity/cloudfront/E1" }] }] })],
  ["LZ-CF-002", "allow-all default behavior", CDN, set(CDN, { default_cache_behavior: [{ target_origin_id: "media", viewer_protocol_policy: "allow-all" }] })],
  ["LZ-CF-002", "allow-all ordered behavior", CDN, set(CDN, { ordered_cache_behavior: [{ path_pattern: "/legacy/*", viewer_protocol_policy: "allow-all" }] })],
  ["LZ-CF-003", "default certificate", CDN, set(CDN, { viewer_certificate: [{ cloudfront_default_certificate: true, minimum_protocol_version: "TLSv1" }] })],
  ["LZ-CF-003", "TLS 1.1", CDN, set(CDN, { viewer_certificate: [{ cloudfront_default_certificate: false, acm_certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", minimum_protocol_version: "TLSv1.1_2016" }] })],
  ["LZ-LMB-001", "outside a VPC", LAMBDA, set(LAMBDA, { vpc_config: [] })],
  ["LZ-LMB-002", "no redrive", LAMBDA, unref("aws_sqs_queue.csv_pipeline_queue", "redrive_policy")],
  ["LZ-LMB-004", "DB_PASSWORD literal", LAMBDA, template(LAMBDA, "environment.0.variables", { DB_PASSWORD: "correct-horse-battery" })],
  ["LZ-LMB-004", "DB_PASS literal", LAMBDA, template(LAMBDA, "environment.0.variables", { DB_PASS: "s3cr3t" })],
  ["LZ-LMB-004", "URI with a password", LAMBDA, template(LAMBDA, "environment.0.variables", { DATABASE_URL: "postgres://app:s3cret@db.internal:5432/app" })],
  ["LZ-SG-001", "ingress rule from anywhere", "aws_vpc_security_group_ingress_rule.database_from_hop", set("aws_vpc_security_group_ingress_rule.database_from_hop", { cidr_ipv4: "0.0.0.0/0" })],
  ["LZ-SG-001", "inline ingress from ::/0", "aws_security_group.dms_security_group", set("aws_security_group.dms_security_group", { ingress: [{ protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: [], ipv6_cidr_blocks: ["::/0"] }] })],
  ["LZ-SG-002", "all protocols", "aws_vpc_security_group_egress_rule.dms_to_endpoints", set("aws_vpc_security_group_egress_rule.dms_to_endpoints", { ip_protocol: "-1", from_port: null, to_port: null })],
  ["LZ-SG-002", "all ports", "aws_security_group.dms_security_group", set("aws_security_group.dms_security_group", { egress: [{ protocol: "tcp", from_port: 0, to_port: 65535, cidr_blocks: ["10.0.0.0/16"] }] })],
  ["LZ-NET-001", "any principal", SERVICE, set(SERVICE, { allowed_principals: ["*"] })],
  ["LZ-NET-002", "no acceptance", SERVICE, set(SERVICE, { acceptance_required: false })],
  ["LZ-IAM-001", "* on *", ROLE_POLICY, set(ROLE_POLICY, { policy: policyOf({ Effect: "Allow", Action: "*", Resource: "*" }) })],
  ["LZ-IAM-002", "s3:* on *", ROLE_POLICY, set(ROLE_POLICY, { policy: policyOf({ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }) })],
  ["LZ-IAM-002", "iam:PassRole on *", ROLE_POLICY, set(ROLE_POLICY, { policy: policyOf({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) })],
  ["LZ-IAM-002", "inline secretsmanager:* on *", "aws_iam_role.dms_secrets_role", set("aws_iam_role.dms_secrets_role", { inline_policy: [{ name: "broad", policy: policyOf({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }) }] })],
  ["LZ-IAM-004", "DMS trusted for any account", ROLE, set(ROLE, { assume_role_policy: policyOf({ Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" }) })],
  ["LZ-IAM-004", "CloudFront reads for any distribution", BUCKET_POLICY, set(BUCKET_POLICY, { policy: policyOf({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" }) })],
  ["LZ-IAM-003", "AdministratorAccess", "aws_iam_role_policy_attachment.dms_vpc_management", set("aws_iam_role_policy_attachment.dms_vpc_management", { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" })],
  ["LZ-SEC-001", "no key", SECRET, unref(SECRET, "kms_key_id")],
  ["LZ-SEC-001", "alias/aws/secretsmanager", SECRET, (stack) => change(unref(SECRET, "kms_key_id")(stack), SECRET, (secret) => (secret.values.kms_key_id = "alias/aws/secretsmanager"))],
  ["LZ-SEC-002", "no recovery window", SECRET, set(SECRET, { recovery_window_in_days: 0 })],
  ["LZ-SSM-001", "String holding a connection URI", PARAMETER, set(PARAMETER, { value: "postgres://app:s3cret@db:5432/app" })],
  ["LZ-SSM-001", "String holding an access key", PARAMETER, set(PARAMETER, { value: "AKIAIOSFODNN7EXAMPLE" })],
  ["LZ-SSM-001", "String holding a random token", PARAMETER, set(PARAMETER, { value: "9f8Kq2LxT7vWz3RbN6pYc1MhJ4sD0gQe" })],
  ["LZ-SSM-002", "AWS managed key", "aws_ssm_parameter.database_password", unref("aws_ssm_parameter.database_password", "key_id")],
];

/**
 * The same rules where the decisive value is known only after apply: each must still fail, or
 * report that it cannot verify the resource (`unverifiable`), never pass in silence.
 */
const unknownAtPlan: (readonly [...Fixture, outcome: "fails" | "unverifiable"])[] = [
  ["LZ-DB-001", "cluster storage_encrypted computed, unset", CLUSTER, computed(CLUSTER, "storage_encrypted"), "fails"],
  ["LZ-DB-001", "storage_encrypted from a variable", DB, template(DB, "storage_encrypted", "${var.encrypted}"), "unverifiable"],
  ["LZ-DB-002", "publicly_accessible from a variable", DB, template(DB, "publicly_accessible", "${var.public}"), "unverifiable"],
  ["LZ-DB-003", "deletion_protection from a variable", DB, template(DB, "deletion_protection", "${var.protect}"), "unverifiable"],
  ["LZ-DB-004", "retention from a local", DB, template(DB, "backup_retention_period", "${local.days}"), "unverifiable"],
  ["LZ-DB-005", "skip_final_snapshot from a variable", CLUSTER, template(CLUSTER, "skip_final_snapshot", "${var.skip}"), "unverifiable"],
  ["LZ-DB-006", "IAM auth from a variable", DB, template(DB, "iam_database_authentication_enabled", "${var.iam}"), "unverifiable"],
  ["LZ-DB-007", "log exports from a variable", DB, template(DB, "enabled_cloudwatch_logs_exports", ["${var.log}"]), "unverifiable"],
  ["LZ-DB-008", "force_ssl from a variable", DB, template("aws_db_parameter_group.database_parameter_group", "parameter", [{ name: "rds.force_ssl", value: "${var.force_ssl}", apply_method: "immediate" }]), "unverifiable"],
  ["LZ-DB-009", "multi_az from a variable", DB, template(DB, "multi_az", "${var.multi_az}"), "unverifiable"],
  ["LZ-DB-010", "monitoring interval from a variable", DB, template(DB, "monitoring_interval", "${var.interval}"), "unverifiable"],
  ["LZ-DB-011", "no synthesized JSON to read lifecycle from", DB, (stack) => stack, "unverifiable"],
  ["LZ-DMS-001", "publicly_accessible computed, unset", DMS, computed(DMS, "publicly_accessible"), "fails"],
  ["LZ-DMS-001", "publicly_accessible from a variable", DMS, template(DMS, "publicly_accessible", "${var.public}"), "unverifiable"],
  ["LZ-DMS-002", "ssl_mode from a variable", ENDPOINT, template(ENDPOINT, "ssl_mode", "${var.ssl_mode}"), "unverifiable"],
  ["LZ-DMS-003", "password from a variable", ENDPOINT, template(ENDPOINT, "password", "${var.db_password}"), "fails"],
  ["LZ-DMS-004", "kms_key_arn computed, unset", DMS, computed(DMS, "kms_key_arn"), "fails"],
  ["LZ-DMS-005", "kms_key_arn computed, unset", ENDPOINT, computed(ENDPOINT, "kms_key_arn"), "fails"],
  ["LZ-DMS-006", "multi_az from a variable", DMS, template(DMS, "multi_az", "${var.multi_az}"), "unverifiable"],
  ["LZ-S3-001", "flag from a variable", BUCKET, template("aws_s3_bucket_public_access_block.media_public_access_block", "restrict_public_buckets", "${var.restrict}"), "unverifiable"],
  ["LZ-S3-002", "policy shown only as references", BUCKET, opaque("aws_s3_bucket_policy.media_bucket_policy", "policy", "data.aws_iam_policy_document.media.json"), "unverifiable"],
  ["LZ-S3-002", "template policy without a TLS-only statement", BUCKET, template("aws_s3_bucket_policy.media_bucket_policy", "policy", policyOf({ Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: "${aws_s3_bucket.media_bucket.arn}/*" })), "fails"],
  ["LZ-S3-003", "encryption configuration for a bucket named by a variable", BUCKET, (stack) => change(stack, "aws_s3_bucket_server_side_encryption_configuration.media_encryption", (sse) => ((sse.refs = {}), (sse.templates = { bucket: "${var.bucket}" }))), "fails"],
  ["LZ-S3-004", "algorithm from a variable", BUCKET, template("aws_s3_bucket_server_side_encryption_configuration.media_encryption", "rule", [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "${var.algorithm}" }] }]), "unverifiable"],
  ["LZ-S3-005", "status from a variable", BUCKET, template("aws_s3_bucket_versioning.media_versioning", "versioning_configuration", [{ status: "${var.status}" }]), "unverifiable"],
  ["LZ-S3-006", "ownership from a variable", BUCKET, template("aws_s3_bucket_ownership_controls.media_ownership", "rule", [{ object_ownership: "${var.ownership}" }]), "unverifiable"],
  ["LZ-CF-001", "S3 origin named by a reference, without OAC", CDN, then(unref(CDN, "origin.0.origin_access_control_id")), "fails"],
  ["LZ-CF-002", "viewer policy from a variable", CDN, template(CDN, "default_cache_behavior", [{ target_origin_id: "media", viewer_protocol_policy: "${var.viewer_policy}" }]), "unverifiable"],
  ["LZ-CF-003", "protocol version from a variable", CDN, template(CDN, "viewer_certificate", [{ cloudfront_default_certificate: false, minimum_protocol_version: "${var.tls}" }]), "unverifiable"],
  ["LZ-LMB-001", "subnets computed, unset", LAMBDA, computed(LAMBDA, "vpc_config"), "fails"],
  ["LZ-LMB-002", "source queue named by a variable", LAMBDA, (stack) => change(stack, "aws_lambda_event_source_mapping.csv_pipeline_trigger", (mapping) => ((mapping.refs = { function_name: LAMBDA }), (mapping.templates = { event_source_arn: "${var.queue_arn}" }))), "fails"],
  ["LZ-LMB-004", "environment map shown only as references", LAMBDA, opaque(LAMBDA, "environment.0.variables", "local.environment"), "unverifiable"],
  ["LZ-LMB-004", "DB_PASS from a variable", LAMBDA, template(LAMBDA, "environment.0.variables", { DB_SECRET_ARN: "${aws_secretsmanager_secret.target_credentials.arn}", DB_PASS: "${var.db_pass}" }), "unverifiable"],
  ["LZ-LMB-004", "password from a generated value", LAMBDA, template(LAMBDA, "environment.0.variables", { DB_PASSWORD: "${random_password.db.result}" }), "fails"],
  ["LZ-SG-001", "CIDR from a variable", "aws_vpc_security_group_ingress_rule.database_from_hop", template("aws_vpc_security_group_ingress_rule.database_from_hop", "cidr_ipv4", "${var.cidr}"), "unverifiable"],
  ["LZ-SG-002", "protocol from a variable", "aws_vpc_security_group_egress_rule.dms_to_endpoints", template("aws_vpc_security_group_egress_rule.dms_to_endpoints", "ip_protocol", "${var.protocol}"), "unverifiable"],
  ["LZ-NET-001", "principals from a variable", SERVICE, template(SERVICE, "allowed_principals", ["${var.principal}"]), "unverifiable"],
  ["LZ-NET-002", "acceptance from a variable", SERVICE, template(SERVICE, "acceptance_required", "${var.accept}"), "unverifiable"],
  ["LZ-IAM-001", "* on * in a template with ARN-splitting", ROLE_POLICY, template(ROLE_POLICY, "policy", policyTemplate({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "REGION" } } })), "fails"],
  ["LZ-IAM-001", "policy shown only as references", ROLE_POLICY, opaque(ROLE_POLICY, "policy", "data.aws_iam_policy_document.broad.json"), "unverifiable"],
  ["LZ-IAM-002", "iam:PassRole on * in a template with ARN-splitting", ROLE_POLICY, template(ROLE_POLICY, "policy", policyTemplate({ Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "REGION" } } })), "fails"],
  ["LZ-IAM-002", "Resource from a variable", ROLE_POLICY, template(ROLE_POLICY, "policy", policyOf({ Effect: "Allow", Action: "iam:PassRole", Resource: "${var.role_arn}" })), "unverifiable"],
  ["LZ-IAM-004", "trust policy shown only as references", ROLE, opaque(ROLE, "assume_role_policy", "data.aws_iam_policy_document.trust.json"), "unverifiable"],
  ["LZ-IAM-004", "trust policy template naming DMS without a condition", ROLE, template(ROLE, "assume_role_policy", policyOf({ Effect: "Allow", Principal: { Service: "dms.${data.aws_region.current.name}.amazonaws.com" }, Action: "sts:AssumeRole" })), "fails"],
  ["LZ-IAM-003", "policy ARN from a variable", "aws_iam_role_policy_attachment.dms_vpc_management", template("aws_iam_role_policy_attachment.dms_vpc_management", "policy_arn", "${var.policy_arn}"), "unverifiable"],
  ["LZ-SEC-001", "key from a data source", SECRET, template(SECRET, "kms_key_id", "${data.aws_kms_alias.secrets.target_key_arn}"), "unverifiable"],
  ["LZ-SEC-002", "recovery window from a variable", SECRET, template(SECRET, "recovery_window_in_days", "${var.window}"), "unverifiable"],
  ["LZ-SSM-001", "String set from a secret's value", PARAMETER, template(PARAMETER, "value", "${aws_secretsmanager_secret_version.target.secret_string}"), "fails"],
  ["LZ-SSM-001", "String from a variable", PARAMETER, template(PARAMETER, "value", "${var.value}"), "unverifiable"],
  ["LZ-SSM-002", "key from a variable", "aws_ssm_parameter.database_password", template("aws_ssm_parameter.database_password", "key_id", "${var.key}"), "unverifiable"],
];

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

  it("has a breaking fixture and an unknown-at-plan fixture for every rule", () => {
    const ids = POLICY_RULES.map((rule) => rule.id).sort();
    expect([...new Set(breaking.map(([rule]) => rule))].sort()).toEqual(ids);
    // The readiness rules read references between resources, which stay known at plan time.
    expect([...new Set(unknownAtPlan.map(([rule]) => rule))].sort()).toEqual(ids.filter((id) => !id.startsWith("LZ-RDY-")));
  });

  it("passes the compliant stack in a protected environment, with every rule looking at some resource", () => {
    const report = findingsOf(compliantStack());
    expect(report.findings).toEqual([]);
    for (const { rule, resources } of report.evaluated) expect(resources, rule.id).toBeGreaterThan(0);
  });

  const rules = Object.fromEntries(POLICY_RULES.map((rule) => [rule.id, rule]));

  it.each(breaking)("%s fails: %s (%s)", (id, _label, address, breaks) => {
    const rule = rules[id];
    const mine = findingsOf(breaks(compliantStack())).findings.filter((finding) => finding.rule === id);
    expect(mine.map((finding) => finding.address)).toContain(address);
    expect(mine.find((finding) => finding.address === address)).toMatchObject({ severity: rule.severity, title: rule.title, fix: rule.fix, checkov: rule.checkov });
    expect(mine.find((finding) => finding.address === address)?.unverifiable).toBeUndefined();
  });

  it.each(unknownAtPlan)("%s known only after apply: %s (%s)", (id, _label, address, breaks, outcome) => {
    const broken = breaks(compliantStack());
    const { plan, synthesized } = planFixture(broken);
    // Lifecycle settings exist only in the synthesized JSON; the plan alone cannot show them.
    const report = evaluatePolicy({ plan, synthesized: id === "LZ-DB-011" ? undefined : synthesized, protected: true });
    const mine = report.findings.filter((finding) => finding.rule === id && finding.address === address);
    expect(mine.length, JSON.stringify(report.findings.filter((finding) => finding.rule === id))).toBeGreaterThan(0);
    if (outcome === "fails") expect(mine.some((finding) => finding.severity === rules[id].severity && !finding.unverifiable)).toBe(true);
    else expect(mine.every((finding) => finding.unverifiable && finding.severity === "warning" && finding.message.startsWith("unverifiable: "))).toBe(true);
  });

  it.each(POLICY_RULES.filter((rule) => rule.protectedOnly).map((rule) => [rule.id] as const))("%s applies only to protected environments", (id) => {
    const [, , , breaks] = breaking.find(([rule]) => rule === id)!;
    expect(findingsOf(breaks(compliantStack()), false).findings.filter((finding) => finding.rule === id)).toEqual([]);
  });
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

  it("reads a policy known only after apply from its configuration, ARN-splitting interpolations and all", () => {
    const { plan } = planFixture(compliantStack());
    const expressions = (plan.configuration as { root_module: { resources: { address: string; expressions: Record<string, unknown> }[] } }).root_module.resources.find((resource) => resource.address === ROLE_POLICY)!.expressions;
    expect(JSON.stringify(expressions.policy)).toContain('split(\\":\\"');
    const broken = template(ROLE_POLICY, "policy", policyTemplate({ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.REGION.amazonaws.com" } } }))(compliantStack());
    const report = evaluatePolicy({ ...planFixture(broken), synthesized: undefined, protected: false });
    expect(report.findings.filter((finding) => finding.address === ROLE_POLICY).map((finding) => finding.rule)).toEqual(["LZ-IAM-001", "LZ-IAM-002"]);
  });
});
