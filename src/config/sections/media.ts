// The `media` section: user-uploaded media in a private S3 bucket served only through CloudFront
// (Origin Access Control), as the blog migrations move images off the application server.
import { z } from "zod";
import { bucketName } from "../fields.js";

const keyPrefix = z
  .string()
  .regex(/^([A-Za-z0-9!_.'()-]+\/)+$/, "expected an S3 key prefix of path segments ending in '/', without a leading '/', such as media/user_images/");

export const kmsKeyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

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

export const mediaSection = z
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
    aliases: z.array(domainName).default([]).describe("Custom domain names of the distribution (need certificate_arn). The first is the domain stored in Parameter Store."),
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
