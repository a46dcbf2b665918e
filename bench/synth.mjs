// npm run bench: the cost of synthesizing every reference environment through both entry points
// (`dms-lz synth` as bin/dms-lz.js runs it, and the cdktf.json app as `cdktf synth` runs it),
// against loading cdktf alone, and the cost per added environment (1, 10 and 40 copies of one).
// On a shared machine wall time says more about the neighbours than about us, so each ratio is
// taken in a pair (baseline and entry point run back to back) on CPU time (user + system of every
// node process the command starts, reported by bench/usage.cjs), and the median pair is kept.
// Targets: ratio_cpu <= 3, peak RSS <= 150 MB, per added environment <= 60 ms CPU and <= 2 MB.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COPIES = [1, 10, 40];
const COPIED_ENV = process.env.BENCH_COPIED_ENV ?? "dev";
// BENCH_SYNTH_CMD measures another synth command the same way (e.g. an older build's).
const SYNTH = process.env.BENCH_SYNTH_CMD ?? "node bin/dms-lz.js synth";
const APP = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app;
const BASELINE = `node -e "require('cdktf')"`;
const scratch = mkdtempSync(join(tmpdir(), "lz-bench-"));

/** Runs a shell command in the project; CPU summed and RSS maxed over its node processes. */
function measure(command, env = {}) {
  const usageFile = join(scratch, "usage.jsonl");
  rmSync(usageFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(command, {
    cwd: ROOT,
    shell: true,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(ROOT, "bench", "usage.cjs")}`, LZ_BENCH_USAGE_FILE: usageFile },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  const usages = readFileSync(usageFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  return { wallMs, cpuMs: usages.reduce((sum, usage) => sum + usage.cpuMs, 0), rssMb: Math.max(...usages.map((usage) => usage.maxRssKb)) / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value, digits = 2) => value.toFixed(digits);

/** Paired runs of the baseline and a command; prints each pair, returns medians. */
function pairs(label, command, env) {
  measure(command, env); // warm: builds dist/ and the code cache if they are missing
  const rows = [];
  for (let run = 0; run < RUNS; run++) {
    const base = measure(BASELINE);
    const entry = measure(command, env);
    rows.push({ base, entry, cpu: entry.cpuMs / base.cpuMs, wall: entry.wallMs / base.wallMs });
    console.log(`${label} pair ${run + 1}: cpu ${fmt(entry.cpuMs, 0)}/${fmt(base.cpuMs, 0)} ms = ${fmt(entry.cpuMs / base.cpuMs)}x, wall ${fmt(entry.wallMs, 0)}/${fmt(base.wallMs, 0)} ms = ${fmt(entry.wallMs / base.wallMs)}x, rss ${fmt(entry.rssMb, 0)} MB`);
  }
  const result = { cpu: median(rows.map((row) => row.cpu)), wall: median(rows.map((row) => row.wall)), rssMb: Math.max(...rows.map((row) => row.entry.rssMb)) };
  console.log(`${label}: median ${fmt(result.cpu)}x CPU, ${fmt(result.wall)}x wall of require('cdktf'), peak RSS ${fmt(result.rssMb, 0)} MB`);
  return result;
}

/** A variables tree with n copies of one reference environment. */
function copies(n) {
  const dir = join(scratch, `vars-${n}`);
  const source = join(ROOT, "variables", COPIED_ENV);
  for (let index = 1; index <= n; index++) {
    const name = `${COPIED_ENV}${String(index).padStart(2, "0")}`;
    cpSync(source, join(dir, name), { recursive: true });
    for (const file of readdirSync(join(dir, name))) {
      const path = join(dir, name, file);
      writeFileSync(path, readFileSync(path, "utf8").replaceAll(`"${COPIED_ENV}"`, `"${name}"`));
    }
  }
  return dir;
}

try {
  const out = join(scratch, "out");
  const synth = pairs("dms-lz synth", `${SYNTH} --out ${out}`);
  const app = pairs("cdktf.json app", APP, { CDKTF_OUTDIR: join(scratch, "app-out") });

  const perCopies = COPIES.map((n) => {
    const vars = copies(n);
    measure(`${SYNTH} --vars ${vars} --out ${out}-${n}`);
    const runs = Array.from({ length: Math.max(3, Math.ceil(RUNS / 2)) }, () => measure(`${SYNTH} --vars ${vars} --out ${out}-${n}`));
    const row = { n, cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: median(runs.map((r) => r.rssMb)) };
    console.log(`${n} cop${n === 1 ? "y" : "ies"} of ${COPIED_ENV}: median ${fmt(row.cpuMs, 0)} ms CPU, ${fmt(row.rssMb, 0)} MB`);
    return row;
  });
  const first = perCopies[0];
  const last = perCopies[perCopies.length - 1];
  const perEnvMs = (last.cpuMs - first.cpuMs) / (last.n - first.n);
  const perEnvMb = (last.rssMb - first.rssMb) / (last.n - first.n);
  console.log(`per added environment: ${fmt(perEnvMs, 0)} ms CPU, ${fmt(perEnvMb)} MB`);
  console.log(`synth-bench ratio_cpu=${fmt(synth.cpu)} app_ratio_cpu=${fmt(app.cpu)} peak_rss_mb=${fmt(Math.max(synth.rssMb, app.rssMb), 0)} per_env_ms=${fmt(perEnvMs, 0)}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
