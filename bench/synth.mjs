// npm run bench: median wall time and peak RSS of synthesizing every reference environment (the
// README main job, bundled as `npm run synth` runs it), over 5 runs, next to the cost of
// loading cdktf alone in the same run. Targets: ratio <= 4, peak RSS <= 250 MB.
import { spawnSync } from "node:child_process";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Runs node with args; the child prints `{ maxRssKb }` as its last line. */
function measure(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stderr}`);
  const report = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
  return { seconds, rssMb: report.maxRssKb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const baseline = [];
const synth = [];
for (let run = 0; run < RUNS; run++) {
  baseline.push(measure(["-e", "require('cdktf'); process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }))"]));
  synth.push(measure(["dist/bench-synth-once.cjs"]));
}
const baseSeconds = median(baseline.map((s) => s.seconds));
const synthSeconds = median(synth.map((s) => s.seconds));
const peakRss = Math.max(...synth.map((s) => s.rssMb));
console.log(`require('cdktf'):        median ${baseSeconds.toFixed(2)} s, peak RSS ${Math.max(...baseline.map((s) => s.rssMb)).toFixed(0)} MB`);
console.log(`synth all environments:  median ${synthSeconds.toFixed(2)} s, peak RSS ${peakRss.toFixed(0)} MB (${RUNS} runs)`);
console.log(`synth-bench ratio=${(synthSeconds / baseSeconds).toFixed(2)} synth_s=${synthSeconds.toFixed(2)} cdktf_require_s=${baseSeconds.toFixed(2)} peak_rss_mb=${peakRss.toFixed(0)}`);
