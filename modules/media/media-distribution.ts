// A CloudFront distribution that is the only reader of a private bucket: Origin Access Control
// signs every origin request (no legacy origin access identity), the bucket policy admits
// `cloudfront.amazonaws.com` for this distribution only (`AWS:SourceArn`) and only under the
// media prefix, viewers are redirected to HTTPS, only GET/HEAD (and OPTIONS with CORS) pass,
// caching follows a managed cache policy (no legacy `forwarded_values`), and every response
// carries security headers.
import { CloudfrontDistribution, CloudfrontDistributionLoggingConfig, CloudfrontDistributionViewerCertificate } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PrivateBucket } from "../core/private-bucket.js";
import { isKnownText, refuseProblems } from "../core/construct-error.js";

/** AWS managed cache policy "CachingOptimized": no cookies or query strings in the key, gzip and brotli. */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** AWS managed origin request policy "CORS-S3Origin": forwards Origin and the preflight headers to S3. */
export const CORS_S3_ORIGIN_REQUEST_POLICY_ID = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf";

export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

export interface MediaAccessLogs {
  /** The log bucket: one built with `PrivateBucket` (ownership `BucketOwnerPreferred`) or an existing bucket's name. */
  readonly bucket: PrivateBucket | string;
  /**
   * Key prefix of the log files.
   * @default "cloudfront/"
   */
  readonly prefix?: string;
}

export interface MediaDistributionProps {
  /** The private bucket CloudFront reads. */
  readonly bucket: PrivateBucket;
  /** Name of the origin access control and the response headers policy (unique per account). */
  readonly name: string;
  /**
   * Key prefix CloudFront may read; requests for other keys are refused by S3.
   * @default "" (every object)
   */
  readonly prefix?: string;
  /**
   * Edge locations served.
   * @default "PriceClass_100"
   */
  readonly priceClass?: PriceClass;
  /**
   * Alternate domain names (CNAMEs); requires `certificateArn`.
   * @default none
   */
  readonly aliases?: readonly string[];
  /**
   * ACM certificate in us-east-1 that covers the aliases; TLSv1.2_2021 is then the viewer minimum.
   * @default the *.cloudfront.net certificate
   */
  readonly certificateArn?: string;
  /**
   * AWS WAFv2 web ACL (scope CLOUDFRONT) ARN.
   * @default no web ACL
   */
  readonly webAclArn?: string;
  /**
   * CloudFront standard logging.
   * @default no access logs
   */
  readonly accessLogs?: MediaAccessLogs;
  /**
   * Web origins (`https://app.example.com`) allowed to read the media cross-origin. Adds OPTIONS,
   * CORS response headers, a matching bucket CORS rule for preflights, and CORS-S3Origin.
   * @default no CORS
   */
  readonly corsAllowedOrigins?: readonly string[];
}

export class MediaDistribution extends Construct {
  readonly originAccessControl: CloudfrontOriginAccessControl;
  readonly responseHeadersPolicy: CloudfrontResponseHeadersPolicy;
  readonly distribution: CloudfrontDistribution;
  /** The distribution's `*.cloudfront.net` name. */
  readonly domainName: string;
  readonly distributionId: string;
  readonly distributionArn: string;

  constructor(scope: Construct, id: string, props: MediaDistributionProps) {
    super(scope, id);
    const aliases = props.aliases ?? [];
    const corsOrigins = props.corsAllowedOrigins ?? [];
    const problems = validate(props);
    refuseProblems(this, problems);
    const cors = corsOrigins.length > 0;
    const methods = cors ? ["GET", "HEAD", "OPTIONS"] : ["GET", "HEAD"];

    this.originAccessControl = new CloudfrontOriginAccessControl(this, "origin_access_control", {
      name: props.name,
      description: "Signs CloudFront's requests to the media bucket",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });

    this.responseHeadersPolicy = new CloudfrontResponseHeadersPolicy(this, "response_headers_policy", {
      name: `${props.name}-headers`,
      comment: "Security headers for media responses",
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        // The legacy XSS auditor is itself an attack surface (OWASP): switch it off explicitly.
        xssProtection: { protection: false, override: true },
        // Applies only when a file is opened directly (not to <img> use): an uploaded SVG or HTML
        // file then cannot run script in the media domain.
        contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox", override: true },
      },
      corsConfig: cors
        ? {
            accessControlAllowCredentials: false,
            accessControlAllowHeaders: { items: ["*"] },
            accessControlAllowMethods: { items: methods },
            accessControlAllowOrigins: { items: [...corsOrigins] },
            accessControlMaxAgeSec: 3000,
            originOverride: true,
          }
        : undefined,
    });
    if (cors) {
      // S3 answers the preflight OPTIONS itself and refuses it without a CORS rule.
      new S3BucketCorsConfiguration(this, "bucket_cors", {
        bucket: props.bucket.bucket.id,
        corsRule: [{ allowedMethods: ["GET", "HEAD"], allowedOrigins: [...corsOrigins], allowedHeaders: ["*"], maxAgeSeconds: 3000 }],
      });
    }

    const originId = "media_bucket";
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${props.name}: media from a private S3 bucket`,
      aliases: aliases.length > 0 ? [...aliases] : undefined,
      priceClass: props.priceClass ?? "PriceClass_100",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      webAclId: props.webAclArn,
      origin: [{ originId, domainName: props.bucket.regionalDomainName, originAccessControlId: this.originAccessControl.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: methods,
        cachedMethods: methods,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        originRequestPolicyId: cors ? CORS_S3_ORIGIN_REQUEST_POLICY_ID : undefined,
        responseHeadersPolicyId: this.responseHeadersPolicy.id,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: viewerCertificate(props.certificateArn),
      loggingConfig: props.accessLogs ? loggingConfig(props.accessLogs) : undefined,
      dependsOn: accessLogDependencies(props.accessLogs),
    });
    this.domainName = this.distribution.domainName;
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;

    props.bucket.addToResourcePolicy({
      Sid: "CloudFrontReadsMedia",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: props.bucket.objectsArn(props.prefix ?? ""),
      Condition: { StringEquals: { "AWS:SourceArn": this.distributionArn } },
    });
  }
}

function validate(props: MediaDistributionProps): string[] {
  const problems: string[] = [];
  const aliases = props.aliases ?? [];
  if (aliases.length > 0 && !props.certificateArn) problems.push("aliases need certificateArn (an ACM certificate in us-east-1 that covers them)");
  if (props.certificateArn && aliases.length === 0) problems.push("certificateArn is only used with aliases");
  if (isKnownText(props.certificateArn) && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(props.certificateArn)) {
    problems.push(`certificateArn must be an ACM certificate in us-east-1 (CloudFront reads certificates only there), got ${props.certificateArn}`);
  }
  for (const origin of props.corsAllowedOrigins ?? []) {
    if (origin === "*") problems.push('corsAllowedOrigins lists origins, not "*"');
  }
  return problems;
}

function viewerCertificate(certificateArn: string | undefined): CloudfrontDistributionViewerCertificate {
  return certificateArn
    ? { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
    : { cloudfrontDefaultCertificate: true };
}

function loggingConfig(logs: MediaAccessLogs): CloudfrontDistributionLoggingConfig {
  const bucket = typeof logs.bucket === "string" ? `${logs.bucket}.s3.amazonaws.com` : logs.bucket.domainName;
  return { bucket, prefix: logs.prefix ?? "cloudfront/", includeCookies: false };
}

/** CloudFront checks that the log bucket accepts ACLs when logging is configured. */
function accessLogDependencies(logs: MediaAccessLogs | undefined): ITerraformDependable[] | undefined {
  return logs && typeof logs.bucket !== "string" ? [logs.bucket.ownershipControls] : undefined;
}
