// Loads one S3 object version into its table in one transaction, and records the attempt in the ledger.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type pg from "pg";
import { peekCsvHeader } from "./csv-header.js";
import { openCsvBytes, type CsvBytes } from "./object-bytes.js";
import type { DatabaseConnector } from "./db-connector.js";
import { CsvDataError, describeFailure, isRetryable, withFileLine, type FailureDescription } from "./failures.js";
import { formatTableName } from "./identifiers.js";
import {
  claimSequencer,
  LOADED_ONCE_CONSTRAINT,
  markAbandoned,
  recordEnd,
  recordLoaded,
  recordStart,
  releaseAttempt,
  wasLoaded,
  type FinalStatus,
  type LoadAttempt,
} from "./ledger.js";
import type { LoadRule } from "./load-rules.js";
import type { CreatedObject } from "./s3-event.js";
import { checkHeader, checkUpsertKey, readTableShape } from "./table-shape.js";
import { writeRows } from "./write-rows.js";

export type LoadOutcome =
  | { readonly status: "loaded"; readonly rows: number; readonly blankLinesSkipped: number }
  | { readonly status: "skipped-duplicate" }
  | { readonly status: "superseded"; readonly reason: string }
  | { readonly status: "failed"; readonly error: unknown; readonly failure: FailureDescription; readonly retryable: boolean };

export interface LoadContext {
  readonly s3: S3Client;
  readonly db: DatabaseConnector;
  /** The open connection the load runs on (the caller opens and ends it). */
  readonly client: pg.Client;
  readonly log: (entry: Record<string, unknown>) => void;
  /** Epoch ms by which the database must have given up (before Lambda's timeout kills the process). */
  readonly deadline?: number;
}

export async function loadObject(context: LoadContext, rule: LoadRule, object: CreatedObject): Promise<LoadOutcome> {
  const { client } = context;
  const attempt: LoadAttempt = {
    ...object,
    // The ledger needs an identity for the version; S3 events carry one, a hand-made event may not.
    eTag: object.eTag ?? (object.versionId ? undefined : await currentETag(context.s3, object)),
    table: formatTableName(rule.table),
    mode: rule.mode,
  };
  // A function killed mid-load usually closes its socket, which ends the session at once; if it
  // vanishes without closing (its sandbox destroyed, the network cut), these keepalives let the
  // server end the session, and so free the table and the attempt's lock, within about a minute.
  await client.query("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3");
  const id = await recordStart(client, attempt);
  // The CSV stream, once opened: its blank-line count and line mapping outlive a failure.
  const opened: { csv?: CsvBytes } = {};
  try {
    const abandoned = await markAbandoned(client, attempt, id);
    if (abandoned.length > 0) context.log({ level: "warn", message: "marked earlier attempts on this key abandoned", bucket: attempt.bucket, key: attempt.key, loadIds: abandoned });
    await client.query("BEGIN");
    const outcome = await loadInTransaction(context, rule, attempt, id, opened);
    if (outcome.status === "loaded") await client.query("COMMIT");
    else {
      await client.query("ROLLBACK");
      await recordEnd(client, id, outcome.status, outcome.status === "superseded" ? { message: outcome.reason } : undefined);
    }
    return outcome;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const duplicate = (error as { constraint?: string }).constraint === LOADED_ONCE_CONSTRAINT;
    const csv = opened.csv;
    const failure = csv ? withFileLine(describeFailure(error), (line) => csv.blankLines.fileLine(line)) : describeFailure(error);
    await recordEndSomehow(context, id, duplicate ? "skipped-duplicate" : "failed", duplicate ? undefined : failure, csv?.blankLines.blankLines);
    return duplicate ? { status: "skipped-duplicate" } : { status: "failed", error, failure, retryable: isRetryable(error) };
  } finally {
    await releaseAttempt(client, id).catch(() => undefined);
  }
}

async function loadInTransaction(context: LoadContext, rule: LoadRule, attempt: LoadAttempt, id: string, opened: { csv?: CsvBytes }): Promise<LoadOutcome> {
  const { client, s3 } = context;
  const table = await readTableShape(client, rule.table);
  await limitStatementsTo(client, context.deadline);
  // One load per table at a time: concurrent objects for a table queue here instead of interleaving,
  // and a second delivery of the same event waits, then finds the first one's 'loaded' row.
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`csv-pipeline:${table.oid}`]);
  if (await wasLoaded(client, attempt)) return { status: "skipped-duplicate" };
  // Events arrive in any order (late delivery, retries): an older version never replaces a newer one.
  if (attempt.sequencer) {
    const newer = await claimSequencer(client, { ...attempt, sequencer: attempt.sequencer }, id);
    if (newer) return { status: "superseded", reason: `a newer event for this key was loaded or is loading (sequencer ${newer.sequencer}, load ${newer.loadId}; this event's is ${attempt.sequencer})` };
  }

  const response = await s3.send(new GetObjectCommand({ Bucket: attempt.bucket, Key: attempt.key, VersionId: attempt.versionId }));
  const body = response.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) throw new Error(`s3://${attempt.bucket}/${attempt.key} has no body`);
  // In an unversioned bucket the key may already hold newer content, which has an event of its own.
  if (!attempt.versionId && attempt.eTag && unquote(response.ETag) !== attempt.eTag) {
    await body[Symbol.asyncIterator]().return?.();
    return { status: "superseded", reason: `the key holds newer content (ETag ${unquote(response.ETag)}, this event's is ${attempt.eTag}), which has its own event` };
  }

  opened.csv = await openCsvBytes(body, { bucket: attempt.bucket, key: attempt.key, contentEncoding: response.ContentEncoding, utf8: rule.encoding === "UTF8" });
  const csv = await peekCsvHeader(opened.csv.bytes, { delimiter: rule.delimiter, encodingLabel: rule.headerEncodingLabel });
  try {
    checkHeader(csv.columns, table);
    if (rule.mode === "upsert") checkUpsertKey(rule.key, csv.columns, table);
    await limitStatementsTo(client, context.deadline);
    const rows = await writeRows(client, rule, table, csv.columns, csv.bytes);
    if (rule.mode === "replace" && rows === 0 && !rule.allowEmpty) {
      throw new CsvDataError(`the file has a header and no rows: replacing ${table.schema}.${table.name} with it would empty the table (set allow_empty on the load to allow that)`);
    }
    const blankLinesSkipped = opened.csv.blankLines.blankLines;
    await recordLoaded(client, id, rows, blankLinesSkipped);
    return { status: "loaded", rows, blankLinesSkipped };
  } finally {
    await csv.close();
  }
}

/**
 * Cancels the transaction's next statements (the lock wait, the COPY) at the deadline, so a load
 * that cannot finish in time fails and is recorded, rather than being killed with Lambda's process
 * and left 'loading' while its connection lingers.
 */
async function limitStatementsTo(client: pg.Client, deadline: number | undefined): Promise<void> {
  if (deadline === undefined) return;
  await client.query("SELECT set_config('statement_timeout', $1, true)", [String(Math.max(1, Math.floor(deadline - Date.now())))]);
}

/**
 * Records the end on the load's connection, or on a new one when that connection is what failed.
 * If the database is gone altogether the row stays 'loading'; the failure is still thrown for a retry.
 */
async function recordEndSomehow(context: LoadContext, id: string, status: FinalStatus, failure?: FailureDescription, blankLines?: number): Promise<void> {
  try {
    await recordEnd(context.client, id, status, failure, blankLines);
  } catch {
    try {
      const fresh = await context.db.connect();
      try {
        await recordEnd(fresh, id, status, failure, blankLines);
      } finally {
        await fresh.end().catch(() => undefined);
      }
    } catch (error) {
      context.log({ level: "error", message: "could not record the end of a load in csv_pipeline.loads", loadId: id, status, error: (error as Error).message });
    }
  }
}

async function currentETag(s3: S3Client, object: CreatedObject): Promise<string | undefined> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }));
  return unquote(head.ETag);
}

function unquote(eTag: string | undefined): string | undefined {
  return eTag?.replace(/"/g, "");
}
