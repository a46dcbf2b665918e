// The policy pack's settings: findings accepted on purpose, each with the reason reviewers see.
import { z } from "zod";

export const policySection = z
  .strictObject({
    suppressions: z
      .array(
        z.strictObject({
          rule: z
            .string()
            .regex(/^LZ-[A-Z0-9]+-\d{3}$/, "expected a rule id such as LZ-DB-002")
            .describe("Id of the rule to suppress, e.g. `LZ-S3-004` (see docs/review-and-adoption.md for the list)."),
          address: z
            .string()
            .min(1)
            .describe("Terraform address the suppression applies to; `*` matches any run of characters and `?` one, e.g. `aws_s3_bucket.media_*`."),
          reason: z.string().trim().min(1, "expected a reason: reviewers see it in the plan summary").describe("Why the finding is accepted; shown in the plan summary next to it. Required."),
        }),
      )
      .default([])
      .describe("Policy findings accepted on purpose. Each is listed, with its reason, in the plan summary; a suppression that matches nothing is reported too."),
  })
  .prefault({})
  .describe("The policy checks `dms-lz plan` runs over the plan.");
