// The `media` section: what it turns into, and every way it can be wrong. Each bad config must
// fail with an issue naming the file, the JSON path and what was expected.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/2b7d4c1e-8f3a-4b6c-9d0e-1a2b3c4d5e6f";
const WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/media/7e8f9a0b-1c2d-3e4f-5a6b-7c8d9e0f1a2b";

/** The environment's files: the base config plus `media.tfvars.json` (and extra top-level keys in common). */
function files(media: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, Record<string, unknown>> {
  return { dev: { "common.tfvars.json": { ...validThreeVpc(), ...extra }, "media.tfvars.json": { media } } };
}

function load(environments: Record<string, Record<string, unknown>>) {
  tree = variablesTree(environments);
  return loadEnvironments(tree.dir);
}

function issuesFor(environments: Record<string, Record<string, unknown>>): ConfigIssue[] {
  try {
    load(environments);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

interface BadMedia {
  readonly name: string;
  readonly media: Record<string, unknown>;
  readonly extra?: Record<string, unknown>;
  readonly path: string;
  /** Matched against message + found + expected. */
  readonly says: RegExp;
}

const badMedia: BadMedia[] = [
  { name: "a prefix with a leading slash", media: { enabled: true, prefix: "/media/user_images/" }, path: "$.media.prefix", says: /key prefix.*without a leading '\/'/ },
  { name: "a prefix without its trailing slash", media: { enabled: true, prefix: "media/user_images" }, path: "$.media.prefix", says: /ending in '\/'/ },
  { name: "a KMS key that is not a key ARN", media: { enabled: true, kms_key_arn: "alias/media" }, path: "$.media.kms_key_arn", says: /KMS key ARN/ },
  { name: "a KMS key in another region", media: { enabled: true, kms_key_arn: "arn:aws:kms:eu-west-1:123456789012:key/abcd" }, path: "$.media.kms_key_arn", says: /bucket's region.*a KMS key in us-east-1/ },
  { name: "a custom domain without a certificate", media: { enabled: true, aliases: ["media.example.com"] }, path: "$.media.hosted_zone_id", says: /need a certificate.*nothing.*hosted zone of media\.example\.com/ },
  { name: "a hosted zone without a custom domain", media: { enabled: true, hosted_zone_id: "Z0123456789ABCDEFGHIJ" }, path: "$.media.aliases", says: /hosted zone is configured but no domain name uses it/ },
  { name: "a certificate without a custom domain", media: { enabled: true, certificate_arn: CERTIFICATE }, path: "$.media.aliases", says: /no domain name uses it/ },
  { name: "a certificate outside us-east-1", media: { enabled: true, aliases: ["media.example.com"], certificate_arn: CERTIFICATE.replace("us-east-1", "eu-west-1") }, path: "$.media.certificate_arn", says: /us-east-1 only/ },
  { name: "an alias that is not a domain name", media: { enabled: true, aliases: ["https://media.example.com"], certificate_arn: CERTIFICATE }, path: "$.media.aliases[0]", says: /domain name/ },
  { name: "a regional web ACL", media: { enabled: true, web_acl_arn: WEB_ACL.replace("global/", "regional/") }, path: "$.media.web_acl_arn", says: /scope CLOUDFRONT.*global\/webacl/ },
  { name: "a web ACL ID instead of an ARN", media: { enabled: true, web_acl_arn: "7e8f9a0b-1c2d" }, path: "$.media.web_acl_arn", says: /WAFv2 web ACL ARN/ },
  { name: "an unknown price class", media: { enabled: true, price_class: "PriceClass_50" }, path: "$.media.price_class", says: /"PriceClass_100", "PriceClass_200", "PriceClass_All"/ },
  { name: "a wildcard CORS origin", media: { enabled: true, cors_allowed_origins: ["*"] }, path: "$.media.cors_allowed_origins[0]", says: /web origin such as https:\/\/app\.example\.com/ },
  { name: "a plain-http CORS origin other than localhost", media: { enabled: true, cors_allowed_origins: ["http://app.example.com"] }, path: "$.media.cors_allowed_origins[0]", says: /http only for localhost/ },
  { name: "force_destroy in a protected environment", media: { enabled: true, force_destroy: true }, extra: { protected: true }, path: "$.media.force_destroy", says: /protected environment.*false/ },
  { name: "versioning off in a protected environment", media: { enabled: true, versioning: false }, extra: { protected: true }, path: "$.media.versioning", says: /keeps previous versions/ },
  { name: "the media bucket as its own log bucket", media: { enabled: true, bucket_name: "blog-media", logging: { enabled: true, bucket: "blog-media" } }, path: "$.media.logging.bucket", says: /cannot hold its own access logs/ },
  { name: "a misspelt logging key", media: { enabled: true, logging: { enable: true } }, path: "$.media.logging.enable", says: /did you mean "enabled"/ },
  { name: "the same name for both entries", media: { enabled: true, parameter_names: { bucket_name: "media", cloudfront_domain: "media" } }, path: "$.media.parameter_names.cloudfront_domain", says: /same name/ },
  { name: "a parameter name with a path in it", media: { enabled: true, parameter_names: { bucket_name: "/cloudtalents/startup/bucket" } }, path: "$.media.parameter_names.bucket_name", says: /one Parameter Store name segment/ },
  { name: "noncurrent versions kept zero days", media: { enabled: true, noncurrent_version_days: 0 }, path: "$.media.noncurrent_version_days", says: />= 1/ },
];

describe("media config", () => {
  for (const bad of badMedia) {
    it(`rejects ${bad.name}, naming the file, path and what was expected`, () => {
      const issues = issuesFor(files(bad.media, bad.extra));
      const match = issues.find((issue) => issue.path === bad.path);
      expect(match, `issues: ${JSON.stringify(issues)}`).toBeDefined();
      expect(match!.file).toMatch(/dev\/media\.tfvars\.json$/);
      expect(match!.expected).toBeTruthy();
      expect(`${match!.message}; ${match!.found}; ${match!.expected}`).toMatch(bad.says);
    });
  }

  it("is off by default: no media props", () => {
    const [environment] = load({ dev: { "common.tfvars.json": validThreeVpc() } });
    expect(environment.config.media).toMatchObject({ enabled: false, prefix: "media/user_images/", price_class: "PriceClass_100" });
    expect(environment.props.media).toBeUndefined();
  });

  it("turns an unprotected environment's section into props: no versioning, force_destroy honoured, no pin", () => {
    const [environment] = load(files({ enabled: true, force_destroy: true, cors_allowed_origins: ["http://localhost:8000"] }));
    expect(environment.props.media).toMatchObject({
      prefix: "media/user_images/",
      versioned: false,
      forceDestroy: true,
      protect: false,
      corsAllowedOrigins: ["http://localhost:8000"],
      accessLogs: undefined,
      parameterNames: { bucketName: "image_storage_bucket_name", domain: "image_storage_cloudfront_domain" },
    });
  });

  it("versions and pins the bucket of a protected environment, with custom domain, WAF and logs", () => {
    const [environment] = load(
      files(
        { enabled: true, aliases: ["media.example.com"], certificate_arn: CERTIFICATE, web_acl_arn: WEB_ACL, logging: { enabled: true }, kms_key_arn: "arn:aws:kms:us-east-1:123456789012:key/abcd" },
        { environment: "prod" },
      ),
    );
    expect(environment.props.media).toMatchObject({
      versioned: true,
      forceDestroy: false,
      protect: true,
      aliases: ["media.example.com"],
      certificateArn: CERTIFICATE,
      webAclArn: WEB_ACL,
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abcd",
      accessLogs: { bucketName: undefined, prefix: "cloudfront/", expirationDays: 90 },
    });
  });

  it("loads the blog's single-VPC case with its parameter path and application role", () => {
    const [environment] = load({
      blog: { "common.tfvars.json": validSingleVpc(), "app.tfvars.json": { application: { role_name: "startup-ec2" }, parameters: { path: "/cloudtalents/startup" } }, "media.tfvars.json": { media: { enabled: true } } },
    });
    expect(environment.props.parameterPath).toBe("/cloudtalents/startup");
    expect(environment.props.application?.roleName).toBe("startup-ec2");
    expect(environment.props.media?.prefix).toBe("media/user_images/");
  });
});
