// Review of one environment's plan: the policy pack over it and the Markdown summary written next
// to the synthesized stack (`cdktf.out/stacks/<env>/plan-summary.md`).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadedEnvironment } from "../config/load.js";
import { policySuppressions } from "../config/policy.js";
import { evaluatePolicy } from "../policy/engine.js";
import type { SynthesizedJson } from "../policy/plan-resources.js";
import { errorCount, PolicyReport } from "../policy/types.js";
import { offlinePlan, PlanJson } from "./offline-terraform.js";
import { renderPlanSummary } from "./plan-summary.js";

export const SUMMARY_FILE = "plan-summary.md";

export interface ReviewResult {
  readonly summaryPath: string;
  readonly policy: PolicyReport;
  readonly errors: number;
}

/** Evaluates the policy over a plan of a synthesized stack and writes the summary beside it. */
export function reviewPlan(environment: LoadedEnvironment, stackDir: string, plan: PlanJson, notes: readonly string[] = []): ReviewResult {
  const synthesized = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as SynthesizedJson;
  const policy = evaluatePolicy({ plan, synthesized, protected: environment.props.protected, suppressions: policySuppressions(environment.config) });
  const summaryPath = join(stackDir, SUMMARY_FILE);
  writeFileSync(summaryPath, renderPlanSummary({ environment: environment.name, plan, synthesized, policy, notes }));
  return { summaryPath, policy, errors: errorCount(policy) };
}

/**
 * The offline plan of a synthesized stack. Import blocks need AWS to read the existing resource,
 * so offline they are left out (those resources show as creates) and a note says so.
 */
export function offlineReviewPlan(stackDir: string): { plan: PlanJson; notes: string[] } {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { import?: { to: string }[] };
  const imports = json.import ?? [];
  if (imports.length === 0) return { plan: offlinePlan(stackDir).planJson, notes: ["Planned offline (no AWS credentials): values AWS assigns show as known after apply."] };
  const scratch = mkdtempSync(join(tmpdir(), "dms-lz-review-"));
  try {
    cpSync(stackDir, scratch, { recursive: true, filter: (source) => !/[\\/]\.terraform$/.test(source) });
    delete json.import;
    writeFileSync(join(scratch, "cdk.tf.json"), JSON.stringify(json));
    return {
      plan: offlinePlan(scratch).planJson,
      notes: [
        "Planned offline (no AWS credentials): values AWS assigns show as known after apply.",
        `${imports.length} import block${imports.length === 1 ? "" : "s"} (${imports.map((block) => `\`${block.to}\``).join(", ")}) need AWS to read the existing resources and were left out of this offline plan, so those resources show as creates; the plan in the pull request shows them as imports.`,
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function hasSynthesizedStack(stackDir: string): boolean {
  return existsSync(join(stackDir, "cdk.tf.json"));
}
