// The CSV pipeline's handler and S3's events: ordering by sequencer (versioned and not), events
// racing for a table, records that fail alone, attempts whose function died. Real PostgreSQL and
// s3rver; s3rver has no versioning, so version ids and sequencers come through the event, as S3
// delivers them.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ensureLedger, recordStart } from "../../modules/csv-pipeline/handler/ledger.js";
import { csvPipelineHarness } from "../helpers/csv-pipeline-harness.js";
import { putObjectAndEvent, s3Event } from "../helpers/s3-server.js";

const harness = csvPipelineHarness("csv-events");
const BUCKET = harness.bucket;
const { handlerFor, createAccounts, rows, ledger } = harness;

/** Waits until `count` sessions wait for an advisory lock (a load queued behind the table's lock). */
async function waitForLockWaiters(count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [{ n }] = await rows("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    if (n === count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never saw ${count} sessions waiting for an advisory lock`);
}

describe("ordering by S3's sequencer", () => {
  it("versioned bucket: an older version's late event is superseded and loads nothing", async () => {
    await createAccounts("late_accounts");
    const handler = handlerFor([{ prefix: "late/", table: "late_accounts", mode: "replace" }]);
    const v1 = await putObjectAndEvent(harness.s3.client, BUCKET, "late/a.csv", "id,name\n1,from v1\n", { event: { versionId: "v1", sequencer: "0055AED6DCD90281E5" } });
    const v2 = await putObjectAndEvent(harness.s3.client, BUCKET, "late/a.csv", "id,name\n2,from v2\n", { event: { versionId: "v2", sequencer: "0055AED6DCD90281E6" } });

    expect((await handler(v2)).results[0]).toMatchObject({ status: "loaded", versionId: "v2" });
    expect((await handler(v1)).results[0]).toMatchObject({ status: "superseded", versionId: "v1" });

    expect(await rows("SELECT id, name FROM late_accounts")).toEqual([{ id: "2", name: "from v2" }]);
    expect(await ledger("late/a.csv")).toEqual([
      expect.objectContaining({ status: "loaded", sequencer: "0055AED6DCD90281E6" }),
      expect.objectContaining({ status: "superseded", sequencer: "0055AED6DCD90281E5", error_message: expect.stringContaining("sequencer 0055AED6DCD90281E6") }),
    ]);
  });

  it("unversioned bucket: the same, by sequencer, before the object is even read", async () => {
    await createAccounts("plain_accounts");
    let reads = 0;
    const client = harness.s3.client;
    const counting = new Proxy(client, {
      get: (target, property) =>
        property === "send"
          ? (command: Parameters<typeof client.send>[0]) => {
              if (command instanceof GetObjectCommand) reads++;
              return target.send(command as never);
            }
          : Reflect.get(target, property),
    });
    const handler = handlerFor([{ prefix: "plain/", table: "plain_accounts", mode: "replace" }], { s3: counting });
    const older = await putObjectAndEvent(client, BUCKET, "plain/p.csv", "id,name\n1,old\n");
    const newer = await putObjectAndEvent(client, BUCKET, "plain/p.csv", "id,name\n2,new\n");

    expect((await handler(newer)).results[0].status).toBe("loaded");
    expect(reads).toBe(1);
    expect((await handler(older)).results[0].status).toBe("superseded");
    expect(reads).toBe(1);
    expect(await rows("SELECT id, name FROM plain_accounts")).toEqual([{ id: "2", name: "new" }]);
  });

  it("two events at once: the newer wins even when it gets the table first, and the older is superseded", async () => {
    await createAccounts("race_versions");
    const handler = handlerFor([{ prefix: "racev/", table: "race_versions", mode: "replace" }]);
    const v1 = await putObjectAndEvent(harness.s3.client, BUCKET, "racev/r.csv", "id,name\n1,v1\n", { event: { versionId: "v1" } });
    const v2 = await putObjectAndEvent(harness.s3.client, BUCKET, "racev/r.csv", "id,name\n2,v2\n", { event: { versionId: "v2" } });
    // Hold the table's lock so both invocations queue behind it, v2 first (the lock queue is FIFO).
    const holder = new pg.Client({ connectionString: harness.postgres.connectionString });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('csv-pipeline:' || 'race_versions'::regclass::oid, 0))");
    const second = handler(v2);
    await waitForLockWaiters(1);
    const first = handler(v1);
    await waitForLockWaiters(2);
    await holder.query("COMMIT");
    await holder.end();

    const [newer, older] = await Promise.all([second, first]);

    expect([newer.results[0].status, older.results[0].status]).toEqual(["loaded", "superseded"]);
    expect(await rows("SELECT id, name FROM race_versions")).toEqual([{ id: "2", name: "v2" }]);
  });

  it("compares sequencers of different lengths as S3 documents: right-padded with zeros, in any letter case", async () => {
    await createAccounts("padded_accounts");
    const handler = handlerFor([{ prefix: "pad/", table: "padded_accounts", mode: "replace" }]);
    // s3rver serves the current content for any version id: each version is put just before its event is handled.
    const put = (body: string, versionId: string, sequencer: string) => putObjectAndEvent(harness.s3.client, BUCKET, "pad/p.csv", body, { event: { versionId, sequencer } });
    expect((await handler(await put("id,name\n1,first\n", "a", "0055aed6dcd90281e5"))).results[0].status).toBe("loaded");
    // Shorter but later: 0055AED6DCD90281F0 > 0055AED6DCD90281E5 (left-padding would order them the other way).
    expect((await handler(await put("id,name\n2,later\n", "b", "0055AED6DCD90281F"))).results[0].status).toBe("loaded");
    expect((await handler(await put("id,name\n3,earlier\n", "c", "0055AED6DCD90281E"))).results[0].status).toBe("superseded");
    expect(await rows("SELECT id FROM padded_accounts")).toEqual([{ id: "2" }]);
  });

  it("a newer version that failed does not hold the key: the claim rolls back with its load", async () => {
    await createAccounts("claim_accounts");
    const handler = handlerFor([{ prefix: "claim/", table: "claim_accounts", mode: "replace" }]);
    const good = await putObjectAndEvent(harness.s3.client, BUCKET, "claim/c.csv", "id,name\n1,good\n", { event: { versionId: "v1" } });
    const bad = await putObjectAndEvent(harness.s3.client, BUCKET, "claim/c.csv", "id,name\nx,bad\n", { event: { versionId: "v2" } });

    expect((await handler(bad)).results[0]).toMatchObject({ status: "failed", retryable: false });
    // s3rver returns the current content for any version id, so v1's event is served v2's bytes: fix them first.
    await putObjectAndEvent(harness.s3.client, BUCKET, "claim/c.csv", "id,name\n1,good\n");
    expect((await handler(good)).results[0].status).toBe("loaded");
    expect(await rows("SELECT id, name FROM claim_accounts")).toEqual([{ id: "1", name: "good" }]);
  });
});

describe("each record on its own", () => {
  it("fails a record whose key cannot be decoded, records it, and loads the others", async () => {
    await createAccounts("record_accounts");
    const handler = handlerFor([{ prefix: "rec/", table: "record_accounts", mode: "append" }]);
    const one = await putObjectAndEvent(harness.s3.client, BUCKET, "rec/1.csv", "id,name\n1,a\n");
    const two = await putObjectAndEvent(harness.s3.client, BUCKET, "rec/2.csv", "id,name\n2,b\n");
    const broken = s3Event(BUCKET, "rec/x.csv", { eTag: "0123" }).Records[0];
    const malformed = { ...broken, s3: { ...broken.s3, object: { ...broken.s3.object, key: "rec/bad%E0%A4%A.csv" } } };

    const result = await handler({ Records: [one.Records[0], malformed, two.Records[0]] });

    expect(result.results.map((r) => r.status)).toEqual(["loaded", "failed", "loaded"]);
    expect(result.results[1]).toMatchObject({ key: "rec/bad%E0%A4%A.csv", retryable: false, error: expect.stringContaining("cannot be decoded") });
    expect(await rows("SELECT id FROM record_accounts ORDER BY id")).toEqual([{ id: "1" }, { id: "2" }]);
    expect(await ledger("rec/bad%E0%A4%A.csv")).toEqual([expect.objectContaining({ status: "failed", target_table: "record_accounts", error_message: expect.stringContaining("URI malformed") })]);
  });
});

describe("attempts whose function died", () => {
  it("marks a 'loading' attempt whose session is gone abandoned when the next event for the key arrives, and leaves a live one alone", async () => {
    await createAccounts("crash_accounts");
    const handler = handlerFor([{ prefix: "crash/", table: "crash_accounts", mode: "append" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "crash/c.csv", "id,name\n1,a\n");
    const attempt = { bucket: BUCKET, key: "crash/c.csv", eTag: "earlier", table: "crash_accounts", mode: "append" };
    // Two earlier attempts: one whose function was killed (its connection is terminated), one still running.
    const [crashed, running] = [new pg.Client({ connectionString: harness.postgres.connectionString }), new pg.Client({ connectionString: harness.postgres.connectionString })];
    await Promise.all([crashed.connect(), running.connect()]);
    crashed.on("error", () => undefined);
    await ensureLedger(crashed);
    const crashedId = await recordStart(crashed, attempt);
    const runningId = await recordStart(running, attempt);
    await harness.admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1", [(crashed as unknown as { processID: number }).processID]);
    await rows("SELECT 1"); // the terminated backend releases its locks as it exits
    for (let i = 0; i < 100 && (await rows("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [(crashed as unknown as { processID: number }).processID])).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect((await handler(event)).results[0].status).toBe("loaded");

    const statuses = await rows("SELECT id::text, status, error_message FROM csv_pipeline.loads WHERE object_key = 'crash/c.csv' ORDER BY id");
    expect(statuses).toEqual([
      { id: crashedId, status: "abandoned", error_message: expect.stringContaining("session ended") },
      { id: runningId, status: "loading", error_message: null },
      expect.objectContaining({ status: "loaded" }),
    ]);
    await running.end();
  });
});
