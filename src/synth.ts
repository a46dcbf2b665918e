// Synthesizes environments to Terraform JSON. Config for every selected environment is loaded
// and validated first, and the app synthesizes into a scratch directory that replaces the
// output only when everything succeeded: a bad environment leaves the output untouched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { BootstrapStack } from "../stacks/bootstrap-stack.js";
import { bootstrapProps } from "./config/account.js";
import { EnvironmentStack } from "../stacks/environment-stack.js";
import { LoadedEnvironment, loadEnvironments } from "./config/load.js";

export interface SynthOptions {
  readonly variablesDir: string;
  /** @default every environment */
  readonly environments?: readonly string[];
  /** @default CDKTF_OUTDIR or cdktf.out */
  readonly outdir?: string;
}

export interface SynthResult {
  readonly outdir: string;
  readonly environments: readonly LoadedEnvironment[];
  /** Every stack written: the environments and the bootstraps of their accounts. */
  readonly stacks: readonly string[];
}

export function defaultOutdir(): string {
  return process.env.CDKTF_OUTDIR ?? "cdktf.out";
}

/** Builds the stacks for loaded environments into an App (no I/O). */
export function buildApp(app: App, environments: readonly LoadedEnvironment[]): TerraformStack[] {
  const stacks: TerraformStack[] = environments.map((environment) => new EnvironmentStack(app, environment.props));
  // The bootstrap stacks of the accounts these environments name (applied first, once).
  return [...stacks, ...bootstrapProps(environments).map((props) => new BootstrapStack(app, props))];
}

export function synthesize(options: SynthOptions): SynthResult {
  const environments = loadEnvironments(options.variablesDir, options.environments);
  const outdir = options.outdir ?? defaultOutdir();
  const scratch = mkdtempSync(join(tmpdir(), "dms-lz-synth-"));
  try {
    // Construct stack traces are debugging metadata; capturing one per token costs a tenth of the synth.
    const app = new App({ outdir: scratch, stackTraces: false });
    buildApp(app, environments);
    app.synth();
    mkdirSync(join(outdir, "stacks"), { recursive: true });
    const stacks = readdirSync(join(scratch, "stacks")).sort();
    for (const stack of stacks) {
      const target = join(outdir, "stacks", stack);
      rmSync(target, { recursive: true, force: true });
      cpSync(join(scratch, "stacks", stack), target, { recursive: true });
    }
    mergeManifest(join(scratch, "manifest.json"), join(outdir, "manifest.json"));
    return { outdir, environments, stacks };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Keeps stacks synthesized earlier (another --env) listed alongside the new ones. */
function mergeManifest(fresh: string, existing: string): void {
  const next = JSON.parse(readFileSync(fresh, "utf8"));
  if (existsSync(existing)) {
    const previous = JSON.parse(readFileSync(existing, "utf8"));
    next.stacks = { ...previous.stacks, ...next.stacks };
  }
  writeFileSync(existing, JSON.stringify(next, null, 2));
}
