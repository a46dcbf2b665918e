// The review and adoption commands of dms-lz: `plan` (offline plan, policy, summary),
// `summary` (policy and summary over a plan made elsewhere, e.g. against real AWS in CI) and
// `synth --module` (a Terraform module for an existing root module).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliIo } from "../cli.js";
import { loadEnvironments, variablesDir } from "../config/load.js";
import type { Finding } from "../policy/types.js";
import { defaultOutdir, synthesize } from "../synth.js";
import { countChanges, PlanJson } from "./offline-terraform.js";
import { DEFAULT_MODULE_NAME, writeTerraformModule } from "./module-mode.js";
import { hasSynthesizedStack, offlineReviewPlan, ReviewResult, reviewPlan } from "./review.js";

const ENVIRONMENT_OPTIONS = {
  env: { type: "string", multiple: true },
  vars: { type: "string" },
  out: { type: "string" },
} as const;

/** `dms-lz plan`: synth, offline plan, policy and summary per environment; 1 on an error finding. */
export function planCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], options: ENVIRONMENT_OPTIONS, strict: true });
  const result = synthesize({ variablesDir: variablesDir(values.vars), environments: values.env, outdir: values.out });
  let failed = false;
  for (const environment of result.environments) {
    const stackDir = join(result.outdir, "stacks", environment.name);
    const { plan, notes } = offlineReviewPlan(stackDir);
    writeFileSync(join(stackDir, "plan.json"), JSON.stringify(plan));
    const review = reviewPlan(environment, stackDir, plan, notes);
    const { add, change, replace, destroy, import: imported } = countChanges(plan);
    io.stdout(`${environment.name}: ${add} to add, ${change} to change, ${replace} to replace, ${destroy} to destroy, ${imported} to import (plan: ${join(stackDir, "plan.json")})\n`);
    failed = report(environment.name, review, io) || failed;
  }
  return failed ? 1 : 0;
}

/** `dms-lz summary --env NAME --plan FILE`: policy and summary over a plan JSON made elsewhere. */
export function summaryCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], options: { ...ENVIRONMENT_OPTIONS, plan: { type: "string" } }, strict: true });
  if (values.env?.length !== 1 || !values.plan) {
    io.stderr("dms-lz summary: give one --env NAME and --plan FILE (terraform show -json of the plan)\n");
    return 2;
  }
  const outdir = values.out ?? defaultOutdir();
  const [environment] = loadEnvironments(variablesDir(values.vars), values.env);
  const stackDir = join(outdir, "stacks", environment.name);
  if (!hasSynthesizedStack(stackDir)) synthesize({ variablesDir: variablesDir(values.vars), environments: values.env, outdir });
  const plan = readPlanJson(values.plan);
  if (typeof plan === "string") {
    io.stderr(`dms-lz summary: --plan ${values.plan}: ${plan}; expected the output of terraform show -json <planfile>\n`);
    return 2;
  }
  const review = reviewPlan(environment, stackDir, plan, ["Planned against AWS with the environment's state backend."]);
  return report(environment.name, review, io) ? 1 : 0;
}

/** `dms-lz synth --module --env NAME --out DIR`: the environment as a module for an existing root module. */
export function moduleSynthCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], options: { ...ENVIRONMENT_OPTIONS, module: { type: "boolean" }, "module-name": { type: "string" } }, strict: true });
  if (values.env?.length !== 1 || !values.out) {
    io.stderr("dms-lz synth --module: give one --env NAME and --out DIR (the module's directory)\n");
    return 2;
  }
  const scratch = mkdtempSync(join(tmpdir(), "dms-lz-module-"));
  try {
    const { environments } = synthesize({ variablesDir: variablesDir(values.vars), environments: values.env, outdir: scratch });
    const moduleName = values["module-name"] ?? DEFAULT_MODULE_NAME;
    const module = writeTerraformModule(environments[0], join(scratch, "stacks", environments[0].name), values.out, moduleName);
    io.stdout(`wrote module ${environments[0].name} -> ${module.dir}\n  variables: ${module.variables.join(", ") || "(none)"}\n  outputs: ${module.outputs.join(", ")}\n`);
    io.stdout(`  call it: module "${moduleName}" { source = "${values.out}" }\n`);
    if (module.importBlocks.length > 0) io.stdout(`  ${module.importBlocks.length} import block(s) for your root module: ${join(module.dir, "imports.tf.example")}\n`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The plan JSON, or what is wrong with the file. */
function readPlanJson(file: string): PlanJson | string {
  let text: string;
  try {
    text = readFileSync(resolve(file), "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `cannot read it (${(error as Error).message})`;
  }
  try {
    const plan = JSON.parse(text) as PlanJson;
    return plan && typeof plan === "object" && "format_version" in plan ? plan : "not a plan JSON (no format_version)";
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
}

/** Prints the policy outcome; true when an error-level finding fails the environment. */
function report(environment: string, review: ReviewResult, io: CliIo): boolean {
  const warnings = review.policy.findings.length - review.errors;
  io.stdout(`${environment}: policy ${review.errors} error(s), ${warnings} warning(s), ${review.policy.suppressed.length} suppressed (summary: ${review.summaryPath})\n`);
  const line = (finding: Finding) => `  ${finding.severity} ${finding.rule} ${finding.address}: ${finding.title}: ${finding.message}\n    fix: ${finding.fix}\n`;
  for (const finding of review.policy.findings) (finding.severity === "error" ? io.stderr : io.stdout)(line(finding));
  return review.errors > 0;
}
