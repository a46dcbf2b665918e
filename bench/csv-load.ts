// Benchmark of the CSV pipeline's handler (the built bundle, in a child process, streaming from a
// local S3 server) against `psql \copy` of the same file into the same PostgreSQL server, plain
// and gzip-compressed (psql then reads `FROM PROGRAM 'gzip -dc'`). Runs alternate psql/handler and
// each pair's ratio is printed, as the machine is shared and noisy.
// Run: npm run bench:csv. The last line is machine-readable.
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import pg from "pg";
import { csvPipelineBundleZip } from "../modules/csv-pipeline/csv-pipeline.js";
import { extractLambdaZip } from "../test/helpers/lambda-zip.js";
import { accountsTableDdl, writeAccountsCsv } from "../test/helpers/csv-fixtures.js";
import { startPostgres, type PostgresServer } from "../test/helpers/postgres-server.js";
import { putObjectAndEvent, startS3Server, type S3Server } from "../test/helpers/s3-server.js";

const BUCKET = "bench";
const RUNS = 3;
const READER_INTERVAL_MS = 50;

interface HandlerRun {
  /** The timed load, after the warm-up. */
  readonly ms: number;
  /** The warm-up: a one-row load in the fresh process. */
  readonly firstMs: number;
  readonly maxRssMb: number;
  /** CPU seconds the handler's process used (user + system), start-up included. */
  readonly cpuS: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Runs the bundled handler in a fresh `node` process: first on a one-row warm-up object (the AWS
 * SDK's and pg's first-use set-up, which a warm Lambda has behind it), then on `event`, timed.
 */
function runHandler(bundleDir: string, env: Record<string, string>, warmUp: unknown, event: unknown): Promise<HandlerRun> {
  const script = `
    const { handler } = require("./index.js");
    const load = async (event) => {
      const start = performance.now();
      const { status, error } = (await handler(event)).results[0];
      if (status !== "loaded") throw new Error(status + ": " + error);
      return performance.now() - start;
    };
    (async () => {
      const firstMs = await load(JSON.parse(process.env.BENCH_WARM_UP));
      const ms = await load(JSON.parse(process.env.BENCH_EVENT));
      const usage = process.resourceUsage();
      const cpuS = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
      process.stdout.write("BENCH " + JSON.stringify({ ms, firstMs, cpuS, maxRssMb: usage.maxRSS / 1024 }) + "\\n");
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ["-e", script], {
    cwd: bundleDir,
    env: { PATH: process.env.PATH ?? "", BENCH_WARM_UP: JSON.stringify(warmUp), BENCH_EVENT: JSON.stringify(event), ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.on("close", (code) => {
      const line = stdout.split("\n").find((text) => text.startsWith("BENCH "));
      if (code !== 0 || !line) reject(new Error(`handler run failed (${code}): ${stderr}`));
      else resolve(JSON.parse(line.slice("BENCH ".length)) as HandlerRun);
    }),
  );
}

/** Runs psql with `commands` (psql meta-commands allowed) and returns the wall time in ms. */
function runPsql(postgres: PostgresServer, commands: readonly string[]): Promise<number> {
  const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", postgres.host, "-p", String(postgres.port), "-U", postgres.user, "-d", postgres.database];
  for (const command of commands) args.push("-c", command);
  const start = performance.now();
  const child = spawn(join(postgres.binDir, "psql"), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`psql failed (${code}): ${stderr}`)))),
  );
}

/** Polls `SELECT count(*)` every READER_INTERVAL_MS until stopped; returns the longest query and the counts seen. */
function startReader(connectionString: string) {
  const client = new pg.Client({ connectionString });
  let running = true;
  let longestMs = 0;
  const counts = new Set<number>();
  const done = (async () => {
    await client.connect();
    while (running) {
      const start = performance.now();
      const result = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts");
      const ms = performance.now() - start;
      longestMs = Math.max(longestMs, ms);
      counts.add(result.rows[0].n);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, READER_INTERVAL_MS - ms)));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { longestMs, counts: [...counts].sort((a, b) => a - b) };
    },
  };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), "lz-bench-csv-"));
  let postgres: PostgresServer | undefined;
  let s3: S3Server | undefined;
  try {
    [postgres, s3] = await Promise.all([startPostgres(), startS3Server([BUCKET])]);
    const admin = new pg.Client({ connectionString: postgres.connectionString });
    await admin.connect();
    await admin.query(accountsTableDdl("accounts"));
    await admin.query("CREATE TABLE warm_up (id int PRIMARY KEY, name text)");

    const file1m = join(workDir, "accounts-1m.csv");
    const file2m = join(workDir, "accounts-2m.csv");
    const gzip1m = join(workDir, "accounts-1m.csv.gz");
    const bytes1m = await writeAccountsCsv(file1m, 1_000_000);
    await writeAccountsCsv(file2m, 2_000_000);
    await pipeline(createReadStream(file1m), createGzip(), createWriteStream(gzip1m));
    console.log(`generated 1M rows (${round(bytes1m / 1e6, 1)} MB, gzip ${round(statSync(gzip1m).size / 1e6, 1)} MB) and 2M rows`);
    const event1m = await putObjectAndEvent(s3.client, BUCKET, "append/accounts-1m.csv", { file: file1m });
    const gzipEvent = await putObjectAndEvent(s3.client, BUCKET, "append/accounts-1m.csv.gz", { file: gzip1m });
    const event2m = await putObjectAndEvent(s3.client, BUCKET, "append/accounts-2m.csv", { file: file2m });
    const replaceEvent = await putObjectAndEvent(s3.client, BUCKET, "replace/accounts-1m.csv", { file: file1m });
    const warmUp = await putObjectAndEvent(s3.client, BUCKET, "warm-up/w.csv", "id,name\n1,warm\n");
    const bundleDir = extractLambdaZip(csvPipelineBundleZip());

    const env = {
      ...s3.env,
      ...postgres.env,
      CSV_LOADS: JSON.stringify([
        { prefix: "append/", table: "public.accounts", mode: "append" },
        { prefix: "replace/", table: "public.accounts", mode: "replace" },
        { prefix: "warm-up/", table: "public.warm_up", mode: "replace" },
      ]),
    };
    // Each run starts from an empty table and forgets earlier loads (and their sequencers), so the same object loads again.
    const reset = async () => {
      await admin.query("TRUNCATE accounts");
      await admin.query("DELETE FROM csv_pipeline.loads").catch(() => undefined);
      await admin.query("DELETE FROM csv_pipeline.newest_sequencers").catch(() => undefined);
      await admin.query("CHECKPOINT");
    };

    const copyFile = `\\copy accounts FROM '${file1m}' WITH (FORMAT csv, HEADER true)`;

    /** RUNS pairs of loads into an empty table, psql then the handler, so background load hits both alike. */
    const appendPairs = async (psqlCommand: string, event: unknown) => {
      const psqlMs: number[] = [];
      const runs: HandlerRun[] = [];
      for (let run = 0; run < RUNS; run++) {
        await reset();
        psqlMs.push(await runPsql(postgres!, [psqlCommand]));
        await reset();
        runs.push(await runHandler(bundleDir, env, warmUp, event));
      }
      const ratios = runs.map((r, i) => psqlMs[i] / r.ms);
      const summary =
        `psql ${Math.round(1e9 / median(psqlMs))} rows/s, handler ${Math.round(1e9 / median(runs.map((r) => r.ms)))} rows/s (medians of ${RUNS}), ` +
        `ratio per pair ${ratios.map((r) => round(r)).join(", ")}, handler peak RSS ${runs.map((r) => round(r.maxRssMb, 1)).join(", ")} MB, ` +
        `handler process CPU ${round(median(runs.map((r) => r.cpuS)), 1)} s, first (warm-up) invocation ${Math.round(median(runs.map((r) => r.firstMs)))} ms`;
      return { ratio: median(ratios), rssMb: median(runs.map((r) => r.maxRssMb)), summary };
    };

    const plain = await appendPairs(copyFile, event1m);
    console.log(`append 1M: ${plain.summary}`);
    // The same rows gzip-compressed: the handler decompresses as it streams; psql reads the file through gzip -dc.
    const gzip = await appendPairs(`\\copy accounts FROM PROGRAM 'gzip -dc ${gzip1m}' WITH (FORMAT csv, HEADER true)`, gzipEvent);
    console.log(`append 1M gzip (psql: \\copy FROM PROGRAM 'gzip -dc'): ${gzip.summary}`);

    // replace 1M rows with the same 1M keys; psql does the same work (BEGIN; DELETE; \copy; COMMIT).
    const fillTable = async () => {
      await reset();
      await runPsql(postgres!, [copyFile]);
      await admin.query("VACUUM ANALYZE accounts");
    };
    const psqlReplaceMs: number[] = [];
    const replaceRuns: HandlerRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      await fillTable();
      psqlReplaceMs.push(await runPsql(postgres, ["BEGIN", "DELETE FROM accounts", copyFile, "COMMIT"]));
      await fillTable();
      replaceRuns.push(await runHandler(bundleDir, env, warmUp, replaceEvent));
    }
    const psqlReplaceRate = 1e9 / median(psqlReplaceMs);
    const handlerReplaceRate = 1e9 / median(replaceRuns.map((r) => r.ms));
    console.log(
      `replace 1M over 1M: psql ${Math.round(psqlReplaceRate)} rows/s, handler ${Math.round(handlerReplaceRate)} rows/s (medians of ${RUNS}), ratio ${round(handlerReplaceRate / psqlReplaceRate)}`,
    );

    // replace again with a reader polling; its query time is its wait (nothing blocks it, the load makes it slower).
    await fillTable();
    const idleStart = performance.now();
    await admin.query("SELECT count(*) FROM accounts");
    const idleMs = performance.now() - idleStart;
    const reader = startReader(postgres.connectionString);
    const readRun = await runHandler(bundleDir, env, warmUp, replaceEvent);
    const { longestMs, counts } = await reader.stop();
    console.log(
      `replace with a reader every ${READER_INTERVAL_MS} ms: load ${Math.round(1e9 / readRun.ms)} rows/s; longest SELECT count(*) ${round(longestMs, 1)} ms ` +
        `(${round(idleMs, 1)} ms on the idle table); counts seen: ${counts.join(", ")}`,
    );

    await reset();
    const run2m = await runHandler(bundleDir, env, warmUp, event2m);
    console.log(`append 2M: handler ${Math.round(2e9 / run2m.ms)} rows/s, peak RSS ${round(run2m.maxRssMb, 1)} MB`);

    await admin.end();
    console.log(
      `csv-load ratio_vs_psql=${round(plain.ratio)} gzip_ratio_vs_psql=${round(gzip.ratio)} rss_mb_1m=${round(plain.rssMb, 1)} ` +
        `rss_mb_gzip_1m=${round(gzip.rssMb, 1)} rss_mb_2m=${round(run2m.maxRssMb, 1)} reader_wait_ms=${round(longestMs, 1)}`,
    );
  } finally {
    await s3?.stop();
    postgres?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
