// csv_pipeline.loads: one row per attempt to load one object version, and the guarantee that a
// version is loaded at most once however often S3 delivers its event.
import type pg from "pg";
import type { FailureDescription } from "./failures.js";

export const LEDGER_DDL = `
-- Only when missing: CREATE SCHEMA needs CREATE on the database (even with IF NOT EXISTS), which the
-- loader's least-privilege login lacks; the database-logins function gives it the schema instead.
DO $$ BEGIN IF to_regnamespace('csv_pipeline') IS NULL THEN CREATE SCHEMA csv_pipeline; END IF; END $$;
CREATE TABLE IF NOT EXISTS csv_pipeline.loads (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket         text        NOT NULL,
  object_key     text        NOT NULL,
  version_id     text,
  etag           text,
  -- what "the same object version" means: the S3 version id, or the ETag in an unversioned bucket
  object_version text        NOT NULL GENERATED ALWAYS AS (coalesce('version:' || version_id, 'etag:' || etag)) STORED,
  size_bytes     bigint,
  target_table   text        NOT NULL,
  mode           text        NOT NULL CHECK (mode IN ('replace', 'append', 'upsert')),
  status         text        NOT NULL CHECK (status IN ('loading', 'loaded', 'failed', 'skipped-duplicate', 'skipped-superseded')),
  rows_loaded    bigint,
  started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at    timestamptz,
  error_message  text,
  error_sqlstate text,
  error_line     bigint,
  error_column   text,
  error_context  text,
  CHECK (version_id IS NOT NULL OR etag IS NOT NULL)
);
CREATE UNIQUE INDEX IF NOT EXISTS loads_loaded_once ON csv_pipeline.loads (bucket, object_key, object_version) WHERE status = 'loaded';
CREATE INDEX IF NOT EXISTS loads_by_table ON csv_pipeline.loads (target_table, started_at);
`;

/** The unique index whose violation means another attempt already loaded this object version. */
export const LOADED_ONCE_CONSTRAINT = "loads_loaded_once";

/** Serialises concurrent first-time creation (CREATE ... IF NOT EXISTS alone can fail on a race). */
const LEDGER_DDL_LOCK = "csv-pipeline:ledger-ddl";

/** Creates the ledger unless it exists, so a login without CREATE works once the ledger is in place. */
export async function ensureLedger(client: pg.Client): Promise<void> {
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass('csv_pipeline.loads') IS NOT NULL AS present`);
  if (exists.rows[0].present) return;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [LEDGER_DDL_LOCK]);
    await client.query(LEDGER_DDL);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

export interface LoadAttempt {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly size?: number;
  readonly table: string;
  readonly mode: string;
}

export type FinalStatus = "failed" | "skipped-duplicate" | "skipped-superseded";

/** Records the start of an attempt outside any transaction, so a crashed attempt stays visible as 'loading'. */
export async function recordStart(client: pg.Client, attempt: LoadAttempt): Promise<string> {
  const result = await client.query<{ id: string }>(
    `INSERT INTO csv_pipeline.loads (bucket, object_key, version_id, etag, size_bytes, target_table, mode, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'loading') RETURNING id`,
    [attempt.bucket, attempt.key, attempt.versionId ?? null, attempt.eTag ?? null, attempt.size ?? null, attempt.table, attempt.mode],
  );
  return result.rows[0].id;
}

/** Whether an earlier attempt committed this object version; call it holding the table's load lock. */
export async function wasLoaded(client: pg.Client, attempt: LoadAttempt): Promise<boolean> {
  const result = await client.query(
    `SELECT 1 FROM csv_pipeline.loads
      WHERE bucket = $1 AND object_key = $2 AND status = 'loaded'
        AND object_version = coalesce('version:' || $3::text, 'etag:' || $4::text)`,
    [attempt.bucket, attempt.key, attempt.versionId ?? null, attempt.eTag ?? null],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Marks the attempt loaded inside the load's own transaction, so the mark and the rows commit together. */
export async function recordLoaded(client: pg.Client, id: string, rows: number): Promise<void> {
  await client.query(`UPDATE csv_pipeline.loads SET status = 'loaded', rows_loaded = $2, finished_at = clock_timestamp() WHERE id = $1`, [id, rows]);
}

/** Records an attempt's end in its own transaction (after the load's rollback, so it survives it). */
export async function recordEnd(client: pg.Client, id: string, status: FinalStatus, failure?: FailureDescription): Promise<void> {
  await client.query(
    `UPDATE csv_pipeline.loads
        SET status = $2, finished_at = clock_timestamp(), error_message = $3, error_sqlstate = $4,
            error_line = $5, error_column = $6, error_context = $7
      WHERE id = $1`,
    [id, status, failure?.message ?? null, failure?.sqlState ?? null, failure?.line ?? null, failure?.column ?? null, failure?.context ?? null],
  );
}
