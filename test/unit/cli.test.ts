// The dms-lz command and the cdktf app entry, as users run them.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
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

/** Every path of an output folder with its mode and content (folders as "/"). */
function outputTree(dir: string): Record<string, string> {
  const paths = (readdirSync(dir, { recursive: true }) as string[]).sort();
  return Object.fromEntries(
    paths.map((path) => {
      const stats = lstatSync(join(dir, path));
      return [path, `${stats.mode.toString(8)} ${stats.isDirectory() ? "/" : readFileSync(join(dir, path), "base64")}`];
    }),
  );
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

  it("a re-synth leaves each stack as a synth into an empty folder does, keeps unchanged zips, and removes a symbolic link in a stack's place without following it", async () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": validThreeVpc() }, beta: { "a.tfvars.json": validSingleVpc() } });
    const outdir = tempOut();
    const synth = () => runCli(["synth", "--vars", tree!.dir, "--out", outdir], capture().io);
    expect(await synth()).toBe(0);
    // The Lambda zips a re-synth keeps are left untouched (src/stack-placement.ts).
    const zips = (readdirSync(join(outdir, "stacks", "alpha"), { recursive: true }) as string[]).filter((path) => path.endsWith(".zip")).map((path) => join(outdir, "stacks", "alpha", path));
    expect(zips.length).toBeGreaterThan(0);
    for (const zip of zips) utimesSync(zip, new Date(0), new Date(0));
    mkdirSync(join(outdir, "stacks", "alpha", "stale", "deeper"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "alpha", "stale", "deeper", "old.zip"), "old");
    const outside = mkdtempSync(join(tmpdir(), "lz-cli-outside-"));
    scratch.push(outside);
    writeFileSync(join(outside, "keep.txt"), "not the output's");
    rmSync(join(outdir, "stacks", "beta"), { recursive: true });
    symlinkSync(outside, join(outdir, "stacks", "beta"));
    expect(await synth()).toBe(0);
    expect(existsSync(join(outdir, "stacks", "alpha", "stale"))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "alpha", "cdk.tf.json"))).toBe(true);
    expect(readFileSync(join(outside, "keep.txt"), "utf8")).toBe("not the output's");
    expect(lstatSync(join(outdir, "stacks", "beta")).isDirectory()).toBe(true);
    expect(readdirSync(outdir).sort()).toEqual(["manifest.json", "stacks"]);
    for (const zip of zips) expect(statSync(zip).mtimeMs).toBe(0);
    // And the output is what a synth into an empty folder writes.
    const fresh = tempOut();
    expect(await runCli(["synth", "--vars", tree.dir, "--out", fresh], capture().io)).toBe(0);
    expect(outputTree(outdir)).toEqual(outputTree(fresh));
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

describe("the bundled command (npm run synth, npx dms-lz, the README's main job)", () => {
  it("builds when needed and writes the same Terraform as the sources", async () => {
    const bundled = tempOut();
    const run = spawnSync(process.execPath, ["bin/dms-lz.js", "synth", "--out", bundled], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    expect(run.status, run.stderr).toBe(0);
    const fromSources = tempOut();
    expect(await runCli(["synth", "--vars", join(ROOT, "variables"), "--out", fromSources], capture().io)).toBe(0);
    for (const env of ["dev", "prod", "single-vpc"]) {
      const read = (outdir: string) => JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8"));
      expect(read(bundled)).toEqual(read(fromSources));
    }
  });
});

describe("bin/dms-lz.js", () => {
  it("rebuilds dist/ only when a source is newer than the last build", () => {
    const run = () => spawnSync(process.execPath, ["bin/dms-lz.js", "--help"], { cwd: ROOT, encoding: "utf8" });
    const builtAt = () => JSON.parse(readFileSync(join(ROOT, "dist", "build-inputs.json"), "utf8")).startedMs as number;
    expect(run().status).toBe(0);
    const first = builtAt();
    expect(run().status).toBe(0);
    expect(builtAt()).toBe(first);
    const later = new Date(Date.now() + 1000);
    utimesSync(join(ROOT, "src", "cli-main.ts"), later, later);
    expect(run().status).toBe(0);
    expect(builtAt()).toBeGreaterThan(first);
  });
});

describe("the cdktf app in cdktf.json", () => {
  const app = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;

  it("is the bundled dms-lz synth, with no TypeScript loader", () => {
    expect(app).toBe("node bin/dms-lz.js synth");
  });

  it("synthesizes every reference environment into CDKTF_OUTDIR, as `cdktf synth` runs it", () => {
    const outdir = tempOut();
    const result = spawnSync(app, { shell: true, cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    for (const env of ["dev", "prod", "single-vpc"]) expect(existsSync(join(outdir, "stacks", env, "cdk.tf.json"))).toBe(true);
  });

  it("exits 1 and writes nothing for an invalid tree", () => {
    tree = variablesTree({ alpha: { "a.tfvars.json": { region: "mars" } } });
    const outdir = tempOut();
    const result = spawnSync(app, { shell: true, cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir, LZ_VARIABLES_DIR: tree.dir }, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\$\.region/);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe("dms-lz --help and setup errors", () => {
  it.each(["synth", "plan", "summary", "schema", "preflight", "verify", "cutover"])("%s --help prints the command's usage and exits 0", async (command) => {
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
