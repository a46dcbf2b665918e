import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { PolicyStatement } from "../../modules/core/policy-document.js";
import { PrivateBucket } from "../../modules/core/private-bucket.js";
import { CACHING_OPTIMIZED_POLICY_ID, CORS_S3_ORIGIN_REQUEST_POLICY_ID, MediaDistribution, MediaDistributionProps } from "../../modules/media/media-distribution.js";
import { onlyResource, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

type Behavior = Record<string, unknown>;

function synthDistribution(props: Omit<MediaDistributionProps, "bucket" | "name"> = {}, logBucket = false): SynthJson {
  return synthConstruct((scope) => {
    const bucket = new PrivateBucket(scope, "media", { bucketPrefix: "app-dev-media-" });
    const logs = logBucket ? new PrivateBucket(scope, "logs", { bucketPrefix: "app-dev-logs-", objectOwnership: "BucketOwnerPreferred" }) : undefined;
    new MediaDistribution(scope, "cdn", { bucket, name: "app-dev-media", ...props, ...(logs ? { accessLogs: { bucket: logs } } : {}) });
  });
}

function distributionOf(json: SynthJson): Record<string, unknown> {
  return onlyResource(json, "aws_cloudfront_distribution");
}

function bucketPolicyStatements(json: SynthJson): PolicyStatement[] {
  return JSON.parse(resourcesOf(json, "aws_s3_bucket_policy").media_policy.policy as string).Statement;
}

describe("MediaDistribution", () => {
  describe("defaults", () => {
    const json = synthDistribution({ prefix: "media/user_images/" });
    const distribution = distributionOf(json);
    const behavior = distribution.default_cache_behavior as Behavior;

    it("signs origin requests with an S3 origin access control (always, SigV4), never a legacy OAI", () => {
      expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_cloudfront_origin_access_control", {
        name: "app-dev-media",
        origin_access_control_origin_type: "s3",
        signing_behavior: "always",
        signing_protocol: "sigv4",
      })).toBe(true);
      expect(resourcesOf(json, "aws_cloudfront_origin_access_identity")).toEqual({});
      expect(distribution.origin).toEqual([
        { origin_id: "media_bucket", domain_name: "${aws_s3_bucket.media_bucket.bucket_regional_domain_name}", origin_access_control_id: "${aws_cloudfront_origin_access_control.cdn_origin_access_control.id}" },
      ]);
    });

    it("serves GET and HEAD over HTTPS with a managed cache policy instead of forwarded_values, compressed", () => {
      expect(behavior).toMatchObject({
        viewer_protocol_policy: "redirect-to-https",
        allowed_methods: ["GET", "HEAD"],
        cached_methods: ["GET", "HEAD"],
        cache_policy_id: CACHING_OPTIMIZED_POLICY_ID,
        compress: true,
        response_headers_policy_id: "${aws_cloudfront_response_headers_policy.cdn_response_headers_policy.id}",
      });
      expect(behavior.forwarded_values).toBeUndefined();
      expect(behavior.origin_request_policy_id).toBeUndefined();
      expect(distribution.ordered_cache_behavior).toBeUndefined();
    });

    it("speaks HTTP/2 and HTTP/3, uses PriceClass_100 and the default certificate", () => {
      expect(distribution).toMatchObject({ enabled: true, http_version: "http2and3", is_ipv6_enabled: true, price_class: "PriceClass_100", viewer_certificate: { cloudfront_default_certificate: true } });
      expect(distribution.aliases).toBeUndefined();
      expect(distribution.web_acl_id).toBeUndefined();
      expect(distribution.logging_config).toBeUndefined();
    });

    it("adds security headers to every response", () => {
      const headers = onlyResource(json, "aws_cloudfront_response_headers_policy");
      expect(headers.name).toBe("app-dev-media-headers");
      expect(headers.security_headers_config).toMatchObject({
        strict_transport_security: { access_control_max_age_sec: 31536000, include_subdomains: true, override: true },
        content_type_options: { override: true },
        frame_options: { frame_option: "DENY", override: true },
        referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
        content_security_policy: { content_security_policy: expect.stringContaining("default-src 'none'"), override: true },
      });
      expect(headers.cors_config).toBeUndefined();
    });

    it("lets only this distribution read, and only under the prefix", () => {
      expect(bucketPolicyStatements(json)).toContainEqual({
        Sid: "CloudFrontReadsMedia",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "${aws_s3_bucket.media_bucket.arn}/media/user_images/*",
        Condition: { StringEquals: { "AWS:SourceArn": "${aws_cloudfront_distribution.cdn_distribution.arn}" } },
      });
    });
  });

  it("serves a custom domain with an ACM certificate and TLS 1.2 at least", () => {
    const distribution = distributionOf(synthDistribution({ aliases: ["media.example.com"], certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" }));
    expect(distribution.aliases).toEqual(["media.example.com"]);
    expect(distribution.viewer_certificate).toEqual({ acm_certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123", ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
  });

  it("attaches a WAF web ACL and a price class from its props", () => {
    const arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/media/abc";
    expect(distributionOf(synthDistribution({ webAclArn: arn, priceClass: "PriceClass_All" }))).toMatchObject({ web_acl_id: arn, price_class: "PriceClass_All" });
  });

  it("with CORS origins: allows OPTIONS, answers with CORS headers and lets S3 answer preflights", () => {
    const json = synthDistribution({ corsAllowedOrigins: ["https://app.example.com"] });
    const behavior = distributionOf(json).default_cache_behavior as Behavior;
    expect(behavior).toMatchObject({ allowed_methods: ["GET", "HEAD", "OPTIONS"], cached_methods: ["GET", "HEAD", "OPTIONS"], origin_request_policy_id: CORS_S3_ORIGIN_REQUEST_POLICY_ID });
    expect(onlyResource(json, "aws_cloudfront_response_headers_policy").cors_config).toMatchObject({
      access_control_allow_origins: { items: ["https://app.example.com"] },
      access_control_allow_methods: { items: ["GET", "HEAD", "OPTIONS"] },
      access_control_allow_credentials: false,
      origin_override: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_cors_configuration").cors_rule).toEqual([
      { allowed_methods: ["GET", "HEAD"], allowed_origins: ["https://app.example.com"], allowed_headers: ["*"], max_age_seconds: 3000 },
    ]);
  });

  it("logs to a created bucket only once that bucket accepts ACLs", () => {
    const distribution = distributionOf(synthDistribution({}, true));
    expect(distribution.logging_config).toEqual({ bucket: "${aws_s3_bucket.logs_bucket.bucket_domain_name}", prefix: "cloudfront/", include_cookies: false });
    expect(distribution.depends_on).toEqual(["aws_s3_bucket_ownership_controls.logs_ownership_controls"]);
  });

  it("logs to an existing bucket by name", () => {
    const distribution = distributionOf(synthDistribution({ accessLogs: { bucket: "central-logs", prefix: "media/" } }));
    expect(distribution.logging_config).toEqual({ bucket: "central-logs.s3.amazonaws.com", prefix: "media/", include_cookies: false });
    expect(distribution.depends_on).toBeUndefined();
  });

  it("refuses domain names without a us-east-1 certificate, naming the construct", () => {
    expect(() => synthDistribution({ aliases: ["media.example.com"] })).toThrow(/test\/cdn: aliases need certificateArn/);
    expect(() => synthDistribution({ aliases: ["media.example.com"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" })).toThrow(/us-east-1/);
    expect(() => synthDistribution({ certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" })).toThrow(/only used with aliases/);
    expect(() => synthDistribution({ corsAllowedOrigins: ["*"] })).toThrow(/not "\*"/);
  });
});
