// User-uploaded media: a private S3 bucket served only through CloudFront (Origin Access Control),
// as the blog migrations move images off the application server. The check catches what AWS would
// report only at apply time (certificate and web ACL regions, a key in another region) and
// protections a protected environment would silently lose; protection decides versioning's
// default, prevent_destroy, and whether force_destroy may apply.
import { z } from "zod";
import type { MediaProps } from "../../stacks/environment-stack.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { bucketName, kmsKeyArn } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

const keyPrefix = z
  .string()
  .regex(/^([A-Za-z0-9!_.'()-]+\/)+$/, "expected an S3 key prefix of path segments ending in '/', without a leading '/', such as media/user_images/");

export const acmCertificateArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-...");

export const wafWebAclArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:(global|regional)\/webacl\/[\w-]+\/[A-Za-z0-9-]+$/, "expected an AWS WAFv2 web ACL ARN such as arn:aws:wafv2:us-east-1:123456789012:global/webacl/media/1234abcd-...");

const domainName = z
  .string()
  .regex(/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a lowercase domain name such as media.example.com");

const webOrigin = z
  .string()
  .regex(/^(https:\/\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|http:\/\/localhost)(:\d{1,5})?$/, "expected a web origin such as https://app.example.com (scheme, host and optional port; http only for localhost)");

const parameterName = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, "expected one Parameter Store name segment (letters, digits, _ . -)");

const mediaSection = z
  .strictObject({
    enabled: z.boolean().default(false).describe("Create the media bucket, its CloudFront distribution, the application's access and the Parameter Store entries."),
    bucket_name: bucketName.optional().describe("Exact name of the media bucket. Default: a unique name starting with `<project>-<environment>-media-`."),
    prefix: keyPrefix.default("media/user_images/").describe("Key prefix of the media. The application role and CloudFront can reach only keys under it. The blog uses media/user_images/."),
    kms_key_arn: kmsKeyArn
      .optional()
      .describe("Customer managed KMS key (in the environment's region) for SSE-KMS with an S3 bucket key. Its key policy must let cloudfront.amazonaws.com decrypt for this distribution (see docs/media.md). Default: SSE-S3."),
    versioning: z.boolean().optional().describe("Keep previous versions of overwritten and deleted media. Default: on in protected environments, off otherwise; protected environments cannot turn it off."),
    noncurrent_version_days: z.number().int().min(1).max(3650).default(30).describe("Days a previous version is kept before it expires (with versioning)."),
    force_destroy: z.boolean().default(false).describe("Let `terraform destroy` delete a bucket that still holds media. Refused in protected environments, whose buckets carry prevent_destroy."),
    price_class: z
      .enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"])
      .default("PriceClass_100")
      .describe("CloudFront price class: PriceClass_100 (North America, Europe, Israel), PriceClass_200 (adds most of Asia, Middle East, Africa) or PriceClass_All."),
    aliases: z.array(domainName).default([]).describe("Custom domain names of the distribution (need hosted_zone_id or certificate_arn). The first is the domain stored in Parameter Store."),
    hosted_zone_id: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, "expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
      .optional()
      .describe("Route 53 hosted zone holding the aliases: an ACM certificate is created in us-east-1 and validated there by DNS, and the aliases point at the distribution. Instead of certificate_arn."),
    certificate_arn: acmCertificateArn.optional().describe("ACM certificate in us-east-1 covering every alias; viewers then need TLS 1.2 (TLSv1.2_2021). Default: the *.cloudfront.net certificate."),
    web_acl_arn: wafWebAclArn.optional().describe("AWS WAFv2 web ACL with scope CLOUDFRONT (a `global` ARN in us-east-1) attached to the distribution."),
    cors_allowed_origins: z
      .array(webOrigin)
      .default([])
      .describe("Web origins allowed to read the media from scripts (fetch, canvas). Adds OPTIONS and CORS headers. Not needed for images shown with an img element."),
    logging: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Write CloudFront standard access logs to S3."),
        bucket: bucketName
          .optional()
          .describe("Existing log bucket, which must have ACLs enabled (object ownership BucketOwnerPreferred). Default: a private log bucket created for these logs."),
        prefix: z
          .string()
          .regex(/^([A-Za-z0-9!_.'()-]+\/)*$/, "expected an S3 key prefix ending in '/' (or empty)")
          .default("cloudfront/")
          .describe("Key prefix of the log files."),
        expiration_days: z.number().int().min(1).max(3650).default(90).describe("Days the created log bucket keeps log files."),
      })
      .prefault({})
      .describe("CloudFront access logging."),
    parameter_names: z
      .strictObject({
        bucket_name: parameterName.default("image_storage_bucket_name").describe("Name, below parameters.path, of the entry holding the bucket name."),
        cloudfront_domain: parameterName
          .default("image_storage_cloudfront_domain")
          .describe("Name, below parameters.path, of the entry holding the domain media is served from (the first alias, or the distribution's *.cloudfront.net name)."),
      })
      .prefault({})
      .describe("Parameter Store entries the application reads (the blog's names by default)."),
  })
  .prefault({})
  .describe("User-uploaded media: a private S3 bucket served only through CloudFront with Origin Access Control.");

export const mediaKeys = { media: mediaSection };

/** Region field of an ARN (`arn:partition:service:region:account:...`). */
function arnRegion(arn: string): string {
  return arn.split(":")[3];
}

const mediaCheck = crossCheck(["media"], (config, context, issue) => {
  const media = config.media;
  if (!media.enabled) return;
  const isProtected = context.isProtected;

  if (media.aliases.length > 0 && media.certificate_arn === undefined && media.hosted_zone_id === undefined) {
    issue(["media", "hosted_zone_id"], "custom domain names need a certificate", "nothing", `the Route 53 hosted zone of ${media.aliases.join(", ")} (a certificate is then created and validated), or certificate_arn`);
  }
  if (media.hosted_zone_id !== undefined && media.aliases.length === 0) {
    issue(["media", "aliases"], "a hosted zone is configured but no domain name uses it", "an empty list", "the custom domain names in the zone (or no hosted_zone_id)");
  }
  if (media.certificate_arn !== undefined && media.aliases.length === 0) {
    issue(["media", "aliases"], "a certificate is configured but no domain name uses it", "an empty list", "the custom domain names the certificate covers (or no certificate_arn)");
  }
  if (media.certificate_arn !== undefined && arnRegion(media.certificate_arn) !== "us-east-1") {
    issue(["media", "certificate_arn"], "CloudFront uses ACM certificates from us-east-1 only", JSON.stringify(media.certificate_arn), "a certificate ARN in us-east-1 (arn:aws:acm:us-east-1:...)");
  }
  if (media.web_acl_arn !== undefined && (arnRegion(media.web_acl_arn) !== "us-east-1" || !media.web_acl_arn.includes(":global/webacl/"))) {
    issue(["media", "web_acl_arn"], "a CloudFront distribution takes only a web ACL with scope CLOUDFRONT", JSON.stringify(media.web_acl_arn), "arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>");
  }
  if (isProtected && media.force_destroy) {
    issue(["media", "force_destroy"], "force_destroy would let terraform destroy delete the media of a protected environment", "true", "false (protected environments keep prevent_destroy on the bucket)");
  }
  if (isProtected && media.versioning === false) {
    issue(["media", "versioning"], "a protected environment keeps previous versions of its media", "false", "true, or no value");
  }
  if (media.logging.bucket !== undefined && media.logging.bucket === media.bucket_name) {
    issue(["media", "logging", "bucket"], "the media bucket cannot hold its own access logs (its ACLs are disabled)", JSON.stringify(media.logging.bucket), "a separate log bucket with ACLs enabled, or no value (a log bucket is created)");
  }
  if (media.parameter_names.bucket_name === media.parameter_names.cloudfront_domain) {
    issue(["media", "parameter_names", "cloudfront_domain"], "both media entries have the same name", JSON.stringify(media.parameter_names.cloudfront_domain), "a name different from parameter_names.bucket_name");
  }
});

const mediaKeyRegionCheck = crossCheck(["media", "region"], (config, _context, issue) => {
  const media = config.media;
  if (media.enabled && media.kms_key_arn !== undefined && arnRegion(media.kms_key_arn) !== config.region) {
    issue(["media", "kms_key_arn"], "S3 default encryption needs a key in the bucket's region", JSON.stringify(media.kms_key_arn), `a KMS key in ${config.region}`);
  }
});

export const mediaChecks = [mediaCheck, mediaKeyRegionCheck];

export function mediaProps(config: Pick<EnvironmentConfig, "media">, context: ConfigContext): MediaProps | undefined {
  const isProtected = context.isProtected;
  const media = config.media;
  if (!media.enabled) return undefined;
  return {
    bucketName: media.bucket_name,
    prefix: media.prefix,
    kmsKeyArn: media.kms_key_arn,
    hostedZoneId: media.hosted_zone_id,
    versioned: media.versioning ?? isProtected,
    noncurrentVersionDays: media.noncurrent_version_days,
    // The media checks refuse force_destroy in a protected environment; never pass it there.
    forceDestroy: media.force_destroy && !isProtected,
    protect: isProtected,
    priceClass: media.price_class,
    aliases: media.aliases,
    certificateArn: media.certificate_arn,
    webAclArn: media.web_acl_arn,
    corsAllowedOrigins: media.cors_allowed_origins,
    accessLogs: media.logging.enabled
      ? { bucketName: media.logging.bucket, prefix: media.logging.prefix, expirationDays: media.logging.expiration_days }
      : undefined,
    parameterNames: { bucketName: media.parameter_names.bucket_name, domain: media.parameter_names.cloudfront_domain },
  };
}
