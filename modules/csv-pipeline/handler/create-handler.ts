// The Lambda handler, built from injected clients so tests and the bundle entry wire it differently.
import type { S3Client } from "@aws-sdk/client-s3";
import type pg from "pg";
import type { HandlerConfig } from "./config.js";
import type { DatabaseConnector } from "./db-connector.js";
import { describeFailure } from "./failures.js";
import { formatTableName } from "./identifiers.js";
import { ensureLedger, recordRejected } from "./ledger.js";
import { loadObject, type LoadOutcome } from "./load-object.js";
import { matchLoadRule } from "./load-rules.js";
import { applyPostLoadAction, isMovedObjectKey, type FinalOutcome } from "./post-load.js";
import { createdObjects, isUnreadable, type CreatedObject, type S3Event, type UnreadableRecord } from "./s3-event.js";

export interface HandlerDependencies {
  readonly s3: S3Client;
  readonly db: DatabaseConnector;
  readonly config: HandlerConfig;
  /** Structured log sink. @default one JSON line per entry on stdout (CloudWatch Logs) */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface ObjectResult {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** "ignored": no CSV_LOADS prefix matches the key (or it is an object this handler moved). */
  readonly status: LoadOutcome["status"] | "ignored";
  readonly table?: string;
  readonly rows?: number;
  /** Blank lines dropped from the file (loaded objects). */
  readonly blankLinesSkipped?: number;
  readonly error?: string;
  /** Whether the invocation fails so Lambda retries it (and, in the end, sends it to the on-failure destination). */
  readonly retryable?: boolean;
}

/** The part of Lambda's context object the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export type CsvPipelineHandler = (event: S3Event, context?: InvocationContext) => Promise<{ readonly results: readonly ObjectResult[] }>;

/** Time kept back from Lambda's timeout to roll back, record the failure and return. */
const TIMEOUT_MARGIN_MS = 5_000;

/** Thrown after every object was tried when some failed in a way a retry may fix. */
export class LoadRetryError extends Error {
  constructor(readonly failures: readonly ObjectResult[]) {
    super(`csv-pipeline: ${failures.length} object(s) failed and may succeed on a retry: ${failures.map((f) => `s3://${f.bucket}/${f.key}: ${f.error}`).join("; ")}`);
    this.name = "LoadRetryError";
  }
}

const logToStdout = (entry: Record<string, unknown>) => console.log(JSON.stringify(entry));

export function createHandler(dependencies: HandlerDependencies): CsvPipelineHandler {
  const { config } = dependencies;
  const log = dependencies.log ?? logToStdout;
  let ledgerReady = false;

  /** Runs `work` on a new connection with the ledger in place, and ends the connection. */
  async function withLedger<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await dependencies.db.connect();
    try {
      if (!ledgerReady) await ensureLedger(client);
      ledgerReady = true;
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A record whose key cannot be decoded fails alone (no retry can fix it); it is recorded when a load's prefix matches it as it is. */
  async function rejectRecord(record: UnreadableRecord): Promise<ObjectResult> {
    const where = { bucket: record.bucket, key: record.rawKey, versionId: record.versionId };
    const rule = matchLoadRule(config.loads, record.rawKey);
    if (rule && (record.versionId || record.eTag)) {
      try {
        const attempt = { ...record, key: record.rawKey, table: formatTableName(rule.table), mode: rule.mode };
        await withLedger((client) => recordRejected(client, attempt, record.problem));
      } catch (error) {
        log({ level: "error", message: "could not record an unreadable event record in csv_pipeline.loads", ...where, error: (error as Error).message });
      }
    }
    return { ...where, table: rule ? formatTableName(rule.table) : undefined, status: "failed", error: record.problem, retryable: false };
  }

  async function handleObject(object: CreatedObject, deadline: number | undefined): Promise<ObjectResult> {
    const rule = matchLoadRule(config.loads, object.key);
    const where = { bucket: object.bucket, key: object.key, versionId: object.versionId };
    if (!rule || (config.postLoadAction === "move" && isMovedObjectKey(object.key))) return { ...where, status: "ignored" };
    const table = formatTableName(rule.table);

    let outcome: LoadOutcome;
    try {
      outcome = await withLedger((client) => loadObject({ s3: dependencies.s3, db: dependencies.db, client, log, deadline }, rule, object));
    } catch (error) {
      // Failing before the load's transaction (no database, no ledger): nothing was written, retry.
      outcome = { status: "failed", error, failure: describeFailure(error), retryable: true };
    }

    const final = finalOutcome(outcome);
    if (final) {
      try {
        await applyPostLoadAction(dependencies.s3, config.postLoadAction, object, final);
      } catch (error) {
        // The load's outcome is committed and in the ledger; a missing tag must not undo or repeat it.
        log({ level: "warn", message: `POST_LOAD_ACTION ${config.postLoadAction} failed`, ...where, error: (error as Error).message });
      }
    }
    return outcome.status === "failed"
      ? { ...where, table, status: "failed", error: outcome.failure.message, retryable: outcome.retryable }
      : outcome.status === "loaded"
        ? { ...where, table, status: "loaded", rows: outcome.rows, blankLinesSkipped: outcome.blankLinesSkipped }
        : { ...where, table, status: outcome.status };
  }

  return async (event, context) => {
    const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS : undefined;
    const results: ObjectResult[] = [];
    // One object at a time: the records of one notification usually share a table and would queue anyway.
    for (const object of createdObjects(event)) {
      const result = isUnreadable(object) ? await rejectRecord(object) : await handleObject(object, deadline);
      log({ level: result.status === "failed" ? "error" : "info", message: `csv-pipeline ${result.status}`, ...result });
      results.push(result);
    }
    const retryable = results.filter((result) => result.retryable);
    if (retryable.length > 0) throw new LoadRetryError(retryable);
    return { results };
  };
}

/** The outcomes that no retry will change, which the object is marked with. */
function finalOutcome(outcome: LoadOutcome): FinalOutcome | undefined {
  if (outcome.status === "loaded") return "loaded";
  if (outcome.status === "failed" && !outcome.retryable) return "failed";
  return undefined;
}
