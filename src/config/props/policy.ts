// The validated `policy` section → the policy engine's suppressions.
import type { Suppression } from "../../policy/types.js";
import type { EnvironmentConfig } from "../schema.js";

export function policySuppressions(config: EnvironmentConfig): Suppression[] {
  return config.policy.suppressions.map((suppression) => ({ rule: suppression.rule, address: suppression.address, reason: suppression.reason }));
}
