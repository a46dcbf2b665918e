// The policy pack's settings: findings accepted on purpose, each with the reason reviewers see.
// A suppression must name a rule that exists.
import { z } from "zod";
import { POLICY_RULES } from "../policy/rules/index.js";
import type { Suppression } from "../policy/types.js";
import { crossCheck } from "./check.js";
import type { EnvironmentConfig } from "./schema.js";
import { closestKey } from "./suggest.js";

const policySection = z
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

export const policyKeys = { policy: policySection };

export const policyCheck = crossCheck(["policy"], (config, _context, issue) => {
  const ids = POLICY_RULES.map((rule) => rule.id);
  config.policy.suppressions.forEach((suppression, index) => {
    if (ids.includes(suppression.rule)) return;
    const hint = closestKey(suppression.rule, ids);
    issue(["policy", "suppressions", index, "rule"], `no such policy rule${hint ? ` (did you mean "${hint}"?)` : ""}`, JSON.stringify(suppression.rule), "a rule id from docs/review-and-adoption.md");
  });
});

/** The policy engine's suppressions. */
export function policySuppressions(config: Pick<EnvironmentConfig, "policy">): Suppression[] {
  return config.policy.suppressions.map((suppression) => ({ rule: suppression.rule, address: suppression.address, reason: suppression.reason }));
}
