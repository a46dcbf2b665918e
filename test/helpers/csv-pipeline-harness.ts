// One real PostgreSQL server and one s3rver per test file for the CSV pipeline's handler, and the
// handler built against them (the same wiring as the bundle's entry, with the clients injected).
import type { S3Client } from "@aws-sdk/client-s3";
import { GetObjectTaggingCommand } from "@aws-sdk/client-s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { readHandlerConfig, type PostLoadAction } from "../../modules/csv-pipeline/handler/config.js";
import { createHandler } from "../../modules/csv-pipeline/handler/create-handler.js";
import { createDatabaseConnector, environmentSettings, type DatabaseConnector } from "../../modules/csv-pipeline/handler/db-connector.js";
import { accountsTableDdl } from "./csv-fixtures.js";
import { startPostgres, type PostgresServer } from "./postgres-server.js";
import { startS3Server, type S3Server } from "./s3-server.js";

export interface HandlerOptions {
  readonly postLoadAction?: PostLoadAction;
  readonly s3?: S3Client;
  readonly db?: DatabaseConnector;
}

export interface CsvPipelineHarness {
  readonly bucket: string;
  readonly postgres: PostgresServer;
  readonly s3: S3Server;
  /** A superuser connection for setting up tables and reading results. */
  readonly admin: pg.Client;
  readonly workDir: string;
  handlerFor(loads: readonly object[], options?: HandlerOptions): ReturnType<typeof createHandler>;
  /** The six-column accounts table, with rows `old <id>` for `ids`. */
  createAccounts(table: string, ids?: readonly number[]): Promise<void>;
  rows(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** The ledger's rows for one key, oldest first. */
  ledger(key: string): Promise<Record<string, unknown>[]>;
  statusTag(key: string): Promise<string | undefined>;
}

/** Starts the servers before the file's tests and stops them after, even when tests fail. */
export function csvPipelineHarness(bucket: string): CsvPipelineHarness {
  const state = {} as { postgres: PostgresServer; s3: S3Server; admin: pg.Client; workDir: string };
  beforeAll(async () => {
    [state.postgres, state.s3] = await Promise.all([startPostgres(), startS3Server([bucket])]);
    state.admin = new pg.Client({ connectionString: state.postgres.connectionString });
    await state.admin.connect();
    state.workDir = mkdtempSync(join(tmpdir(), "lz-csv-"));
  });
  afterAll(async () => {
    await state.admin?.end();
    await state.s3?.stop();
    state.postgres?.stop();
    if (state.workDir) rmSync(state.workDir, { recursive: true, force: true });
  });

  const rows = async (sql: string, values: readonly unknown[] = []) => (await state.admin.query(sql, values as unknown[])).rows as Record<string, unknown>[];
  return {
    bucket,
    get postgres() {
      return state.postgres;
    },
    get s3() {
      return state.s3;
    },
    get admin() {
      return state.admin;
    },
    get workDir() {
      return state.workDir;
    },
    handlerFor(loads, options = {}) {
      const config = readHandlerConfig({ CSV_LOADS: JSON.stringify(loads), POST_LOAD_ACTION: options.postLoadAction });
      const db = options.db ?? createDatabaseConnector(environmentSettings(state.postgres.env), 5000);
      return createHandler({ s3: options.s3 ?? state.s3.client, db, config, log: () => undefined });
    },
    async createAccounts(table, ids = []) {
      await state.admin.query(accountsTableDdl(table));
      for (const id of ids) await state.admin.query(`INSERT INTO ${table} (id, name, balance) VALUES ($1, $2, $3)`, [id, `old ${id}`, id]);
    },
    rows,
    ledger: (key) =>
      rows(
        `SELECT status, rows_loaded, blank_lines_skipped, sequencer, target_table, mode, error_message, error_sqlstate, error_line, error_column, error_context
           FROM csv_pipeline.loads WHERE object_key = $1 ORDER BY id`,
        [key],
      ),
    async statusTag(key) {
      const tags = await state.s3.client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return tags.TagSet?.find((tag) => tag.Key === "csv-pipeline-status")?.Value;
    },
  };
}
