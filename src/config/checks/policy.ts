// The `policy` section's suppressions must name rules that exist.
import { POLICY_RULES } from "../../policy/rules/index.js";
import { closestKey } from "../suggest.js";
import { ConfigIssue, jsonPath, FileOf } from "../errors.js";
import type { EnvironmentConfig } from "../schema.js";

export function policyIssues(config: EnvironmentConfig, fileOf: FileOf): ConfigIssue[] {
  const ids = POLICY_RULES.map((rule) => rule.id);
  return config.policy.suppressions.flatMap((suppression, index) => {
    if (ids.includes(suppression.rule)) return [];
    const path = ["policy", "suppressions", index, "rule"];
    const hint = closestKey(suppression.rule, ids);
    return [{ file: fileOf(path), path: jsonPath(path), message: `no such policy rule${hint ? ` (did you mean "${hint}"?)` : ""}`, found: JSON.stringify(suppression.rule), expected: "a rule id from docs/review-and-adoption.md" }];
  });
}
