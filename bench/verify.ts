// Verify throughput on a 1,000,000-row table pair (source and target databases on one throw-away
// server), next to SELECT count(*) on the same table in the same run. Run: npm run bench:verify
import pg from "pg";
import { runVerify } from "../src/migrate/verify.js";
import { startPostgres } from "../test/helpers/postgres-server.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const COUNT_RUNS = 5;
const VERIFY_RUNS = 3;

const TABLE = `
  CREATE TABLE public.accounts (
    id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), status int, created timestamptz, note text);
  INSERT INTO public.accounts
  SELECT g, 'customer ' || (g % 9973), g * 0.37, g % 7,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
         CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) END
    FROM generate_series(1, ${ROWS}) AS g;`;

async function load(client: pg.Client): Promise<void> {
  await client.query(TABLE);
  // As after a DMS full load plus autovacuum: statistics and the visibility map in place.
  await client.query("VACUUM ANALYZE public.accounts");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

const server = await startPostgres();
try {
  const url = (database: string) => `postgresql://${server.user}@${server.host}:${server.port}/${database}?sslmode=disable`;
  await withClient(url("postgres"), async (client) => {
    await client.query("CREATE DATABASE bench_source");
    await client.query("CREATE DATABASE bench_target");
  });
  const loadStart = performance.now();
  await Promise.all([withClient(url("bench_source"), load), withClient(url("bench_target"), load)]);
  console.log(`loaded ${ROWS.toLocaleString("en-US")} rows x 6 columns into source and target in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const countTimes = await withClient(url("bench_source"), async (client) => {
    const times: number[] = [];
    for (let run = 0; run < COUNT_RUNS; run++) {
      const start = performance.now();
      await client.query("SELECT count(*) FROM public.accounts");
      times.push(performance.now() - start);
    }
    return times;
  });

  const verifyTimes: number[] = [];
  for (let run = 0; run < VERIFY_RUNS; run++) {
    const report = await runVerify({ source: { role: "source", url: url("bench_source") }, target: { role: "target", url: url("bench_target") } });
    if (!report.ok || report.rowsCompared !== ROWS) throw new Error(`verify did not match ${ROWS} rows: ${JSON.stringify(report.tables)}`);
    verifyTimes.push(report.durationMs);
  }

  const countMs = median(countTimes);
  const verifyMs = median(verifyTimes);
  const rowsPerSecond = Math.round(ROWS / (verifyMs / 1000));
  const ratio = verifyMs / countMs;
  console.log(`SELECT count(*): ${countMs.toFixed(0)} ms (median of ${COUNT_RUNS}: ${countTimes.map((t) => t.toFixed(0)).join(", ")})`);
  console.log(`verify:          ${verifyMs.toFixed(0)} ms (median of ${VERIFY_RUNS}: ${verifyTimes.map((t) => t.toFixed(0)).join(", ")}), ${rowsPerSecond.toLocaleString("en-US")} rows/s`);
  console.log(`verify takes ${ratio.toFixed(1)}x as long as count(*): it reads both copies and hashes every row`);
  console.log(`verify rows_per_s=${rowsPerSecond} count_ms=${countMs.toFixed(0)} verify_ms=${verifyMs.toFixed(0)} ratio=${ratio.toFixed(1)}`);
} finally {
  server.stop();
}
