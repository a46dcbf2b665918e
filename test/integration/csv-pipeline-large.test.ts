// A million-row file: a bad value at row 600,000 leaves the table as it was; the same file fixed loads whole.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readHandlerConfig } from "../../modules/csv-pipeline/handler/config.js";
import { createHandler } from "../../modules/csv-pipeline/handler/create-handler.js";
import { createDatabaseConnector, environmentSettings } from "../../modules/csv-pipeline/handler/db-connector.js";
import { accountsTableDdl, writeAccountsCsv } from "../helpers/csv-fixtures.js";
import { startPostgres, type PostgresServer } from "../helpers/postgres-server.js";
import { putObjectAndEvent, startS3Server, type S3Server } from "../helpers/s3-server.js";

const BUCKET = "bulk";
const ROWS = 1_000_000;
let postgres: PostgresServer;
let s3: S3Server;
let admin: pg.Client;
let workDir: string;

beforeAll(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3Server([BUCKET])]);
  admin = new pg.Client({ connectionString: postgres.connectionString });
  await admin.connect();
  workDir = mkdtempSync(join(tmpdir(), "lz-csv-large-"));
  await admin.query(accountsTableDdl("public.accounts"));
  await admin.query(`INSERT INTO accounts (id, name) SELECT g, 'before ' || g FROM generate_series(1, 1000) AS g`);
});

afterAll(async () => {
  await admin?.end();
  await s3?.stop();
  postgres?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

it("keeps the table intact and records line and column when row 600,000 of 1,000,000 is bad, then loads the fixed file", async () => {
  const handler = createHandler({
    s3: s3.client,
    db: createDatabaseConnector(environmentSettings(postgres.env), 5000),
    config: readHandlerConfig({ CSV_LOADS: JSON.stringify([{ prefix: "accounts/", table: "public.accounts", mode: "replace" }]) }),
    log: () => undefined,
  });
  const badFile = join(workDir, "bad.csv");
  await writeAccountsCsv(badFile, ROWS, { badBalance: { row: 600_000, value: "12.3x" } });
  const badEvent = await putObjectAndEvent(s3.client, BUCKET, "accounts/2024-03-01.csv", { file: badFile });

  const failed = await handler(badEvent);

  expect(failed.results[0]).toMatchObject({ status: "failed", retryable: false });
  const ledger = await admin.query(
    `SELECT status, rows_loaded, error_message, error_sqlstate, error_line, error_column, error_context FROM csv_pipeline.loads WHERE object_key = 'accounts/2024-03-01.csv'`,
  );
  // Line 600001: the header is line 1 of the file.
  expect(ledger.rows).toEqual([
    {
      status: "failed",
      rows_loaded: null,
      error_message: 'invalid input syntax for type numeric: "12.3x"',
      error_sqlstate: "22P02",
      error_line: "600001",
      error_column: "balance",
      error_context: 'COPY accounts, line 600001, column balance: "12.3x"',
    },
  ]);
  expect((await admin.query(`SELECT count(*)::int AS n, max(name) AS name FROM accounts`)).rows).toEqual([{ n: 1000, name: "before 999" }]);

  const goodFile = join(workDir, "good.csv");
  await writeAccountsCsv(goodFile, ROWS);
  const loaded = await handler(await putObjectAndEvent(s3.client, BUCKET, "accounts/2024-03-03.csv", { file: goodFile }));

  expect(loaded.results[0]).toMatchObject({ status: "loaded", rows: ROWS });
  expect((await admin.query(`SELECT count(*)::int AS n, min(id) AS low, max(id) AS high FROM accounts`)).rows).toEqual([{ n: ROWS, low: "1", high: String(ROWS) }]);
}, 300_000);
