import { describe, expect, it } from "vitest";
import { PolicyStatement } from "../../modules/core/policy-document.js";
import { MediaStorage, MediaStorageProps } from "../../modules/media/media-storage.js";
import { ParameterTree } from "../../modules/secrets/parameter-tree.js";
import { onlyResource, resourcesOf, synthConstruct, SynthJson } from "../helpers/synth.js";

function synthMedia(props: Omit<MediaStorageProps, "namePrefix">, grant = false): SynthJson {
  return synthConstruct((scope) => {
    const media = new MediaStorage(scope, "media", { namePrefix: "blog-prod", ...props });
    if (grant) media.grantApplicationAccess("application", "startup-ec2", "blog-prod-media-access");
  });
}

describe("MediaStorage", () => {
  it("builds a private bucket named from the prefix and a distribution reading media/user_images/ by default", () => {
    const json = synthMedia({});
    expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({ bucket_prefix: "blog-prod-media-" });
    const policy = JSON.parse(onlyResource(json, "aws_s3_bucket_policy").policy as string);
    expect(policy.Statement.find((statement: PolicyStatement) => statement.Sid === "CloudFrontReadsMedia").Resource).toBe("${aws_s3_bucket.media_content_bucket.arn}/media/user_images/*");
    expect(resourcesOf(json, "aws_ssm_parameter")).toEqual({});
    expect(resourcesOf(json, "aws_iam_policy")).toEqual({});
  });

  it("writes the bucket name and the domain under the parameter path, with the blog's names by default", () => {
    const parameters = resourcesOf(synthMedia({ parameters: { destination: "/cloudtalents/startup/" } }), "aws_ssm_parameter");
    expect(parameters.media_bucket_name_parameter).toMatchObject({ name: "/cloudtalents/startup/image_storage_bucket_name", type: "String", value: "${aws_s3_bucket.media_content_bucket.bucket}" });
    expect(parameters.media_domain_parameter).toMatchObject({ name: "/cloudtalents/startup/image_storage_cloudfront_domain", type: "String", value: "${aws_cloudfront_distribution.media_cdn_distribution.domain_name}" });
  });

  it("stores the first alias as the domain when the distribution has a custom domain, under configured names", () => {
    const parameters = resourcesOf(
      synthMedia({
        aliases: ["img.example.com", "media.example.com"],
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        parameters: { destination: "/app", bucketNameParameter: "media_bucket", domainParameter: "media_domain" },
      }),
      "aws_ssm_parameter",
    );
    expect(parameters.media_bucket_name_parameter.name).toBe("/app/media_bucket");
    expect(parameters.media_domain_parameter).toMatchObject({ name: "/app/media_domain", value: "img.example.com" });
  });

  it("adds its entries to the environment's parameter tree when there is one", () => {
    const json = synthConstruct((scope) => {
      const tree = new ParameterTree(scope, "parameters", { path: "/cloudtalents/startup", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" });
      new MediaStorage(scope, "media", { namePrefix: "blog-prod", parameters: { destination: tree } });
    });
    const parameters = resourcesOf(json, "aws_ssm_parameter");
    expect(Object.keys(parameters).sort()).toEqual(["parameters_image_storage_bucket_name", "parameters_image_storage_cloudfront_domain"]);
    expect(parameters.parameters_image_storage_bucket_name.name).toBe("/cloudtalents/startup/image_storage_bucket_name");
  });

  describe("application access", () => {
    const json = synthMedia({ prefix: "media/user_images/", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k", parameters: { destination: "/cloudtalents/startup" } }, true);
    const policy = onlyResource(json, "aws_iam_policy");
    const statements: PolicyStatement[] = JSON.parse(policy.policy as string).Statement;

    it("grants put/get/delete on the prefix only and list limited to it, attached to the named role", () => {
      expect(policy.name).toBe("blog-prod-media-access");
      expect(statements).toContainEqual({ Sid: "ObjectsUnderPrefix", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], Resource: "${aws_s3_bucket.media_content_bucket.arn}/media/user_images/*" });
      expect(statements).toContainEqual({ Sid: "ListPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: "${aws_s3_bucket.media_content_bucket.arn}", Condition: { StringLike: { "s3:prefix": ["media/user_images/*"] } } });
      expect(onlyResource(json, "aws_iam_role_policy_attachment")).toEqual({ role: "startup-ec2", policy_arn: "${aws_iam_policy.media_application_policy.arn}" });
    });

    it("never grants on every resource or every action", () => {
      for (const statement of statements) {
        expect([statement.Resource].flat()).not.toContain("*");
        expect([statement.Action].flat().some((action) => action.endsWith(":*"))).toBe(false);
      }
    });

    it("uses the bucket's KMS key and reads exactly the two media entries", () => {
      expect(statements).toContainEqual({ Sid: "BucketKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "arn:aws:kms:eu-west-1:123456789012:key/k" });
      expect(statements).toContainEqual({
        Sid: "ReadMediaParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: ["${aws_ssm_parameter.media_bucket_name_parameter.arn}", "${aws_ssm_parameter.media_domain_parameter.arn}"],
      });
    });
  });

  describe("access logs", () => {
    it("creates a private, expiring log bucket with ACLs enabled for CloudFront's log delivery", () => {
      const json = synthMedia({ accessLogs: { expirationDays: 30 }, protect: true });
      const buckets = resourcesOf(json, "aws_s3_bucket");
      expect(buckets.media_access_logs_bucket).toMatchObject({ bucket_prefix: "blog-prod-media-logs-", lifecycle: { prevent_destroy: true } });
      expect(resourcesOf(json, "aws_s3_bucket_ownership_controls").media_access_logs_ownership_controls.rule).toEqual({ object_ownership: "BucketOwnerPreferred" });
      expect(resourcesOf(json, "aws_s3_bucket_ownership_controls").media_content_ownership_controls.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      expect(resourcesOf(json, "aws_s3_bucket_public_access_block").media_access_logs_public_access_block).toMatchObject({ block_public_acls: true, ignore_public_acls: true });
      expect(resourcesOf(json, "aws_s3_bucket_lifecycle_configuration").media_access_logs_lifecycle.rule).toContainEqual(expect.objectContaining({ expiration: [{ days: 30 }] }));
      expect(onlyResource(json, "aws_cloudfront_distribution").logging_config).toMatchObject({ bucket: "${aws_s3_bucket.media_access_logs_bucket.bucket_domain_name}" });
    });

    it("uses an existing log bucket by name instead of creating one", () => {
      const json = synthMedia({ accessLogs: { bucketName: "central-logs" } });
      expect(Object.keys(resourcesOf(json, "aws_s3_bucket"))).toEqual(["media_content_bucket"]);
      expect(onlyResource(json, "aws_cloudfront_distribution").logging_config).toMatchObject({ bucket: "central-logs.s3.amazonaws.com" });
    });
  });
});
