// The two cdktf overrides (src/cdktf-overrides.ts): token stack traces are off, the preparing pass
// is skipped only where no other stack exists, and a reference environment synthesizes to the same
// bytes with and without them.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Lazy, TerraformOutput, TerraformStack } from "cdktf";
import { TokenMap } from "cdktf/lib/tokens/private/token-map.js";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { afterEach, describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { EnvironmentStack } from "../../stacks/environment-stack.js";
import { applyCdktfOverrides } from "../../src/cdktf-overrides.js";
import { loadEnvironments } from "../../src/config/load.js";
import { REFERENCE_VARIABLES } from "../helpers/synth.js";

const scratch: string[] = [];
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function outdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-overrides-"));
  scratch.push(dir);
  return dir;
}

function synthReference(name: string): string {
  const [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
  const dir = outdir();
  const app = new App({ outdir: dir, stackTraces: false });
  new EnvironmentStack(app, environment.props);
  app.synth();
  return readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8");
}

describe("cdktf overrides", () => {
  it("stop the stack trace cdktf captures for every token", () => {
    const creationStack = () => (TokenMap.instance().lookupString(Lazy.stringValue({ produce: () => "x" })) as unknown as { creationStack: string[] }).creationStack;
    expect(creationStack().length).toBeGreaterThan(0);
    restore = applyCdktfOverrides();
    expect(creationStack()).toEqual([]);
  });

  it("leave the output of a reference environment byte for byte the same", () => {
    for (const name of ["dev", "single-vpc"]) {
      const before = synthReference(name);
      restore = applyCdktfOverrides();
      const after = synthReference(name);
      restore();
      restore = undefined;
      expect(after).toBe(before);
    }
  });

  it("keep cross-stack references working where an App holds more than one stack", () => {
    restore = applyCdktfOverrides();
    const dir = outdir();
    const app = new App({ outdir: dir, stackTraces: false });
    const producer = new TerraformStack(app, "producer");
    addAwsProvider(producer, { region: "eu-west-1", defaultTags: {} });
    const parameter = new SsmParameter(producer, "shared", { name: "/shared", type: "String", value: "v" });
    const consumer = new TerraformStack(app, "consumer");
    addAwsProvider(consumer, { region: "eu-west-1", defaultTags: {} });
    new TerraformOutput(consumer, "arn", { value: parameter.arn });
    app.synth();
    const consumerJson = JSON.parse(readFileSync(join(dir, "stacks", "consumer", "cdk.tf.json"), "utf8"));
    expect(consumerJson.data?.terraform_remote_state).toBeDefined();
    expect(JSON.stringify(consumerJson.output)).toContain("data.terraform_remote_state");
  });
});
