// The shapes shared by the policy engine, its rules and the plan summary.
import type { PlannedResource, PolicyContext } from "./plan-resources.js";

export type Severity = "error" | "warning";

/**
 * A rule's answer for a part it cannot judge from the plan (a value known only after apply that
 * no placeholder makes decidable). Reported as a warning naming the resource, never a silent pass.
 */
export interface Unverifiable {
  readonly unverifiable: string;
}

export const unverifiable = (message: string): Unverifiable => ({ unverifiable: message });

/** A failure message, or a part the rule could not verify. */
export type CheckResult = string | Unverifiable;

/** One check over planned resources, in the style of cdk-nag and checkov. */
export interface PolicyRule {
  /** Stable id, `LZ-<AREA>-<NNN>`; suppressions name it. */
  readonly id: string;
  readonly title: string;
  /** error fails `dms-lz plan`; warning is reported only. */
  readonly severity: Severity;
  /** The checkov checks this rule corresponds to (empty where checkov has none). */
  readonly checkov: readonly string[];
  /** Terraform resource types the rule looks at. */
  readonly resourceTypes: readonly string[];
  /** Applies only when the environment is protected (prod). */
  readonly protectedOnly?: boolean;
  /** How to fix a failure. */
  readonly fix: string;
  /** Failures (and parts it cannot verify) for one resource; none when it passes. */
  check(resource: PlannedResource, context: PolicyContext): readonly CheckResult[];
}

export interface Finding {
  readonly rule: string;
  readonly title: string;
  /** The rule's severity; always warning for an unverifiable finding. */
  readonly severity: Severity;
  /** The rule could not decide: a value it needs is known only after apply. */
  readonly unverifiable?: true;
  readonly checkov: readonly string[];
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

export interface Suppression {
  readonly rule: string;
  /** A Terraform address; `*` matches any run of characters, `?` one character. */
  readonly address: string;
  readonly reason: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

export interface PolicyReport {
  readonly protected: boolean;
  /** Findings not suppressed, errors first. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched no finding: stale config worth deleting. */
  readonly unusedSuppressions: readonly Suppression[];
  /** Rules evaluated and how many resources each looked at. */
  readonly evaluated: readonly { readonly rule: PolicyRule; readonly resources: number }[];
}

export function errorCount(report: PolicyReport): number {
  return report.findings.filter((finding) => finding.severity === "error").length;
}
