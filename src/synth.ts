// Synthesizes environments to Terraform JSON. Config for every selected environment is loaded
// and validated first, and the stacks synthesize into a scratch directory inside the output that
// replaces each stack only when everything succeeded: a bad environment leaves the output
// untouched. The scratch sits on the output's file system, so stacks move into place by rename.
// Each environment is its own App: environments never refer to each other, a one-stack App
// skips cdktf's cross-stack preparing pass (src/cdktf-overrides.ts), and one environment's
// constructs are garbage before the next is built.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { BootstrapStack } from "../stacks/bootstrap-stack.js";
import { bootstrapProps } from "./config/account.js";
import { EnvironmentStack } from "../stacks/environment-stack.js";
import { LoadedEnvironment, loadEnvironments } from "./config/load.js";
import { applyCdktfOverrides } from "./cdktf-overrides.js";

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

export function synthesize(options: SynthOptions): SynthResult {
  const environments = loadEnvironments(options.variablesDir, options.environments);
  const outdir = options.outdir ?? defaultOutdir();
  const created = !existsSync(outdir);
  mkdirSync(join(outdir, "stacks"), { recursive: true });
  const scratch = mkdtempSync(join(outdir, ".synth-"));
  let done = false;
  try {
    applyCdktfOverrides();
    // One App per stack: the environments, then the bootstraps of the accounts they name.
    const builders: [string, (app: App) => TerraformStack][] = [
      ...environments.map((environment): [string, (app: App) => TerraformStack] => [environment.name, (app) => new EnvironmentStack(app, environment.props)]),
      ...bootstrapProps(environments).map((props): [string, (app: App) => TerraformStack] => [props.stackName, (app) => new BootstrapStack(app, props)]),
    ];
    for (const [name, build] of builders) {
      // Construct stack traces are debugging metadata.
      const app = new App({ outdir: join(scratch, name), stackTraces: false });
      build(app);
      app.synth();
    }
    const stacks = builders.map(([name]) => name);
    for (const name of stacks) {
      const target = join(outdir, "stacks", name);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(scratch, name, "stacks", name), target);
    }
    mergeManifests(stacks.map((name) => join(scratch, name, "manifest.json")), join(outdir, "manifest.json"));
    done = true;
    return { outdir, environments, stacks: [...stacks].sort() };
  } finally {
    rmSync(created && !done ? outdir : scratch, { recursive: true, force: true });
  }
}

/** One manifest for every App, keeping stacks synthesized earlier (another --env) listed too. */
function mergeManifests(fresh: readonly string[], existing: string): void {
  const [next, ...others] = fresh.map((file) => JSON.parse(readFileSync(file, "utf8")));
  const previous = existsSync(existing) ? JSON.parse(readFileSync(existing, "utf8")).stacks : {};
  next.stacks = Object.assign({}, previous, next.stacks, ...others.map((manifest) => manifest.stacks));
  writeFileSync(existing, JSON.stringify(next, null, 2));
}
