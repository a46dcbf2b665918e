// Synthesizes environments to Terraform JSON. Config for every selected environment is loaded
// and validated first, and the stacks synthesize into a scratch directory inside the output that
// replaces each stack only when everything succeeded: a bad environment leaves the output
// untouched. The scratch sits on the output's file system, so stacks move into place by rename;
// their Lambda zips are placed with them (src/stack-placement.ts).
// Each environment is its own App: environments never refer to each other, a one-stack App
// skips cdktf's cross-stack preparing pass (src/cdktf-overrides.ts), and one environment's
// constructs are garbage before the next is built.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { BootstrapStack } from "../stacks/bootstrap-stack.js";
import { bootstrapProps } from "./config/account.js";
import { EnvironmentStack } from "../stacks/environment-stack.js";
import { LoadedEnvironment, loadEnvironments } from "./config/load.js";
import { applyCdktfOverrides, assetsLeftToCaller, CALLER_PLACES_FILE_ASSETS } from "./cdktf-overrides.js";
import { placeStacks, removeTree } from "./stack-placement.js";

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
    // The Apps share the scratch: each writes its stack beside the others' and its manifest over
    // the last one's, so each manifest is read as soon as it is written.
    const synthesized = builders.map(([name, build]) => {
      // Construct stack traces are debugging metadata.
      const app = new App({ outdir: scratch, stackTraces: false, context: { [CALLER_PLACES_FILE_ASSETS]: true } });
      const stack = build(app);
      app.synth();
      const placement = { synthesized: join(scratch, "stacks", name), target: join(outdir, "stacks", name), assets: assetsLeftToCaller(stack) };
      return { placement, manifest: JSON.parse(readFileSync(join(scratch, "manifest.json"), "utf8")) };
    });
    placeStacks(synthesized.map(({ placement }) => placement));
    mergeManifests(synthesized.map(({ manifest }) => manifest), join(outdir, "manifest.json"));
    const stacks = builders.map(([name]) => name);
    done = true;
    return { outdir, environments, stacks: [...stacks].sort() };
  } finally {
    removeTree(created && !done ? outdir : scratch);
  }
}

/** One manifest for every App, keeping stacks synthesized earlier (another --env) listed too. */
function mergeManifests([next, ...others]: readonly { stacks: Record<string, unknown> }[], existing: string): void {
  const previous = existsSync(existing) ? JSON.parse(readFileSync(existing, "utf8")).stacks : {};
  next.stacks = Object.assign({}, previous, next.stacks, ...others.map((manifest) => manifest.stacks));
  writeFileSync(existing, JSON.stringify(next, null, 2));
}
