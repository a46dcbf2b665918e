// S3 buckets: each bucket's companion resources (public access block, policy, encryption,
// versioning, ownership controls) are found through the references in the plan's configuration.
import type { PlannedResource, PolicyContext } from "../plan-resources.js";
import { policyStatements } from "../policy-document.js";
import type { PolicyRule } from "../types.js";

const BUCKET = "aws_s3_bucket";
const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** The bucket's companion resource of `type` (they name the bucket in `bucket`). */
const companions = (bucket: PlannedResource, context: PolicyContext, type: string) => context.referencing(type, "bucket", bucket);

function sseAlgorithms(bucket: PlannedResource, context: PolicyContext): (string | undefined)[] {
  return companions(bucket, context, "aws_s3_bucket_server_side_encryption_configuration").flatMap((configuration) => {
    const rules = configuration.value<unknown[]>("rule") ?? [];
    return rules.map((_, index) => {
      const planned = configuration.get<string>("rule", index, "apply_server_side_encryption_by_default", 0, "sse_algorithm");
      return planned.known ? planned.value : "(known after apply)";
    });
  });
}

export const s3Rules: readonly PolicyRule[] = [
  {
    id: "LZ-S3-001",
    title: "Bucket blocks all public access",
    severity: "error",
    checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    resourceTypes: [BUCKET],
    fix: `Add an aws_s3_bucket_public_access_block for the bucket with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true.`,
    check: (bucket, context) => {
      const blocks = companions(bucket, context, "aws_s3_bucket_public_access_block");
      if (blocks.length === 0) return ["no aws_s3_bucket_public_access_block for this bucket"];
      const off = PUBLIC_ACCESS_FLAGS.filter((flag) => blocks.every((block) => block.get(flag).known && block.value(flag) !== true));
      return off.length > 0 ? [`not true: ${off.join(", ")}`] : [];
    },
  },
  {
    id: "LZ-S3-002",
    title: "Bucket policy denies requests without TLS",
    severity: "error",
    checkov: [],
    resourceTypes: [BUCKET],
    fix: 'Add a bucket policy statement: Effect Deny, Principal "*", Action "s3:*", on the bucket and its objects, Condition Bool aws:SecureTransport = "false".',
    check: (bucket, context) => {
      const policies = companions(bucket, context, "aws_s3_bucket_policy");
      if (policies.length === 0) return ["no aws_s3_bucket_policy for this bucket"];
      const statements = policies.flatMap((policy) => policyStatements(policy, "policy") ?? []);
      const deniesPlainHttp = statements.some(
        (statement) =>
          statement.effect === "Deny" &&
          statement.actions.some((action) => action === "*" || action === "s3:*") &&
          (statement.conditions.Bool?.["aws:SecureTransport"] ?? []).includes("false"),
      );
      return deniesPlainHttp ? [] : ["no Deny statement on aws:SecureTransport = false for s3:*"];
    },
  },
  {
    id: "LZ-S3-003",
    title: "Bucket default encryption is configured",
    severity: "error",
    checkov: [],
    resourceTypes: [BUCKET],
    fix: "Add an aws_s3_bucket_server_side_encryption_configuration for the bucket (aws:kms with a customer managed key, or AES256 where CloudFront must read it without KMS grants).",
    check: (bucket, context) => (sseAlgorithms(bucket, context).some((algorithm) => algorithm !== undefined) ? [] : ["no server-side encryption configuration for this bucket"]),
  },
  {
    id: "LZ-S3-004",
    title: "Bucket is encrypted with KMS",
    severity: "warning",
    checkov: ["CKV_AWS_145"],
    resourceTypes: [BUCKET],
    fix: 'Set sse_algorithm = "aws:kms" with kms_master_key_id in the bucket\'s encryption configuration.',
    check: (bucket, context) => {
      const algorithms = sseAlgorithms(bucket, context);
      return algorithms.some((algorithm) => algorithm?.startsWith("aws:kms") || algorithm === "(known after apply)") ? [] : [`sse_algorithm ${JSON.stringify(algorithms[0] ?? "AES256 (S3 default)")}`];
    },
  },
  {
    id: "LZ-S3-005",
    title: "Bucket versioning in protected environments",
    severity: "error",
    checkov: ["CKV_AWS_21"],
    resourceTypes: [BUCKET],
    protectedOnly: true,
    fix: 'Add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" }.',
    check: (bucket, context) => {
      const versioning = companions(bucket, context, "aws_s3_bucket_versioning");
      const enabled = versioning.some((resource) => {
        const status = resource.get<string>("versioning_configuration", 0, "status");
        return !status.known || status.value === "Enabled";
      });
      return enabled ? [] : ["versioning is not enabled"];
    },
  },
  {
    id: "LZ-S3-006",
    title: "Bucket ownership is enforced (ACLs disabled)",
    severity: "error",
    checkov: ["CKV2_AWS_65"],
    resourceTypes: [BUCKET],
    fix: 'Add an aws_s3_bucket_ownership_controls for the bucket with rule { object_ownership = "BucketOwnerEnforced" }.',
    check: (bucket, context) => {
      const controls = companions(bucket, context, "aws_s3_bucket_ownership_controls");
      const enforced = controls.some((resource) => resource.value("rule", 0, "object_ownership") === "BucketOwnerEnforced");
      return enforced ? [] : ["object ownership is not BucketOwnerEnforced"];
    },
  },
];
