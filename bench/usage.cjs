// Preloaded into every node process a benchmark starts (NODE_OPTIONS=--require): appends the
// process's CPU time and peak RSS to LZ_BENCH_USAGE_FILE when it exits.
const { appendFileSync } = require("node:fs");

const file = process.env.LZ_BENCH_USAGE_FILE;
if (file) {
  process.once("exit", () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS })}\n`);
  });
}
