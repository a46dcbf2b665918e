// Synthesizing constructs and environments in tests, and reading the result.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { ReadableIdStack } from "../../modules/core/readable-id-stack.js";
import { synthesize } from "../../src/synth.js";
import { offlinePlan, OfflinePlanResult } from "../../src/terraform/offline-terraform.js";
import { mockApply, mockApplyTestFile } from "../../src/terraform/mock-apply.js";

export type SynthJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown>;
  import?: unknown[];
  moved?: unknown[];
  check?: Record<string, unknown>;
  [key: string]: unknown;
};

/**
 * Synthesizes whatever `build` adds to a fresh stack (with readable addresses, as the
 * environments use) and returns the parsed Terraform JSON.
 */
export function synthConstruct(build: (scope: Construct) => void): SynthJson {
  const outdir = mkdtempSync(join(tmpdir(), "lz-unit-"));
  try {
    const app = Testing.stubVersion(new App({ outdir, stackTraces: false }));
    const stack = new ReadableIdStack(app, "test");
    build(stack);
    return JSON.parse(Testing.synth(stack)) as SynthJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every resource of a Terraform type, keyed by name. */
export function resourcesOf(json: SynthJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The one resource of a type; fails when there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export const REFERENCE_VARIABLES = join(import.meta.dirname, "..", "..", "variables");

/** Synthesizes one environment into a temp dir and returns its cdk.tf.json path and parsed JSON. */
export function synthEnvironment(name: string, variablesDir = REFERENCE_VARIABLES): { stackDir: string; json: SynthJson; cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), "lz-env-"));
  synthesize({ variablesDir, environments: [name], outdir });
  const stackDir = join(outdir, "stacks", name);
  return { stackDir, json: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")), cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

const PLAN_CACHE = join(import.meta.dirname, "..", "..", "node_modules", ".cache", "dms-lz-plans");

/**
 * The offline plan of a reference environment. Plans are slow (real Terraform and provider), so
 * they are cached on disk by the hash of the synthesized configuration: any change to the
 * output is planned afresh.
 */
export function referencePlan(name: string, variablesDir = REFERENCE_VARIABLES): { json: SynthJson; plan: OfflinePlanResult } {
  // Test files ask for the same environment many times; synthesize and read it once per file.
  const key = `${variablesDir}\0${name}`;
  const known = plansInThisProcess.get(key);
  if (known) return known;
  const result = planEnvironment(name, variablesDir);
  plansInThisProcess.set(key, result);
  return result;
}

const plansInThisProcess = new Map<string, { json: SynthJson; plan: OfflinePlanResult }>();

function planEnvironment(name: string, variablesDir: string): { json: SynthJson; plan: OfflinePlanResult } {
  const { stackDir, json, cleanup } = synthEnvironment(name, variablesDir);
  try {
    const key = createHash("sha256").update(readFileSync(join(stackDir, "cdk.tf.json"))).digest("hex").slice(0, 24);
    const cached = join(PLAN_CACHE, `${name}-${key}.json`);
    if (existsSync(cached)) return { json, plan: JSON.parse(readFileSync(cached, "utf8")) };
    const plan = offlinePlan(stackDir);
    mkdirSync(PLAN_CACHE, { recursive: true });
    writeFileSync(cached, JSON.stringify(plan));
    return { json, plan };
  } finally {
    cleanup();
  }
}

/**
 * Runs `check` (terraform steps over `rootDir`) unless this exact configuration and mock file
 * already passed it: a pass is cached on disk by the hash of both, as plans are.
 */
export function passOnce(rootDir: string, region: string, label: string, check: () => void): void {
  const hash = createHash("sha256").update(mockApplyTestFile(region));
  for (const file of tfJsonFiles(rootDir)) hash.update(file).update(readFileSync(join(rootDir, file)));
  const marker = join(PLAN_CACHE, `${label}-${hash.digest("hex").slice(0, 24)}.passed`);
  if (existsSync(marker)) return;
  check();
  mkdirSync(PLAN_CACHE, { recursive: true });
  writeFileSync(marker, "");
}

/** The mocked apply of a synthesized root (`terraform test` with the mocked provider), once per configuration. */
export function mockApplyCached(rootDir: string, region: string, label: string): void {
  passOnce(rootDir, region, `${label}-mock-apply`, () => mockApply(rootDir, region));
}

function tfJsonFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? tfJsonFiles(dir, join(prefix, entry.name)) : /\.tf(\.json)?$/.test(entry.name) ? [join(prefix, entry.name)] : []))
    .sort();
}
