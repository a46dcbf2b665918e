// One synth of every reference environment, reporting this process's peak RSS (run by synth.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesize } from "../src/synth.js";

const outdir = mkdtempSync(join(tmpdir(), "lz-bench-synth-"));
try {
  const result = synthesize({ variablesDir: process.env.LZ_VARIABLES_DIR ?? "variables", outdir });
  process.stdout.write(JSON.stringify({ environments: result.environments.length, maxRssKb: process.resourceUsage().maxRSS }));
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
