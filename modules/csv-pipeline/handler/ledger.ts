// csv_pipeline.loads: one row per attempt to load one object version, and the guarantee that a
// version is loaded at most once however often S3 delivers its event.
import type pg from "pg";
import type { FailureDescription } from "./failures.js";

export const LEDGER_DDL = `
CREATE SCHEMA IF NOT EXISTS csv_pipeline;
CREATE TABLE IF NOT EXISTS csv_pipeline.loads (
  id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket              text        NOT NULL,
  object_key          text        NOT NULL,
  version_id          text,
  etag                text,
  -- what "the same object version" means: the S3 version id, or the ETag in an unversioned bucket
  object_version      text        NOT NULL GENERATED ALWAYS AS (coalesce('version:' || version_id, 'etag:' || etag)) STORED,
  -- the event's sequencer: orders the events of one key (uppercase hex)
  sequencer           text,
  size_bytes          bigint,
  target_table        text        NOT NULL,
  mode                text        NOT NULL CHECK (mode IN ('replace', 'append', 'upsert')),
  status              text        NOT NULL,
  rows_loaded         bigint,
  blank_lines_skipped bigint,
  started_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at         timestamptz,
  error_message       text,
  error_sqlstate      text,
  error_line          bigint,
  error_column        text,
  error_context       text,
  CHECK (version_id IS NOT NULL OR etag IS NOT NULL)
);
-- Ledgers created before sequencers and blank-line counts.
ALTER TABLE csv_pipeline.loads ADD COLUMN IF NOT EXISTS sequencer text, ADD COLUMN IF NOT EXISTS blank_lines_skipped bigint;
ALTER TABLE csv_pipeline.loads DROP CONSTRAINT IF EXISTS loads_status_check;
UPDATE csv_pipeline.loads SET status = 'superseded' WHERE status = 'skipped-superseded';
ALTER TABLE csv_pipeline.loads ADD CONSTRAINT loads_status_check
  CHECK (status IN ('loading', 'loaded', 'failed', 'skipped-duplicate', 'superseded', 'abandoned'));
CREATE UNIQUE INDEX IF NOT EXISTS loads_loaded_once ON csv_pipeline.loads (bucket, object_key, object_version) WHERE status = 'loaded';
CREATE INDEX IF NOT EXISTS loads_by_table ON csv_pipeline.loads (target_table, started_at);
CREATE INDEX IF NOT EXISTS loads_loading ON csv_pipeline.loads (bucket, object_key) WHERE status = 'loading';
-- The newest sequencer loaded (or being loaded: the row is written in the load's transaction) per key.
CREATE TABLE IF NOT EXISTS csv_pipeline.newest_sequencers (
  bucket     text   NOT NULL,
  object_key text   NOT NULL,
  sequencer  text   NOT NULL,
  load_id    bigint NOT NULL,
  PRIMARY KEY (bucket, object_key)
);
`;

/** The unique index whose violation means another attempt already loaded this object version. */
export const LOADED_ONCE_CONSTRAINT = "loads_loaded_once";

/** Serialises concurrent first-time creation (CREATE ... IF NOT EXISTS alone can fail on a race). */
const LEDGER_DDL_LOCK = "csv-pipeline:ledger-ddl";

/** Creates (or brings up to date) the ledger unless it is current, so a login without CREATE works once the ledger is in place. */
export async function ensureLedger(client: pg.Client): Promise<void> {
  // newest_sequencers is created last: when it exists, so does everything else.
  const exists = await client.query<{ present: boolean }>(`SELECT to_regclass('csv_pipeline.newest_sequencers') IS NOT NULL AS present`);
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
  /** Uppercase hex, as normalised from the event. */
  readonly sequencer?: string;
  readonly size?: number;
  readonly table: string;
  readonly mode: string;
}

export type FinalStatus = "failed" | "skipped-duplicate" | "superseded";

/** The session-level advisory lock an attempt holds while it runs: free while 'loading' means its session is gone. */
const ATTEMPT_LOCK = `hashtextextended('csv-pipeline:load:' || id, 0)`;

/**
 * Records the start of an attempt outside any transaction, so a crashed attempt stays visible as
 * 'loading', and takes the attempt's lock in the same statement, so no one ever sees the row unlocked
 * while its session lives. The lock goes with the session (a killed function's connection) or with
 * `releaseAttempt`.
 */
export async function recordStart(client: pg.Client, attempt: LoadAttempt): Promise<string> {
  const result = await client.query<{ id: string }>(
    `WITH started AS (
       INSERT INTO csv_pipeline.loads (bucket, object_key, version_id, etag, sequencer, size_bytes, target_table, mode, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'loading') RETURNING id)
     SELECT id, pg_advisory_lock(${ATTEMPT_LOCK})::text FROM started`,
    [attempt.bucket, attempt.key, attempt.versionId ?? null, attempt.eTag ?? null, attempt.sequencer ?? null, attempt.size ?? null, attempt.table, attempt.mode],
  );
  return result.rows[0].id;
}

/** Releases the attempt's lock once its end is recorded. */
export async function releaseAttempt(client: pg.Client, id: string): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${ATTEMPT_LOCK}) FROM (SELECT $1::bigint AS id) AS attempt`, [id]);
}

/**
 * Marks 'abandoned' the other attempts on this key that are 'loading' though their session is gone
 * (the function was killed, or lost its connection, before it could record the end): their lock is
 * free. A live attempt, waiting for the table or mid-COPY, still holds it and is left alone.
 */
export async function markAbandoned(client: pg.Client, attempt: LoadAttempt, ownId: string): Promise<string[]> {
  const result = await client.query<{ id: string }>(
    `UPDATE csv_pipeline.loads
        SET status = 'abandoned', finished_at = clock_timestamp(),
            error_message = 'its session ended while it was loading (the function was killed, timed out or lost the connection); found by load ' || $3::text
      WHERE bucket = $1 AND object_key = $2 AND status = 'loading' AND id <> $3::bigint
        AND CASE WHEN status = 'loading' THEN pg_try_advisory_xact_lock(${ATTEMPT_LOCK}) ELSE false END
      RETURNING id`,
    [attempt.bucket, attempt.key, ownId],
  );
  return result.rows.map((row) => row.id);
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

/**
 * Claims the key for this attempt's sequencer inside the load's transaction, unless an attempt with
 * the same or a newer sequencer has claimed it: then returns that sequencer and its load. The row
 * lock of the upsert makes compare-and-claim atomic (a concurrent claim of the key waits for this
 * transaction), and the claim commits with the rows or rolls back with them. Sequencers of one key
 * are compared as S3 documents: right-padded with zeros to the same length, then as strings.
 */
export async function claimSequencer(client: pg.Client, attempt: LoadAttempt & { readonly sequencer: string }, id: string): Promise<{ sequencer: string; loadId: string } | undefined> {
  const claimed = await client.query(
    `INSERT INTO csv_pipeline.newest_sequencers AS newest (bucket, object_key, sequencer, load_id)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (bucket, object_key) DO UPDATE SET sequencer = EXCLUDED.sequencer, load_id = EXCLUDED.load_id
      WHERE rpad(newest.sequencer, greatest(length(newest.sequencer), length(EXCLUDED.sequencer)), '0') COLLATE "C"
          < rpad(EXCLUDED.sequencer, greatest(length(newest.sequencer), length(EXCLUDED.sequencer)), '0') COLLATE "C"
     RETURNING load_id`,
    [attempt.bucket, attempt.key, attempt.sequencer, id],
  );
  if ((claimed.rowCount ?? 0) > 0) return undefined;
  const newest = await client.query<{ sequencer: string; load_id: string }>(
    `SELECT sequencer, load_id::text FROM csv_pipeline.newest_sequencers WHERE bucket = $1 AND object_key = $2`,
    [attempt.bucket, attempt.key],
  );
  return { sequencer: newest.rows[0].sequencer, loadId: newest.rows[0].load_id };
}

/** Marks the attempt loaded inside the load's own transaction, so the mark and the rows commit together. */
export async function recordLoaded(client: pg.Client, id: string, rows: number, blankLines: number): Promise<void> {
  await client.query(`UPDATE csv_pipeline.loads SET status = 'loaded', rows_loaded = $2, blank_lines_skipped = $3, finished_at = clock_timestamp() WHERE id = $1`, [
    id,
    rows,
    blankLines,
  ]);
}

/** Records an attempt's end in its own transaction (after the load's rollback, so it survives it). */
export async function recordEnd(client: pg.Client, id: string, status: FinalStatus, failure?: FailureDescription, blankLines?: number): Promise<void> {
  await client.query(
    `UPDATE csv_pipeline.loads
        SET status = $2, finished_at = clock_timestamp(), error_message = $3, error_sqlstate = $4,
            error_line = $5, error_column = $6, error_context = $7, blank_lines_skipped = $8
      WHERE id = $1`,
    [id, status, failure?.message ?? null, failure?.sqlState ?? null, failure?.line ?? null, failure?.column ?? null, failure?.context ?? null, blankLines ?? null],
  );
}

/** Records, in one step, an event record that failed before a load could start (its key cannot be decoded). */
export async function recordRejected(client: pg.Client, attempt: LoadAttempt, message: string): Promise<void> {
  await client.query(
    `INSERT INTO csv_pipeline.loads (bucket, object_key, version_id, etag, sequencer, size_bytes, target_table, mode, status, finished_at, error_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'failed', clock_timestamp(), $9)`,
    [attempt.bucket, attempt.key, attempt.versionId ?? null, attempt.eTag ?? null, attempt.sequencer ?? null, attempt.size ?? null, attempt.table, attempt.mode, message],
  );
}
