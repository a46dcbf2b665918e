// CloudFront in front of the media bucket: S3 read only through Origin Access Control, and
// viewers only over HTTPS with TLS 1.2 or later.
import type { PlannedResource } from "../plan-resources.js";
import { PolicyRule, unverifiable } from "../types.js";
import { hasPlaceholder } from "../unknown-values.js";
import { checkAttribute } from "./attribute-check.js";

const DISTRIBUTION = "aws_cloudfront_distribution";
const HTTPS_POLICIES = ["https-only", "redirect-to-https"];
const TLS12_OR_LATER = /^TLSv1\.[23]_\d{4}$/;

/** Whether origin `index` is an S3 bucket: its domain refers to a bucket or names S3. */
function isS3Origin(distribution: PlannedResource, index: number): boolean {
  const domain = distribution.value<string>("origin", index, "domain_name");
  if (domain !== undefined) return /\.s3[.-]/.test(domain);
  return !distribution.configured("origin", index, "custom_origin_config");
}

export const cloudFrontRules: readonly PolicyRule[] = [
  {
    id: "LZ-CF-001",
    title: "S3 origins are read through Origin Access Control",
    severity: "error",
    checkov: [],
    resourceTypes: [DISTRIBUTION],
    fix: "Give each S3 origin origin_access_control_id (an aws_cloudfront_origin_access_control with signing_behavior always) and no origin access identity, and let the bucket policy admit only cloudfront.amazonaws.com with aws:SourceArn of the distribution.",
    check: (distribution) => {
      const problems: string[] = [];
      for (let index = 0; index < distribution.blockCount("origin"); index++) {
        if (!isS3Origin(distribution, index)) continue;
        const id = distribution.value<string>("origin", index, "origin_id") ?? String(index);
        if (!distribution.isSet("origin", index, "origin_access_control_id")) problems.push(`origin ${id} has no origin_access_control_id`);
        if (distribution.isSet("origin", index, "s3_origin_config", 0, "origin_access_identity")) problems.push(`origin ${id} uses a legacy origin access identity`);
      }
      return problems;
    },
  },
  {
    id: "LZ-CF-002",
    title: "Viewers connect over HTTPS only",
    severity: "error",
    checkov: ["CKV_AWS_34"],
    resourceTypes: [DISTRIBUTION],
    fix: 'Set viewer_protocol_policy = "redirect-to-https" (or "https-only") on the default and every ordered cache behavior.',
    check: (distribution) => {
      const behaviors = [
        { label: "default_cache_behavior", policy: distribution.resolved("default_cache_behavior", 0, "viewer_protocol_policy") },
        ...Array.from({ length: distribution.blockCount("ordered_cache_behavior") }, (_, index) => ({
          label: `ordered_cache_behavior ${distribution.value<string>("ordered_cache_behavior", index, "path_pattern") ?? index}`,
          policy: distribution.resolved("ordered_cache_behavior", index, "viewer_protocol_policy"),
        })),
      ];
      return behaviors
        .filter((behavior) => !HTTPS_POLICIES.includes(String(behavior.policy ?? "")))
        .map((behavior) => (hasPlaceholder(behavior.policy) ? unverifiable(`${behavior.label}: viewer_protocol_policy is ${String(behavior.policy)}, known only after apply`) : `${behavior.label}: viewer_protocol_policy = ${JSON.stringify(behavior.policy ?? null)}`));
    },
  },
  {
    id: "LZ-CF-003",
    title: "Viewer TLS is 1.2 or later",
    severity: "error",
    checkov: ["CKV_AWS_174"],
    resourceTypes: [DISTRIBUTION],
    fix: 'Serve a custom domain with an ACM certificate (us-east-1), ssl_support_method = "sni-only" and minimum_protocol_version = "TLSv1.2_2021"; the default *.cloudfront.net certificate always admits TLS 1.0.',
    check: (distribution) => {
      if (distribution.value("viewer_certificate", 0, "cloudfront_default_certificate") === true) return ["uses the default CloudFront certificate, whose security policy is TLSv1"];
      return checkAttribute(distribution, ["viewer_certificate", 0, "minimum_protocol_version"], (version) => TLS12_OR_LATER.test(String(version ?? "")), (version) => `minimum_protocol_version = ${JSON.stringify(version ?? null)}`);
    },
  },
];
