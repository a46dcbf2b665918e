// The README's error example is real output: the same two mistakes made in a copy of the dev
// environment give exactly the text the README shows, both problems at once.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../../src/cli.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/** The README's fenced block that starts with "N configuration problems:". */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const match = /```\n(\d+ configuration problems?:\n[\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no configuration-problems example");
  return match[1];
}

it("prints the README's two-problem example for an unknown key and a subnet outside its VPC", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lz-readme-"));
  const previous = process.cwd();
  try {
    cpSync(join(ROOT, "variables"), join(dir, "variables"), { recursive: true });
    const file = join(dir, "variables", "dev", "common.tfvars.json");
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    config.nlb_nme = config.nlb_name;
    delete config.nlb_name;
    config.vpc2_private_subnets = ["10.0.1.0/24", "10.1.2.0/24"];
    writeFileSync(file, JSON.stringify(config, null, 2));

    process.chdir(dir);
    let stderr = "";
    const code = await runCli(["synth", "--env", "dev", "--out", join(dir, "out")], { stdout: () => undefined, stderr: (text) => (stderr += text) });
    expect(code).toBe(1);
    expect(stderr).toBe(readmeExample());
  } finally {
    process.chdir(previous);
    rmSync(dir, { recursive: true, force: true });
  }
});
