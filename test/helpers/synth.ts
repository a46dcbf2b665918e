// Synthesizing constructs and environments in tests, and reading the result.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { ReadableIdStack } from "../../modules/core/readable-id-stack.js";
import { synthesize } from "../../src/synth.js";
import { offlinePlan, OfflinePlanResult } from "../../src/terraform/offline-terraform.js";
import { mockApply, mockApplyTestFile } from "../../src/terraform/mock-apply.js";
import { cachedDir, cachedJson, hashFiles, PROJECT_ROOT } from "./test-cache.js";

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

export const REFERENCE_VARIABLES = join(PROJECT_ROOT, "variables");

// What a synthesized environment depends on besides its own variables: the code and the packages.
const SOURCES = ["src", "modules", "stacks", "package-lock.json"].map((path) => join(PROJECT_ROOT, path));
let sourcesHash: string | undefined;

/**
 * A reference environment synthesized once per input hash and shared by every test file (and
 * process) that asks: `stackDir` holds cdk.tf.json and its assets. Treat it as read-only; copy it
 * to run Terraform in it (openOfflineWorkspace does).
 */
export function referenceStack(name: string, variablesDir = REFERENCE_VARIABLES): { stackDir: string; json: SynthJson } {
  sourcesHash ??= hashFiles(SOURCES);
  const key = `${name}-${hashFiles([join(variablesDir, name)])}-${sourcesHash}`;
  const dir = cachedDir(join("stacks", key), (partial) => {
    synthesize({ variablesDir, environments: [name], outdir: join(partial, "out") });
    renameSync(join(partial, "out", "stacks", name), join(partial, "stack"));
    rmSync(join(partial, "out"), { recursive: true, force: true });
  });
  const stackDir = join(dir, "stack");
  return { stackDir, json: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as SynthJson };
}

/**
 * The offline plan of a reference environment, made once per synthesized configuration for the
 * whole test run (and later runs: the cache survives `npm ci`).
 */
export function referencePlan(name: string, variablesDir = REFERENCE_VARIABLES): { json: SynthJson; plan: OfflinePlanResult } {
  const key = `${variablesDir}\0${name}`;
  const known = plansInThisProcess.get(key);
  if (known) return known;
  const { stackDir, json } = referenceStack(name, variablesDir);
  const plan = cachedJson(join("plans", `${name}-${hashFiles([stackDir])}`), () => offlinePlan(stackDir));
  plansInThisProcess.set(key, { json, plan });
  return { json, plan };
}

const plansInThisProcess = new Map<string, { json: SynthJson; plan: OfflinePlanResult }>();

/**
 * Runs `check` (terraform steps over `rootDir`) unless this exact configuration and mock file
 * already passed it: a pass is a cache entry keyed by the hash of both, as plans are.
 */
export function passOnce(rootDir: string, region: string, label: string, check: () => void): void {
  const hash = createHash("sha256").update(mockApplyTestFile(region));
  for (const file of tfFiles(rootDir)) hash.update(file).update(readFileSync(join(rootDir, file)));
  cachedDir(join("passed", `${label}-${hash.digest("hex").slice(0, 24)}`), () => check());
}

/** The mocked apply of a synthesized root (`terraform test` with the mocked provider), once per configuration. */
export function mockApplyCached(rootDir: string, region: string, label: string): void {
  passOnce(rootDir, region, `${label}-mock-apply`, () => mockApply(rootDir, region));
}

function tfFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? tfFiles(dir, join(prefix, entry.name)) : /\.tf(\.json)?$/.test(entry.name) ? [join(prefix, entry.name)] : []))
    .sort();
}
