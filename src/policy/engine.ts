// Runs the policy pack over a plan: every rule over every resource of its types, then the
// configured suppressions (each with its reason) move matching findings aside. A rule that cannot
// decide (a value known only after apply) yields an "unverifiable" warning naming the resource.
import type { PlanJson } from "../terraform/offline-terraform.js";
import { PolicyContext, SynthesizedJson } from "./plan-resources.js";
import { POLICY_RULES } from "./rules/index.js";
import type { Finding, PolicyReport, PolicyRule, SuppressedFinding, Suppression } from "./types.js";

export interface PolicyInput {
  /** `terraform show -json` of the plan. */
  readonly plan: PlanJson;
  /** The synthesized JSON the plan was made from: lifecycle settings and policies known only after apply. */
  readonly synthesized?: SynthesizedJson;
  /** Whether the environment is protected (prod): turns on the protected-only rules. */
  readonly protected: boolean;
  /** @default none */
  readonly suppressions?: readonly Suppression[];
  /** @default the whole pack */
  readonly rules?: readonly PolicyRule[];
}

export function evaluatePolicy(input: PolicyInput): PolicyReport {
  const context = new PolicyContext(input.plan, input.protected, input.synthesized);
  const rules = (input.rules ?? POLICY_RULES).filter((rule) => input.protected || !rule.protectedOnly);
  const raw: Finding[] = [];
  const evaluated = rules.map((rule) => {
    const resources = context.resources.filter((resource) => rule.resourceTypes.includes(resource.type));
    for (const resource of resources) {
      for (const result of rule.check(resource, context)) {
        const common = { rule: rule.id, title: rule.title, checkov: rule.checkov, address: resource.address, fix: rule.fix };
        raw.push(typeof result === "string" ? { ...common, severity: rule.severity, message: result } : { ...common, severity: "warning", unverifiable: true, message: `unverifiable: ${result.unverifiable}` });
      }
    }
    return { rule, resources: resources.length };
  });

  const suppressions = input.suppressions ?? [];
  const used = new Set<Suppression>();
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of raw) {
    const match = suppressions.find((suppression) => suppression.rule === finding.rule && addressPattern(suppression.address).test(finding.address));
    if (match) {
      used.add(match);
      suppressed.push({ ...finding, reason: match.reason });
    } else {
      findings.push(finding);
    }
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { protected: input.protected, findings, suppressed, unusedSuppressions: suppressions.filter((suppression) => !used.has(suppression)), evaluated };
}

/** A glob over a Terraform address: `*` any run of characters, `?` one; everything else literal. */
export function addressPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
