// Cross-field checks of the `media` section, each a failure AWS would otherwise report only at
// apply time (or a protection the environment would silently lose).
import { ConfigIssue, FileOf, issueCollector } from "../errors.js";
import type { EnvironmentConfig } from "../schema.js";
import { PROTECTED_BY_DEFAULT } from "../to-props.js";


/** Region field of an ARN (`arn:partition:service:region:account:...`). */
function arnRegion(arn: string): string {
  return arn.split(":")[3];
}

export function mediaIssues(config: EnvironmentConfig, dirName: string, fileOf: FileOf): ConfigIssue[] {
  const media = config.media;
  if (!media.enabled) return [];
  const { issues, issue } = issueCollector(fileOf);
  const isProtected = config.protected ?? PROTECTED_BY_DEFAULT.includes(config.environment ?? dirName);

  if (media.aliases.length > 0 && media.certificate_arn === undefined) {
    issue(["media", "certificate_arn"], "custom domain names need a certificate", "nothing", `an ACM certificate ARN in us-east-1 covering ${media.aliases.join(", ")}`);
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
  if (media.kms_key_arn !== undefined && arnRegion(media.kms_key_arn) !== config.region) {
    issue(["media", "kms_key_arn"], "S3 default encryption needs a key in the bucket's region", JSON.stringify(media.kms_key_arn), `a KMS key in ${config.region}`);
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
  return issues;
}
