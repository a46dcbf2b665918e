// Media in every reference environment, through the offline ladder (synth, init, validate, plan):
// a private bucket, OAC-only CloudFront over HTTPS, the application's prefix-limited policy and
// the Parameter Store entries, read from the plan where Terraform knows the value and from the
// synthesized JSON where the value is only known after apply (policies that embed ARNs).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { MediaStorage } from "../../modules/media/media-storage.js";
import type { PolicyStatement } from "../../modules/core/policy-document.js";
import { LoadedEnvironment, loadEnvironments } from "../../src/config/load.js";
import { offlinePlan, ResourceChange } from "../../src/terraform/offline-terraform.js";
import type { MediaProps } from "../../stacks/environment-stack.js";
import { REFERENCE_VARIABLES, referencePlan, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

type Values = Record<string, unknown>;

const MEDIA_ENVIRONMENTS = ["dev", "prod", "single-vpc"];

function planned(changes: readonly ResourceChange[], type: string): Values[] {
  return changes.filter((change) => change.type === type).map((change) => change.change.after as Values);
}

describe.each(MEDIA_ENVIRONMENTS)("media in %s", (name) => {
  let environment: LoadedEnvironment;
  let media: MediaProps;
  let prefix: string;
  let json: SynthJson;
  let changes: readonly ResourceChange[];
  let distribution: Values;

  beforeAll(() => {
    [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
    media = environment.props.media!;
    prefix = media?.prefix ?? "media/user_images/";
    const result = referencePlan(name);
    json = result.json;
    changes = result.plan.planJson.resource_changes ?? [];
    distribution = changes.find((change) => change.address === "aws_cloudfront_distribution.media_cdn_distribution")?.change.after as Values;
  });

  it("is enabled in the reference config and plans bucket, OAC, distribution, bucket policy and parameters", () => {
    expect(media).toBeDefined();
    const addresses = changes.map((change) => change.address);
    for (const address of ["aws_s3_bucket.media_content_bucket", "aws_cloudfront_origin_access_control.media_cdn_origin_access_control", "aws_cloudfront_distribution.media_cdn_distribution", "aws_s3_bucket_policy.media_content_policy"]) {
      expect(addresses).toContain(address);
    }
    const parameterNames = planned(changes, "aws_ssm_parameter").map((values) => values.name);
    expect(parameterNames).toContain(`${environment.props.parameterPath}/${media.parameterNames.bucketName}`);
    expect(parameterNames).toContain(`${environment.props.parameterPath}/${media.parameterNames.domain}`);
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["media_bucket_name", "media_distribution_domain_name", "media_distribution_id"]));
  });

  it("blocks all public access on every media bucket", () => {
    const buckets = Object.keys(resourcesOf(json, "aws_s3_bucket")).filter((bucket) => bucket.startsWith("media_"));
    const blocks = Object.values(resourcesOf(json, "aws_s3_bucket_public_access_block"));
    for (const bucket of buckets) {
      expect(blocks.map((block) => block.bucket)).toContain(`\${aws_s3_bucket.${bucket}.id}`);
    }
    const plannedBlocks = changes.filter((change) => change.address.startsWith("aws_s3_bucket_public_access_block.media_")).map((change) => change.change.after);
    expect(plannedBlocks).toHaveLength(buckets.length);
    for (const block of plannedBlocks) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
  });

  it("denies non-TLS requests in every media bucket's policy", () => {
    const policies = Object.entries(resourcesOf(json, "aws_s3_bucket_policy")).filter(([policy]) => policy.startsWith("media_"));
    expect(policies.length).toBeGreaterThan(0);
    for (const [, policy] of policies) {
      const statements: PolicyStatement[] = JSON.parse(policy.policy as string).Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
    }
  });

  it("reaches the bucket only through Origin Access Control, never a legacy origin access identity", () => {
    expect(planned(changes, "aws_cloudfront_origin_access_control")).toContainEqual(expect.objectContaining({ origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4" }));
    expect(changes.filter((change) => change.type === "aws_cloudfront_origin_access_identity")).toEqual([]);
    const origins = resourcesOf(json, "aws_cloudfront_distribution").media_cdn_distribution.origin as Values[];
    expect(origins).toEqual([expect.objectContaining({ origin_access_control_id: "${aws_cloudfront_origin_access_control.media_cdn_origin_access_control.id}" })]);
    for (const origin of distribution.origin as Values[]) expect(origin.s3_origin_config).toEqual([]);
  });

  it("uses a cache policy, not forwarded_values, and serves viewers over HTTPS only", () => {
    const behaviors = [...(distribution.default_cache_behavior as Values[]), ...(distribution.ordered_cache_behavior as Values[])];
    for (const behavior of behaviors) {
      expect(behavior.forwarded_values).toEqual([]);
      expect(behavior.cache_policy_id).toBeTruthy();
      expect(["redirect-to-https", "https-only"]).toContain(behavior.viewer_protocol_policy);
      expect(behavior.allowed_methods).not.toContain("POST");
    }
    const certificate = (distribution.viewer_certificate as Values[])[0];
    if (media.certificateArn) expect(certificate).toMatchObject({ acm_certificate_arn: media.certificateArn, minimum_protocol_version: "TLSv1.2_2021", ssl_support_method: "sni-only" });
    else expect(certificate.cloudfront_default_certificate).toBe(true);
  });

  it("limits CloudFront's read to this distribution and the media prefix", () => {
    const statements: PolicyStatement[] = JSON.parse(resourcesOf(json, "aws_s3_bucket_policy").media_content_policy.policy as string).Statement;
    const reads = statements.filter((statement) => statement.Effect === "Allow");
    expect(reads).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `\${aws_s3_bucket.media_content_bucket.arn}/${prefix}*`,
        Condition: { StringEquals: { "AWS:SourceArn": "${aws_cloudfront_distribution.media_cdn_distribution.arn}" } },
      }),
    ]);
  });

  it("grants the application role access to the media prefix only", () => {
    const policies = resourcesOf(json, "aws_iam_policy");
    if (!environment.props.application) {
      expect(policies.media_application_policy).toBeUndefined();
      return;
    }
    const statements: PolicyStatement[] = JSON.parse(policies.media_application_policy.policy as string).Statement;
    for (const statement of statements.filter((s) => [s.Action].flat().some((action) => action.startsWith("s3:")))) {
      const resources = [statement.Resource].flat();
      if ([statement.Action].flat().includes("s3:ListBucket")) {
        expect(resources).toEqual(["${aws_s3_bucket.media_content_bucket.arn}"]);
        expect(statement.Condition).toEqual({ StringLike: { "s3:prefix": [`${prefix}*`] } });
      } else {
        expect(resources).toEqual([`\${aws_s3_bucket.media_content_bucket.arn}/${prefix}*`]);
      }
    }
    const attachment = planned(changes, "aws_iam_role_policy_attachment").find((values) => values.role === environment.props.application!.roleName);
    expect(attachment).toBeDefined();
  });

  it("follows the environment's protection: prevent_destroy and versioning when protected, force_destroy only when not", () => {
    const bucket = resourcesOf(json, "aws_s3_bucket").media_content_bucket;
    const versioning = planned(changes, "aws_s3_bucket_versioning").find((values) => values.versioning_configuration);
    if (environment.props.protected) {
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
      expect(bucket.force_destroy).toBe(false);
      expect(versioning).toMatchObject({ versioning_configuration: [expect.objectContaining({ status: "Enabled" })] });
    } else {
      expect(bucket.lifecycle).toBeUndefined();
      expect(bucket.force_destroy).toBe(media.forceDestroy ?? false);
    }
  });
});

describe("media in prod", () => {
  it("has access logs, and no domain, certificate or web ACL it cannot know", () => {
    const { json, plan } = referencePlan("prod");
    const distribution = plan.planJson.resource_changes!.find((change) => change.address === "aws_cloudfront_distribution.media_cdn_distribution")!.change.after as Values;
    expect(distribution.aliases ?? []).toEqual([]);
    expect(distribution.web_acl_id ?? null).toBeNull();
    expect(resourcesOf(json, "aws_cloudfront_distribution").media_cdn_distribution.logging_config).toMatchObject({ bucket: "${aws_s3_bucket.media_access_logs_bucket.bucket_domain_name}" });
  });
});

describe("a custom domain in a Route 53 zone", () => {
  it("plans offline: the certificate in us-east-1 through the aliased provider, DNS validation and alias records", () => {
    const json = synthConstruct((scope) => {
      addAwsProvider(scope, { region: "eu-west-1", defaultTags: {} });
      new MediaStorage(scope, "media", { namePrefix: "blog-prod", aliases: ["img.corp.test"], hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    });
    const dir = mkdtempSync(join(tmpdir(), "lz-domain-"));
    try {
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
      const plan = offlinePlan(dir);
      const types = (plan.planJson.resource_changes ?? []).map((change) => change.address);
      expect(types).toEqual(expect.arrayContaining(["aws_acm_certificate.media_domain_certificate", "aws_acm_certificate_validation.media_domain_validation", "aws_route53_record.media_domain_alias_0_a"]));
      expect(plan.validateWarnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
