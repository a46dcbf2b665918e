// A private S3 bucket with the hardening a security review asks for, shared by the media bucket
// and the CSV pipeline's inbox: every public-access block, ACLs disabled (bucket owner enforced),
// default encryption (SSE-S3, or SSE-KMS with an S3 bucket key), optional versioning with
// noncurrent versions expired, aborted multipart uploads cleaned up, and a bucket policy that
// refuses requests without TLS 1.2. S3 holds one policy per bucket, so every statement goes
// through `addToResourcePolicy` and is rendered into that one policy at synth time.
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { PolicyStatement, policyDocument } from "./policy-document.js";
import { isKnownText, refuseProblems } from "./construct-error.js";

/** The longest `bucket_prefix` S3 accepts: Terraform appends a 26-character unique suffix. */
export const BUCKET_PREFIX_MAX = 37;

/**
 * `<base>-<purpose>-` as a valid bucket prefix: lowercased, other characters as hyphens, and the
 * base shortened to fit. The generated suffix keeps the name unique, so shortening is safe.
 */
export function bucketPrefixFor(base: string, purpose: string): string {
  const tail = `-${purpose}-`;
  const safe = base.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "");
  return `${safe.slice(0, BUCKET_PREFIX_MAX - tail.length).replace(/-+$/, "")}${tail}`;
}

export interface PrivateBucketProps {
  /**
   * Exact bucket name (globally unique).
   * @default a unique name starting with `bucketPrefix`
   */
  readonly bucketName?: string;
  /**
   * Start of a generated unique name, 37 characters at most. Required without `bucketName`.
   * @default none
   */
  readonly bucketPrefix?: string;
  /**
   * KMS key ARN for SSE-KMS with an S3 bucket key. The key must be in the bucket's region.
   * @default SSE-S3 (AES256)
   */
  readonly kmsKeyArn?: string;
  /**
   * Keep previous versions of overwritten and deleted objects.
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Days a noncurrent version is kept before it expires (versioned buckets).
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days after which current objects expire, for buckets that hold logs or transient files.
   * @default objects never expire
   */
  readonly expirationDays?: number;
  /**
   * Let `terraform destroy` delete a non-empty bucket. Not allowed together with `protect`.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * `prevent_destroy` on the bucket, for protected environments.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Object ownership. `BucketOwnerPreferred` re-enables ACLs and exists only for targets of
   * CloudFront standard logging, which still writes through an ACL grant.
   * @default "BucketOwnerEnforced" (ACLs disabled)
   */
  readonly objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred";
}

export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket's name (a token until apply when generated from a prefix). */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.<region>.amazonaws.com`: the origin domain CloudFront should use. */
  readonly regionalDomainName: string;
  /** `<bucket>.s3.amazonaws.com`: the form CloudFront standard logging expects. */
  readonly domainName: string;
  readonly kmsKeyArn?: string;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly ownershipControls: S3BucketOwnershipControls;
  readonly policy: S3BucketPolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const problems = validate(props);
    refuseProblems(this, problems);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketName ? undefined : props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.protect ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;
    this.domainName = this.bucket.bucketDomainName;
    this.kmsKeyArn = props.kmsKeyArn;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, "ownership_controls", {
      bucket: this.bucket.id,
      rule: { objectOwnership: props.objectOwnership ?? "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    // An unversioned bucket gets no versioning resource: "Disabled" is only valid at creation,
    // and removing the resource later suspends versioning, which is what turning it off means.
    const versioning = props.versioned
      ? new S3BucketVersioningA(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } })
      : undefined;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: lifecycleRules(props),
      dependsOn: versioning ? [versioning] : undefined,
    });

    this.addToResourcePolicy({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucketArn, `${this.bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    this.addToResourcePolicy({
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucketArn, `${this.bucketArn}/*`],
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      // Policy and public-access-block updates on one bucket conflict when run in parallel.
      dependsOn: [this.publicAccessBlock],
    });
  }

  /** Adds a statement to the bucket's one resource policy. */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /** ARN pattern of the objects under a key prefix (`""` for every object). */
  objectsArn(prefix: string): string {
    return `${this.bucketArn}/${prefix}*`;
  }

  /**
   * Identity-policy statements granting `objectActions` on the keys under `prefix`, listing
   * limited by `s3:prefix` to that prefix, and the bucket's KMS key as those actions need it.
   */
  prefixAccessStatements(prefix: string, objectActions: readonly string[]): PolicyStatement[] {
    const statements: PolicyStatement[] = [
      { Sid: "ObjectsUnderPrefix", Effect: "Allow", Action: [...objectActions], Resource: this.objectsArn(prefix) },
      { Sid: "ListPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: this.bucketArn, Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
    ];
    if (this.kmsKeyArn) {
      const kmsActions = [
        ...(objectActions.some((action) => /^s3:GetObject/.test(action)) ? ["kms:Decrypt"] : []),
        ...(objectActions.some((action) => /^s3:PutObject$/.test(action)) ? ["kms:GenerateDataKey"] : []),
      ];
      if (kmsActions.length > 0) statements.push({ Sid: "BucketKey", Effect: "Allow", Action: kmsActions, Resource: this.kmsKeyArn });
    }
    return statements;
  }
}

function validate(props: PrivateBucketProps): string[] {
  const problems: string[] = [];
  if (!props.bucketName && !props.bucketPrefix) problems.push("set bucketName or bucketPrefix");
  if (!props.bucketName && isKnownText(props.bucketPrefix) && props.bucketPrefix.length > BUCKET_PREFIX_MAX) {
    problems.push(`bucketPrefix "${props.bucketPrefix}" is longer than ${BUCKET_PREFIX_MAX} characters`);
  }
  if (props.forceDestroy && props.protect) problems.push("forceDestroy and protect exclude each other: a protected bucket is never emptied by terraform destroy");
  for (const key of ["noncurrentVersionDays", "expirationDays"] as const) {
    const days = props[key];
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) problems.push(`${key} must be a whole number of days >= 1, got ${days}`);
  }
  return problems;
}

function lifecycleRules(props: PrivateBucketProps): S3BucketLifecycleConfigurationRule[] {
  const everyObject = [{ prefix: "" }];
  const rules: S3BucketLifecycleConfigurationRule[] = [
    { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: everyObject, abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
  ];
  if (props.versioned) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: everyObject,
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    });
  }
  if (props.expirationDays !== undefined) {
    rules.push({ id: "expire-objects", status: "Enabled", filter: everyObject, expiration: [{ days: props.expirationDays }] });
  }
  return rules;
}
