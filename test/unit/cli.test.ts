// The dms-lz command and the cdktf app entry, as users run them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../helpers/config-fixtures.js";

const ROOT = join(import.meta.dirname, "..", "..");
let tree: VariablesTree | undefined;
const scratch: string[] = [];
afterEach(() => {
  tree?.cleanup();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

function tempOut(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-cli-"));
  scratch.push(dir);
  return join(dir, "out");
}

describe("dms-lz", () => {
  it("synth writes one stack per environment", async () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": validThreeVpc() }, beta: { "a.tfvars.json": validSingleVpc() } });
    const outdir = tempOut();
    const { out, io } = capture();
    expect(await runCli(["synth", "--vars", tree.dir, "--out", outdir], io)).toBe(0);
    expect(out.stdout).toMatch(/synthesized alpha/);
    for (const env of ["alpha", "beta"]) expect(existsSync(join(outdir, "stacks", env, "cdk.tf.json"))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort()).toEqual(["alpha", "beta"]);
  });

  it("synth --env picks one environment", async () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": validThreeVpc() }, beta: { "a.tfvars.json": validSingleVpc() } });
    const outdir = tempOut();
    expect(await runCli(["synth", "--vars", tree.dir, "--out", outdir, "--env", "beta"], capture().io)).toBe(0);
    expect(existsSync(join(outdir, "stacks", "alpha"))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "beta", "cdk.tf.json"))).toBe(true);
  });

  it("synth exits 1 with every problem and writes nothing when config is bad", async () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": { ...validThreeVpc(), vpc_cidr: "x", nlb_nme: "n" } } });
    const outdir = tempOut();
    const { out, io } = capture();
    expect(await runCli(["synth", "--vars", tree.dir, "--out", outdir], io)).toBe(1);
    expect(out.stderr).toMatch(/2 configuration problems/);
    expect(out.stderr).toMatch(/a\.tfvars\.json: \$\.nlb_nme: unknown key \(did you mean "nlb_name"\?\)/);
    expect(existsSync(outdir)).toBe(false);
  });

  it("reads LZ_VARIABLES_DIR when --vars is not given", async () => {
    tree = variablesTree({ gamma: { "a.tfvars.json": validSingleVpc() } });
    const outdir = tempOut();
    process.env.LZ_VARIABLES_DIR = tree.dir;
    try {
      expect(await runCli(["synth", "--out", outdir], capture().io)).toBe(0);
    } finally {
      delete process.env.LZ_VARIABLES_DIR;
    }
    expect(existsSync(join(outdir, "stacks", "gamma", "cdk.tf.json"))).toBe(true);
  });

  it("rejects unknown commands and options with usage", async () => {
    const { out, io } = capture();
    expect(await runCli(["deploy"], io)).toBe(2);
    expect(out.stderr).toMatch(/unknown command "deploy"/);
    expect(await runCli(["synth", "--bogus"], io)).toBe(2);
    expect(out.stderr).toMatch(/Unknown option '--bogus'/);
  });

  it("keeps variables/schema.json and docs/config-reference.md in step with the schema", async () => {
    const { out, io } = capture();
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      expect(await runCli(["schema", "--check"], io), out.stderr).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe("the bundled command (npm run synth, the README's main job)", () => {
  it("builds and writes the same Terraform as the sources", async () => {
    const bundled = tempOut();
    const build = spawnSync(process.execPath, ["build.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const run = spawnSync(process.execPath, ["dist/dms-lz.cjs", "synth", "--out", bundled], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    expect(run.status, run.stderr).toBe(0);
    const fromSources = tempOut();
    expect(await runCli(["synth", "--vars", join(ROOT, "variables"), "--out", fromSources], capture().io)).toBe(0);
    for (const env of ["dev", "prod", "single-vpc"]) {
      const read = (outdir: string) => JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8"));
      expect(read(bundled)).toEqual(read(fromSources));
    }
  });
});

describe("the cdktf app in cdktf.json", () => {
  // `cdktf synth` runs the app with a shell, CDKTF_OUTDIR set to its output directory.
  const app = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;
  const runApp = (env: NodeJS.ProcessEnv) => spawnSync(app, { cwd: ROOT, shell: true, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, encoding: "utf8" });

  it("is the bundled synth, not a TypeScript loader", () => {
    expect(app).not.toMatch(/tsx|ts-node/);
    expect(app).toMatch(/dist\/dms-lz\.cjs synth/);
  });

  it("exits 1 and writes nothing for an invalid tree", () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": { region: "mars" } } });
    const outdir = tempOut();
    const result = runApp({ CDKTF_OUTDIR: outdir, LZ_VARIABLES_DIR: tree.dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\$\.region/);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe("dms-lz --help and setup errors", () => {
  it.each(["synth", "plan", "summary", "schema", "preflight", "verify"])("%s --help prints the command's usage and exits 0", async (command) => {
    const { out, io } = capture();
    expect(await runCli([command, "--help"], io)).toBe(0);
    expect(out.stdout).toContain(`dms-lz ${command}`);
    expect(out.stderr).toBe("");
  });

  const fakeTerraform = (version: string) => {
    const dir = mkdtempSync(join(tmpdir(), "lz-fake-tf-"));
    scratch.push(dir);
    const binary = join(dir, "terraform");
    writeFileSync(binary, `#!/bin/sh\necho '{"terraform_version": "${version}"}'\n`, { mode: 0o755 });
    return binary;
  };

  it.each([
    ["Terraform missing", { LZ_TERRAFORM: "/nonexistent/terraform" }, /^dms-lz plan: Terraform not found \(LZ_TERRAFORM=\/nonexistent\/terraform.*\): install Terraform >= 1\.11\.0 on PATH or set LZ_TERRAFORM to its path\n$/],
    ["Terraform too old", { LZ_TERRAFORM: "old" }, /^dms-lz plan: Terraform 1\.10\.5 found \(LZ_TERRAFORM=.*\), >= 1\.11\.0 needed .*: install Terraform >= 1\.11\.0 on PATH or set LZ_TERRAFORM to its path\n$/],
    ["a mirror without hashicorp/aws", { LZ_TF_PROVIDER_MIRROR: "/nonexistent" }, /^dms-lz plan: LZ_TF_PROVIDER_MIRROR=\/nonexistent holds no hashicorp\/aws provider: point it at .*\n$/],
  ] as [string, Record<string, string>, RegExp][])("plan with %s fails in one line with the fix", async (_, env, message) => {
    tree = variablesTree({ alpha: { "a.tfvars.json": validSingleVpc() } });
    const saved = { LZ_TERRAFORM: process.env.LZ_TERRAFORM, LZ_TF_PROVIDER_MIRROR: process.env.LZ_TF_PROVIDER_MIRROR };
    Object.assign(process.env, env.LZ_TERRAFORM === "old" ? { LZ_TERRAFORM: fakeTerraform("1.10.5") } : env);
    try {
      const { out, io } = capture();
      expect(await runCli(["plan", "--vars", tree.dir, "--out", tempOut()], io)).toBe(1);
      expect(out.stderr).toMatch(message);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("summary with a missing plan file says so in one line", async () => {
    const { out, io } = capture();
    expect(await runCli(["summary", "--env", "dev", "--plan", "/nonexistent/plan.json", "--vars", join(ROOT, "variables"), "--out", tempOut()], io)).toBe(2);
    expect(out.stderr).toBe("dms-lz summary: --plan /nonexistent/plan.json: no such file; expected the output of terraform show -json <planfile>\n");
  });
});
