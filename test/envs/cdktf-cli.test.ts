// `npx cdktf synth` (the cdktf CLI from devDependencies, running the app in cdktf.json) writes the
// same stacks as `dms-lz synth` (`npm run synth`), bootstraps included: same files, byte for byte.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesize } from "../../src/synth.js";
import { REFERENCE_VARIABLES } from "../helpers/synth.js";

const ROOT = join(import.meta.dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "lz-cdktf-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function files(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return found;
}

describe("npx cdktf synth", () => {
  it("gives the same stacks as npm run synth", () => {
    const viaCli = join(scratch, "cdktf-cli");
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" };
    delete env.CDKTF_OUTDIR;
    const result = spawnSync("npx", ["--no-install", "cdktf", "synth", "--output", viaCli], { cwd: ROOT, env, encoding: "utf8", timeout: 180_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

    const viaDmsLz = join(scratch, "dms-lz");
    const synthesized = synthesize({ variablesDir: REFERENCE_VARIABLES, outdir: viaDmsLz });
    const stacks = readdirSync(join(viaCli, "stacks")).sort();
    expect(stacks).toEqual([...synthesized.stacks]);
    expect(stacks).toEqual(expect.arrayContaining(["dev", "prod", "single-vpc", "bootstrap-111122223333-eu-central-1"]));
    for (const stack of stacks) {
      const expected = files(join(viaDmsLz, "stacks", stack));
      const actual = files(join(viaCli, "stacks", stack));
      expect([...actual.keys()].sort(), stack).toEqual([...expected.keys()].sort());
      for (const [path, content] of expected) expect(actual.get(path)?.equals(content), `${stack}/${path}`).toBe(true);
    }
  }, 240_000);
});
