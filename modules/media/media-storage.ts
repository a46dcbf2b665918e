// User-uploaded media (the blog's images) moved off the application server: a private bucket,
// the CloudFront distribution that alone reads it, an optional access-log bucket, the
// Parameter Store entries the application reads the bucket and domain from, and a helper that
// grants an application role put/get/delete/list on the media prefix and nothing else.
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";
import { PolicyStatement, policyDocument } from "../core/policy-document.js";
import { bucketPrefixFor, PrivateBucket } from "../core/private-bucket.js";
import { MediaDomain } from "./media-domain.js";
import { MediaDistribution, PriceClass } from "./media-distribution.js";
import { ConstructError } from "../core/construct-error.js";

export const DEFAULT_MEDIA_PREFIX = "media/user_images/";
/** The parameter names the blog's application reads. */
export const DEFAULT_MEDIA_PARAMETER_NAMES = { bucketName: "image_storage_bucket_name", domain: "image_storage_cloudfront_domain" } as const;

export interface MediaAccessLogSettings {
  /**
   * Existing bucket for the logs; it must have ACLs enabled (object ownership
   * BucketOwnerPreferred or ObjectWriter), as CloudFront standard logging requires.
   * @default a log bucket created here
   */
  readonly bucketName?: string;
  /**
   * Key prefix of the log files.
   * @default "cloudfront/"
   */
  readonly prefix?: string;
  /**
   * Days the created log bucket keeps log files.
   * @default 90
   */
  readonly expirationDays?: number;
}

/** What writes a String entry under the application's path: `ParameterTree` has this shape. */
export interface StringParameterWriter {
  addString(name: string, value: string, description?: string): SsmParameter;
}

export interface MediaParameterSettings {
  /**
   * Where the entries go: a Parameter Store path such as `/cloudtalents/startup` (the entries are
   * then created here), or the environment's `ParameterTree`, which then owns them.
   */
  readonly destination: string | StringParameterWriter;
  /**
   * Name (below `path`) of the entry holding the bucket name.
   * @default "image_storage_bucket_name"
   */
  readonly bucketNameParameter?: string;
  /**
   * Name (below `path`) of the entry holding the domain images are served from.
   * @default "image_storage_cloudfront_domain"
   */
  readonly domainParameter?: string;
}

export interface MediaStorageProps {
  /** `<project>-<environment>`: the start of every name. */
  readonly namePrefix: string;
  /**
   * Exact name of the media bucket.
   * @default a unique name starting with `<namePrefix>-media-`
   */
  readonly bucketName?: string;
  /**
   * Key prefix of the media; the application and CloudFront are limited to it.
   * @default "media/user_images/"
   */
  readonly prefix?: string;
  /**
   * KMS key for SSE-KMS (with an S3 bucket key); its key policy must let CloudFront decrypt.
   * @default SSE-S3
   */
  readonly kmsKeyArn?: string;
  /**
   * Keep previous versions of overwritten and deleted media.
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Days noncurrent versions are kept.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Let `terraform destroy` delete a non-empty bucket (unprotected environments only).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * `prevent_destroy` on the buckets.
   * @default false
   */
  readonly protect?: boolean;
  /** @default "PriceClass_100" */
  readonly priceClass?: PriceClass;
  /**
   * Custom domain names; the first is what the domain parameter holds.
   * @default none
   */
  readonly aliases?: readonly string[];
  /**
   * ACM certificate in us-east-1 covering `aliases`.
   * @default with `hostedZoneId`, a certificate this construct creates and validates; else the CloudFront default certificate
   */
  readonly certificateArn?: string;
  /**
   * Route 53 hosted zone of `aliases`: the certificate is created in us-east-1 and validated
   * there, and the aliases point at the distribution. `aliases` need this or `certificateArn`.
   * @default none
   */
  readonly hostedZoneId?: string;
  /**
   * WAFv2 web ACL (scope CLOUDFRONT).
   * @default none
   */
  readonly webAclArn?: string;
  /**
   * Web origins allowed to read the media cross-origin.
   * @default no CORS
   */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * CloudFront standard logging.
   * @default no access logs
   */
  readonly accessLogs?: MediaAccessLogSettings;
  /**
   * Parameter Store entries for the application.
   * @default no parameters
   */
  readonly parameters?: MediaParameterSettings;
}

export class MediaStorage extends Construct {
  readonly bucket: PrivateBucket;
  readonly distribution: MediaDistribution;
  readonly logBucket?: PrivateBucket;
  /** The media key prefix. */
  readonly prefix: string;
  /** The domain images are served from: the first alias, or the distribution's own name. */
  readonly publicDomainName: string;
  readonly bucketNameParameter?: SsmParameter;
  readonly domainParameter?: SsmParameter;

  constructor(scope: Construct, id: string, props: MediaStorageProps) {
    super(scope, id);
    this.prefix = props.prefix ?? DEFAULT_MEDIA_PREFIX;
    this.bucket = new PrivateBucket(this, "content", {
      bucketName: props.bucketName,
      bucketPrefix: bucketPrefixFor(props.namePrefix, "media"),
      kmsKeyArn: props.kmsKeyArn,
      versioned: props.versioned,
      noncurrentVersionDays: props.noncurrentVersionDays,
      forceDestroy: props.forceDestroy,
      protect: props.protect,
    });

    const logs = props.accessLogs;
    if (logs && !logs.bucketName) {
      // CloudFront standard logging writes through an ACL grant to its log-delivery account, so
      // this bucket alone keeps ACLs enabled; it stays private, encrypted with SSE-S3 (the
      // delivery account cannot use a customer key without a key-policy change) and TLS-only.
      this.logBucket = new PrivateBucket(this, "access_logs", {
        bucketPrefix: bucketPrefixFor(props.namePrefix, "media-logs"),
        objectOwnership: "BucketOwnerPreferred",
        expirationDays: logs.expirationDays ?? 90,
        // Versioned where the environment is protected, like every bucket there.
        versioned: props.protect,
        forceDestroy: props.forceDestroy,
        protect: props.protect,
      });
    }

    const aliases = props.aliases ?? [];
    if (aliases.length > 0 && props.certificateArn === undefined && props.hostedZoneId === undefined) {
      throw new ConstructError(this, `custom domain names ${aliases.join(", ")} need a certificate: give the Route 53 hosted zone that holds them (the certificate is then created and validated) or an ACM certificate ARN in us-east-1`);
    }
    const domain = aliases.length > 0 && props.certificateArn === undefined && props.hostedZoneId !== undefined ? new MediaDomain(this, "domain", { names: aliases, hostedZoneId: props.hostedZoneId }) : undefined;

    this.distribution = new MediaDistribution(this, "cdn", {
      bucket: this.bucket,
      name: `${props.namePrefix}-media`,
      prefix: this.prefix,
      priceClass: props.priceClass,
      aliases: props.aliases,
      certificateArn: props.certificateArn ?? domain?.certificateArn,
      webAclArn: props.webAclArn,
      corsAllowedOrigins: props.corsAllowedOrigins,
      accessLogs: logs ? { bucket: logs.bucketName ?? this.logBucket!, prefix: logs.prefix } : undefined,
    });
    domain?.pointAt(this.distribution.distribution);
    this.publicDomainName = props.aliases?.[0] ?? this.distribution.domainName;

    if (props.parameters) {
      const settings = props.parameters;
      const write = (id: string, name: string, value: string, description: string) =>
        typeof settings.destination === "string"
          ? new SsmParameter(this, id, { name: `${settings.destination.replace(/\/+$/, "")}/${name}`, description, type: "String", tier: "Standard", value })
          : settings.destination.addString(name, value, description);
      this.bucketNameParameter = write("bucket_name_parameter", settings.bucketNameParameter ?? DEFAULT_MEDIA_PARAMETER_NAMES.bucketName, this.bucket.bucketName, "S3 bucket holding the application's user-uploaded media");
      this.domainParameter = write("domain_parameter", settings.domainParameter ?? DEFAULT_MEDIA_PARAMETER_NAMES.domain, this.publicDomainName, "Domain the application's media is served from (CloudFront)");
    }
  }

  /**
   * Attaches to an existing role a policy granting put/get/delete on the media prefix, list on
   * the bucket limited to that prefix, the KMS key's use when there is one, and reading the two
   * Parameter Store entries.
   */
  grantApplicationAccess(id: string, roleName: string, policyName: string): IamPolicy {
    const parameters = [this.bucketNameParameter, this.domainParameter].flatMap((parameter) => (parameter ? [parameter.arn] : []));
    const statements: PolicyStatement[] = [
      ...this.bucket.prefixAccessStatements(this.prefix, ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]),
      ...(parameters.length > 0 ? [{ Sid: "ReadMediaParameters", Effect: "Allow" as const, Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameters }] : []),
    ];
    const policy = new IamPolicy(this, `${id}_policy`, {
      name: policyName,
      description: `Read, write and delete media under ${this.prefix} in the media bucket`,
      policy: policyDocument(statements),
    });
    new IamRolePolicyAttachment(this, `${id}_policy_attachment`, { role: roleName, policyArn: policy.arn });
    return policy;
  }
}
