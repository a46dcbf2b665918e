import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { PolicyStatement, policyDocument } from "../../modules/core/policy-document.js";
import { BUCKET_PREFIX_MAX, bucketPrefixFor, PrivateBucket, PrivateBucketProps } from "../../modules/core/private-bucket.js";
import { onlyResource, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

function synthBucket(props: PrivateBucketProps, extra?: (bucket: PrivateBucket) => void): SynthJson {
  return synthConstruct((scope) => {
    const bucket = new PrivateBucket(scope, "store", props);
    extra?.(bucket);
  });
}

function bucketPolicy(json: SynthJson): { Statement: PolicyStatement[] } {
  return JSON.parse(onlyResource(json, "aws_s3_bucket_policy").policy as string);
}

describe("PrivateBucket", () => {
  describe("defaults", () => {
    const json = synthBucket({ bucketPrefix: "dms-lz-dev-inbox-" });

    it("blocks every kind of public access", () => {
      expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_s3_bucket_public_access_block", {
        bucket: "${aws_s3_bucket.store_bucket.id}",
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      })).toBe(true);
    });

    it("disables ACLs, encrypts with SSE-S3, and can be neither force-destroyed nor is it pinned", () => {
      expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      const bucket = onlyResource(json, "aws_s3_bucket");
      expect(bucket).toMatchObject({ bucket_prefix: "dms-lz-dev-inbox-", force_destroy: false });
      expect(bucket.bucket).toBeUndefined();
      expect(bucket.lifecycle).toBeUndefined();
    });

    it("has no versioning resource and only cleans up incomplete multipart uploads", () => {
      expect(resourcesOf(json, "aws_s3_bucket_versioning")).toEqual({});
      const rules = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];
      expect(rules).toEqual([{ id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }]);
    });

    it("denies requests without TLS, and with TLS older than 1.2, on the bucket and its objects", () => {
      const statements = bucketPolicy(json).Statement;
      const resources = ["${aws_s3_bucket.store_bucket.arn}", "${aws_s3_bucket.store_bucket.arn}/*"];
      expect(statements).toContainEqual({ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(statements).toContainEqual({ Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } });
      expect(statements.filter((statement) => statement.Effect === "Allow")).toEqual([]);
    });

    it("writes the policy after the public access block, as S3 refuses the two in parallel", () => {
      expect(onlyResource(json, "aws_s3_bucket_policy").depends_on).toEqual(["aws_s3_bucket_public_access_block.store_public_access_block"]);
    });
  });

  it("uses SSE-KMS with an S3 bucket key when given a key", () => {
    const json = synthBucket({ bucketName: "media-bucket", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abcd" });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:eu-west-1:123456789012:key/abcd" }, bucket_key_enabled: true },
    ]);
    expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({ bucket: "media-bucket" });
  });

  it("versions objects and expires noncurrent versions after the configured days, once versioning is on", () => {
    const json = synthBucket({ bucketPrefix: "b-", versioned: true, noncurrentVersionDays: 45 });
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    const lifecycle = onlyResource(json, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.depends_on).toEqual(["aws_s3_bucket_versioning.store_versioning"]);
    expect(lifecycle.rule).toContainEqual(expect.objectContaining({ id: "expire-noncurrent-versions", noncurrent_version_expiration: [{ noncurrent_days: 45 }], expiration: [{ expired_object_delete_marker: true }] }));
  });

  it("expires current objects when asked (log buckets)", () => {
    const json = synthBucket({ bucketPrefix: "b-", expirationDays: 90 });
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule).toContainEqual(expect.objectContaining({ id: "expire-objects", expiration: [{ days: 90 }] }));
  });

  it("pins a protected bucket with prevent_destroy and honours force_destroy only when asked", () => {
    expect(onlyResource(synthBucket({ bucketPrefix: "b-", protect: true }), "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(synthBucket({ bucketPrefix: "b-", forceDestroy: true }), "aws_s3_bucket").force_destroy).toBe(true);
  });

  it("re-enables ACLs only when asked (CloudFront standard-log targets)", () => {
    const json = synthBucket({ bucketPrefix: "b-", objectOwnership: "BucketOwnerPreferred" });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerPreferred" });
  });

  it("refuses contradictory or incomplete settings, naming the construct", () => {
    expect(() => synthBucket({ bucketPrefix: "b-", protect: true, forceDestroy: true })).toThrow(/test\/store: forceDestroy and protect exclude each other/);
    expect(() => synthBucket({})).toThrow(/set bucketName or bucketPrefix/);
    expect(() => synthBucket({ bucketPrefix: "x".repeat(BUCKET_PREFIX_MAX + 1) })).toThrow(/longer than 37/);
    expect(() => synthBucket({ bucketPrefix: "b-", noncurrentVersionDays: 0 })).toThrow(/noncurrentVersionDays must be a whole number/);
  });

  it("renders statements added later into the bucket's one policy", () => {
    const json = synthBucket({ bucketPrefix: "b-" }, (bucket) =>
      bucket.addToResourcePolicy({ Sid: "Reader", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: bucket.objectsArn("media/") }),
    );
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket_policy"))).toHaveLength(1);
    expect(bucketPolicy(json).Statement.map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "Reader"]);
    expect(bucketPolicy(json).Statement[2].Resource).toBe("${aws_s3_bucket.store_bucket.arn}/media/*");
  });

  describe("prefixAccessStatements", () => {
    /** The statements as Terraform sees them, rendered through an IAM policy. */
    function accessStatements(props: PrivateBucketProps, prefix: string, actions: string[]): PolicyStatement[] {
      const json = synthBucket(props, (bucket) => new IamPolicy(bucket, "access", { policy: policyDocument(bucket.prefixAccessStatements(prefix, actions)) }));
      return JSON.parse(onlyResource(json, "aws_iam_policy").policy as string).Statement;
    }

    it("limits object actions to the prefix and listing to keys under it", () => {
      expect(accessStatements({ bucketPrefix: "b-" }, "media/user_images/", ["s3:GetObject", "s3:PutObject"])).toEqual([
        { Sid: "ObjectsUnderPrefix", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "${aws_s3_bucket.store_bucket.arn}/media/user_images/*" },
        { Sid: "ListPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: "${aws_s3_bucket.store_bucket.arn}", Condition: { StringLike: { "s3:prefix": ["media/user_images/*"] } } },
      ]);
    });

    it("adds only the KMS actions the object actions need", () => {
      const kms = (actions: string[]) =>
        accessStatements({ bucketPrefix: "b-", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" }, "in/", actions).find((statement) => statement.Sid === "BucketKey");
      expect(kms(["s3:GetObject"])).toEqual({ Sid: "BucketKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: "arn:aws:kms:eu-west-1:123456789012:key/k" });
      expect(kms(["s3:PutObject", "s3:GetObject"])?.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
      expect(kms(["s3:DeleteObject"])).toBeUndefined();
    });
  });

  describe("bucketPrefixFor", () => {
    it("keeps short names and shortens long ones to the 37 characters S3 allows", () => {
      expect(bucketPrefixFor("dms-lz-dev", "media")).toBe("dms-lz-dev-media-");
      const long = bucketPrefixFor("a-sixteen-letter-another-sixteen-l", "media-logs");
      expect(long.length).toBeLessThanOrEqual(BUCKET_PREFIX_MAX);
      expect(long).toMatch(/^[a-z0-9][a-z0-9-]*-media-logs-$/);
      expect(long).not.toContain("--");
    });

    it("lowercases and replaces characters bucket names do not allow", () => {
      expect(bucketPrefixFor("Blog_Prod", "media")).toBe("blog-prod-media-");
    });
  });
});
