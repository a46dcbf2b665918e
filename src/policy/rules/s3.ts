// S3 buckets: each bucket's companion resources (public access block, policy, encryption,
// versioning, ownership controls) are found through the references in the plan's configuration.
import type { PlannedResource, PolicyContext } from "../plan-resources.js";
import { readPolicy } from "../policy-document.js";
import { PolicyRule, unverifiable } from "../types.js";

const BUCKET = "aws_s3_bucket";
const PUBLIC_ACCESS_FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

/** The bucket's companion resource of `type` (they name the bucket in `bucket`). */
const companions = (bucket: PlannedResource, context: PolicyContext, type: string) => context.referencing(type, "bucket", bucket);

function sseAlgorithms(bucket: PlannedResource, context: PolicyContext): (string | undefined)[] {
  return companions(bucket, context, "aws_s3_bucket_server_side_encryption_configuration").flatMap((configuration) => {
    const rules = configuration.resolved("rule");
    if (typeof rules === "string") return ["(known after apply)"];
    return ((rules ?? []) as unknown[]).map((_, index) => {
      const algorithm = configuration.resolved("rule", index, "apply_server_side_encryption_by_default", 0, "sse_algorithm");
      return typeof algorithm === "string" && algorithm.includes("⟨") ? "(known after apply)" : (algorithm as string | undefined);
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
      const off = PUBLIC_ACCESS_FLAGS.filter((flag) => blocks.every((block) => block.resolved(flag) !== true));
      if (off.length === 0) return [];
      const unknown = off.filter((flag) => blocks.some((block) => typeof block.resolved(flag) === "string"));
      return unknown.length === off.length ? unknown.map((flag) => unverifiable(`${flag} is known only after apply`)) : [`not true: ${off.filter((flag) => !unknown.includes(flag)).join(", ")}`];
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
      const reads = policies.map((policy) => readPolicy(policy, "policy"));
      const statements = reads.flatMap((read) => (read && "statements" in read ? read.statements : []));
      const deniesPlainHttp = statements.some(
        (statement) =>
          statement.effect === "Deny" &&
          statement.actions.some((action) => action === "*" || action === "s3:*") &&
          (statement.conditions.Bool?.["aws:SecureTransport"] ?? []).includes("false"),
      );
      if (deniesPlainHttp) return [];
      const unreadable = reads.flatMap((read) => (read && "unreadable" in read ? [read.unreadable] : []));
      return unreadable.length > 0 ? unreadable.map((reason) => unverifiable(`bucket policy: ${reason}`)) : ["no Deny statement on aws:SecureTransport = false for s3:*"];
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
      if (algorithms.some((algorithm) => algorithm?.startsWith("aws:kms"))) return [];
      return algorithms.includes("(known after apply)") ? [unverifiable("sse_algorithm is known only after apply")] : [`sse_algorithm ${JSON.stringify(algorithms[0] ?? "AES256 (S3 default)")}`];
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
      const statuses = versioning.map((resource) => resource.resolved("versioning_configuration", 0, "status"));
      if (statuses.includes("Enabled")) return [];
      const unknown = statuses.filter((status) => typeof status === "string" && status.includes("⟨"));
      return unknown.length > 0 ? [unverifiable(`versioning status is ${String(unknown[0])}, known only after apply`)] : ["versioning is not enabled"];
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
      const ownerships = controls.map((resource) => resource.resolved("rule", 0, "object_ownership"));
      if (ownerships.includes("BucketOwnerEnforced")) return [];
      const unknown = ownerships.find((ownership) => typeof ownership === "string" && ownership.includes("⟨"));
      return unknown ? [unverifiable(`object_ownership is ${String(unknown)}, known only after apply`)] : ["object ownership is not BucketOwnerEnforced"];
    },
  },
];
