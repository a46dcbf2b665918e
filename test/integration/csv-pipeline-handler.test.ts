// The CSV pipeline's handler against a real PostgreSQL server and a real S3-compatible server.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { LoadRetryError } from "../../modules/csv-pipeline/handler/create-handler.js";
import { createDatabaseConnector, environmentSettings } from "../../modules/csv-pipeline/handler/db-connector.js";
import { writeAccountsCsv } from "../helpers/csv-fixtures.js";
import { csvPipelineHarness } from "../helpers/csv-pipeline-harness.js";
import { freePort } from "../helpers/postgres-server.js";
import { putObjectAndEvent, s3Event } from "../helpers/s3-server.js";

const harness = csvPipelineHarness("csv-inbox");
const BUCKET = harness.bucket;
const { handlerFor, createAccounts, rows, ledger, statusTag } = harness;

describe("modes", () => {
  it("appends a file's rows, records the load and tags the object", async () => {
    await createAccounts("append_accounts", [1]);
    const handler = handlerFor([{ prefix: "append/", table: "public.append_accounts", mode: "append" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "append/a.csv", "id,name,balance\n2,Bea,10.50\n3,Cy,\n");

    const result = await handler(event);

    expect(result.results).toEqual([expect.objectContaining({ status: "loaded", rows: 2, table: "public.append_accounts" })]);
    expect(await rows("SELECT id, name, balance FROM append_accounts ORDER BY id")).toEqual([
      { id: "1", name: "old 1", balance: "1.00" },
      { id: "2", name: "Bea", balance: "10.50" },
      { id: "3", name: "Cy", balance: null },
    ]);
    expect(await ledger("append/a.csv")).toEqual([expect.objectContaining({ status: "loaded", rows_loaded: "2", mode: "append", error_message: null })]);
    expect(await statusTag("append/a.csv")).toBe("loaded");
  });

  it("replaces a table's contents with the file's in one step", async () => {
    await createAccounts("replace_accounts", [1, 2, 3]);
    const handler = handlerFor([{ prefix: "replace/", table: "replace_accounts", mode: "replace" }]);
    // Key 2 is in the old and the new contents: deleted and inserted again in one transaction.
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "replace/r.csv", "id,name\n2,new two\n4,new four\n");

    await handler(event);

    expect(await rows("SELECT id, name FROM replace_accounts ORDER BY id")).toEqual([
      { id: "2", name: "new two" },
      { id: "4", name: "new four" },
    ]);
  });

  it("never blocks readers of a table being replaced, and never shows them an empty or half-loaded table", async () => {
    await createAccounts("busy_accounts");
    await harness.admin.query("INSERT INTO busy_accounts (id, name) SELECT g, 'old' FROM generate_series(1, 1000) AS g");
    const file = join(harness.workDir, "busy.csv");
    await writeAccountsCsv(file, 200_000);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "busy/b.csv", { file });
    const handler = handlerFor([{ prefix: "busy/", table: "busy_accounts", mode: "replace" }]);
    // A REPEATABLE READ reader whose snapshot predates the load keeps seeing the old rows (after a TRUNCATE it would see none).
    const snapshotReader = new pg.Client({ connectionString: harness.postgres.connectionString });
    await snapshotReader.connect();
    await snapshotReader.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await snapshotReader.query("SELECT 1");
    const reader = new pg.Client({ connectionString: harness.postgres.connectionString });
    await reader.connect();

    let loading = true;
    const counts = new Set<number>();
    let longestMs = 0;
    const load = handler(event).finally(() => (loading = false));
    while (loading) {
      const started = Date.now();
      counts.add((await reader.query<{ n: number }>("SELECT count(*)::int AS n FROM busy_accounts")).rows[0].n);
      longestMs = Math.max(longestMs, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await load;

    expect([...counts].every((n) => n === 1000 || n === 200_000)).toBe(true);
    expect(longestMs).toBeLessThan(1000);
    expect((await snapshotReader.query("SELECT count(*)::int AS n FROM busy_accounts")).rows).toEqual([{ n: 1000 }]);
    await snapshotReader.query("COMMIT");
    expect((await snapshotReader.query("SELECT count(*)::int AS n FROM busy_accounts")).rows).toEqual([{ n: 200_000 }]);
    await Promise.all([reader.end(), snapshotReader.end()]);
  });

  it("upserts on the configured key: updates the header's columns, inserts new keys, keeps other rows", async () => {
    await harness.admin.query("CREATE SCHEMA sales");
    await harness.admin.query(`CREATE TABLE sales.prices (sku text, region text, price numeric NOT NULL, note text DEFAULT 'kept',
                         id bigint GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (sku, region))`);
    await harness.admin.query(`INSERT INTO sales.prices (sku, region, price, note) VALUES ('a', 'eu', 1, 'first'), ('b', 'eu', 2, 'second')`);
    const handler = handlerFor([{ prefix: "prices/", table: "sales.prices", mode: "upsert", key: ["sku", "region"] }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "prices/p.csv", "region,sku,price\neu,a,1.5\nus,a,9\n");

    const result = await handler(event);

    expect(result.results[0]).toMatchObject({ status: "loaded", rows: 2 });
    expect(await rows("SELECT sku, region, price, note FROM sales.prices ORDER BY sku, region")).toEqual([
      { sku: "a", region: "eu", price: "1.5", note: "first" },
      { sku: "a", region: "us", price: "9", note: "kept" },
      { sku: "b", region: "eu", price: "2", note: "second" },
    ]);
  });

  it("refuses an upsert whose key has no unique index, before loading anything", async () => {
    await harness.admin.query("CREATE TABLE upsert_nokey (code text, label text)");
    const handler = handlerFor([{ prefix: "nokey/", table: "upsert_nokey", mode: "upsert", key: ["code"] }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "nokey/n.csv", "code,label\nx,y\n");

    await expect(handler(event)).rejects.toThrow(/upsert_nokey has no unique index or primary key on exactly \(code\)/);
    expect(await rows("SELECT count(*)::int AS n FROM upsert_nokey")).toEqual([{ n: 0 }]);
  });

  it("quotes configured names, so odd table and column names load and nothing is interpolated", async () => {
    await harness.admin.query("CREATE TABLE victim (id int)");
    await harness.admin.query(`CREATE SCHEMA "Odd Schema"`);
    await harness.admin.query(`CREATE TABLE "Odd Schema"."x""; DROP TABLE victim; --" ("Mixed Case" int, "semi;colon" text)`);
    const handler = handlerFor([{ prefix: "odd/", table: `Odd Schema.x"; DROP TABLE victim; --`, mode: "append" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "odd/o.csv", `"Mixed Case","semi;colon"\n7,"a,b"\n`);

    await handler(event);

    expect(await rows(`SELECT * FROM "Odd Schema"."x""; DROP TABLE victim; --"`)).toEqual([{ "Mixed Case": 7, "semi;colon": "a,b" }]);
    expect(await rows("SELECT to_regclass('victim') IS NOT NULL AS still_there")).toEqual([{ still_there: true }]);
  });
});

describe("file contents", () => {
  it("loads CRLF line ends, a byte-order mark, quoted names, quoted delimiters, embedded newlines and non-ASCII text", async () => {
    await createAccounts("dialect_accounts");
    const handler = handlerFor([{ prefix: "dialect/", table: "dialect_accounts", mode: "append" }]);
    const csv = '\uFEFF"id","na""me?",email\r\n1,"Smith, Anna","a@example.com"\r\n2,"two\r\nlines",\r\n3,Zoë Ørsted 東京 🚀,"x@ex.com"\r\n';
    await harness.admin.query(`ALTER TABLE dialect_accounts RENAME COLUMN name TO "na""me?"`);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "dialect/d.csv", Buffer.from(csv, "utf8"));

    await handler(event);

    expect(await rows(`SELECT id, "na""me?" AS name, email FROM dialect_accounts ORDER BY id`)).toEqual([
      { id: "1", name: "Smith, Anna", email: "a@example.com" },
      { id: "2", name: "two\r\nlines", email: null },
      { id: "3", name: "Zoë Ørsted 東京 🚀", email: "x@ex.com" },
    ]);
  });

  it("honours a configured delimiter, NULL marker and encoding", async () => {
    await createAccounts("latin_accounts");
    const handler = handlerFor([{ prefix: "latin/", table: "latin_accounts", mode: "append", delimiter: ";", null: "NULL", encoding: "LATIN1" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "latin/l.csv", Buffer.from("id;name;email\n1;Müller;NULL\n", "latin1"));

    await handler(event);

    expect(await rows("SELECT id, name, email FROM latin_accounts")).toEqual([{ id: "1", name: "Müller", email: null }]);
  });

  it("rejects a header that does not match the table, naming every problem, and changes nothing", async () => {
    await createAccounts("header_accounts", [1]);
    const handler = handlerFor([{ prefix: "header/", table: "header_accounts", mode: "replace" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "header/h.csv", "id,nmae,id,balance\n2,x,2,3\n");

    const result = await handler(event);

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false });
    const [entry] = await ledger("header/h.csv");
    expect(entry.status).toBe("failed");
    expect(entry.error_message).toContain('unknown columns "nmae"');
    expect(entry.error_message).toContain('columns named twice "id"');
    expect(entry.error_message).toContain('missing NOT NULL columns without a default "name"');
    expect(await rows("SELECT id, name FROM header_accounts")).toEqual([{ id: "1", name: "old 1" }]);
    expect(await statusTag("header/h.csv")).toBe("failed");
  });

  it("fails an empty object as a data error", async () => {
    await createAccounts("empty_accounts", [1]);
    const handler = handlerFor([{ prefix: "empty/", table: "empty_accounts", mode: "replace" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "empty/e.csv", "");

    const result = await handler(event);

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false, error: expect.stringContaining("the object is empty") });
    expect(await rows("SELECT count(*)::int AS n FROM empty_accounts")).toEqual([{ n: 1 }]);
  });

  it("loads a header-only file as no rows, but will not empty a table with it unless allow_empty says so", async () => {
    await createAccounts("headeronly_accounts", [1]);
    const append = handlerFor([{ prefix: "ho/", table: "headeronly_accounts", mode: "append" }]);
    const replace = handlerFor([{ prefix: "ho/", table: "headeronly_accounts", mode: "replace" }]);
    const replaceAllowingEmpty = handlerFor([{ prefix: "ho/", table: "headeronly_accounts", mode: "replace", allow_empty: true }]);

    expect((await append(await putObjectAndEvent(harness.s3.client, BUCKET, "ho/1.csv", "id,name"))).results[0]).toMatchObject({ status: "loaded", rows: 0 });
    expect((await replace(await putObjectAndEvent(harness.s3.client, BUCKET, "ho/2.csv", "id,name\n"))).results[0]).toMatchObject({
      status: "failed",
      error: expect.stringContaining("would empty the table"),
    });
    expect(await rows("SELECT count(*)::int AS n FROM headeronly_accounts")).toEqual([{ n: 1 }]);
    expect((await replaceAllowingEmpty(await putObjectAndEvent(harness.s3.client, BUCKET, "ho/3.csv", "id,name\n"))).results[0]).toMatchObject({ status: "loaded", rows: 0 });
    expect(await rows("SELECT count(*)::int AS n FROM headeronly_accounts")).toEqual([{ n: 0 }]);
  });

  it("records a bad value's line and column, with the value cut short, and rolls back the rows before it", async () => {
    await createAccounts("bad_accounts", [1]);
    const handler = handlerFor([{ prefix: "bad/", table: "bad_accounts", mode: "replace" }]);
    const longValue = `personal-${"x".repeat(200)}`;
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "bad/b.csv", `id,name,balance\n2,a,1\n3,b,${longValue}\n4,c,2\n`);

    const result = await handler(event);

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false });
    const [entry] = await ledger("bad/b.csv");
    expect(entry).toMatchObject({ status: "failed", error_sqlstate: "22P02", error_line: "3", error_column: "balance" });
    expect(entry.error_context).toMatch(/^COPY bad_accounts, line 3, column balance: "personal-x{31}… \(\d+ more characters\)"$/);
    expect(String(entry.error_message).length).toBeLessThan(150);
    expect(await rows("SELECT id, name FROM bad_accounts")).toEqual([{ id: "1", name: "old 1" }]);
  });
});

describe("deliveries", () => {
  it("loads an object version once when S3 delivers its event twice, one after the other or at once", async () => {
    await createAccounts("dup_accounts");
    const handler = handlerFor([{ prefix: "dup/", table: "dup_accounts", mode: "append" }]);
    const first = await putObjectAndEvent(harness.s3.client, BUCKET, "dup/1.csv", "id,name\n1,a\n2,b\n");
    const second = await putObjectAndEvent(harness.s3.client, BUCKET, "dup/2.csv", "id,name\n3,c\n");

    expect((await handler(first)).results[0].status).toBe("loaded");
    expect((await handler(first)).results[0].status).toBe("skipped-duplicate");
    const together = await Promise.all([handler(second), handler(second), handler(second)]);

    expect(together.map((r) => r.results[0].status).sort()).toEqual(["loaded", "skipped-duplicate", "skipped-duplicate"]);
    expect(await rows("SELECT count(*)::int AS n FROM dup_accounts")).toEqual([{ n: 3 }]);
    expect((await ledger("dup/1.csv")).map((e) => e.status)).toEqual(["loaded", "skipped-duplicate"]);
  });

  it("loads a new version of the same key again", async () => {
    await createAccounts("version_accounts");
    const handler = handlerFor([{ prefix: "ver/", table: "version_accounts", mode: "replace" }]);
    await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "ver/v.csv", "id,name\n1,a\n"));
    await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "ver/v.csv", "id,name\n2,b\n"));

    expect(await rows("SELECT id FROM version_accounts")).toEqual([{ id: "2" }]);
    expect((await ledger("ver/v.csv")).map((e) => e.status)).toEqual(["loaded", "loaded"]);
  });

  it("skips an event whose object has since been overwritten (the newer content has its own event)", async () => {
    await createAccounts("superseded_accounts");
    const handler = handlerFor([{ prefix: "sup/", table: "superseded_accounts", mode: "append" }]);
    const stale = await putObjectAndEvent(harness.s3.client, BUCKET, "sup/s.csv", "id,name\n1,old\n");
    const fresh = await putObjectAndEvent(harness.s3.client, BUCKET, "sup/s.csv", "id,name\n2,new\n");

    expect((await handler(stale)).results[0].status).toBe("superseded");
    expect((await handler(fresh)).results[0].status).toBe("loaded");
    expect(await rows("SELECT id, name FROM superseded_accounts")).toEqual([{ id: "2", name: "new" }]);
  });

  it("serialises two replaces of one table: the table ends as exactly one file, never a mix", async () => {
    await createAccounts("race_accounts", [1]);
    const handler = handlerFor([{ prefix: "race/", table: "race_accounts", mode: "replace" }]);
    const fileA = join(harness.workDir, "race-a.csv");
    const fileB = join(harness.workDir, "race-b.csv");
    await writeAccountsCsv(fileA, 50_000, { firstId: 1 });
    await writeAccountsCsv(fileB, 50_000, { firstId: 1_000_001 });
    const [eventA, eventB] = await Promise.all([
      putObjectAndEvent(harness.s3.client, BUCKET, "race/a.csv", { file: fileA }),
      putObjectAndEvent(harness.s3.client, BUCKET, "race/b.csv", { file: fileB }),
    ]);

    const results = await Promise.all([handler(eventA), handler(eventB)]);

    expect(results.map((r) => r.results[0].status)).toEqual(["loaded", "loaded"]);
    const [shape] = await rows("SELECT count(*)::int AS n, min(id) AS low, max(id) AS high FROM race_accounts");
    expect([
      { n: 50_000, low: "1", high: "50000" },
      { n: 50_000, low: "1000001", high: "1050000" },
    ]).toContainEqual(shape);
    expect([...(await ledger("race/a.csv")), ...(await ledger("race/b.csv"))].map((entry) => entry.status)).toEqual(["loaded", "loaded"]);
  });

  it("ignores keys no CSV_LOADS prefix matches, and picks the longest matching prefix", async () => {
    await createAccounts("general_accounts");
    await createAccounts("special_accounts");
    const handler = handlerFor([
      { prefix: "in/", table: "general_accounts", mode: "append" },
      { prefix: "in/special/", table: "special_accounts", mode: "append" },
    ]);

    const special = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "in/special/x.csv", "id,name\n1,s\n"));
    const general = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "in/y.csv", "id,name\n1,g\n"));
    const other = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "elsewhere/z.csv", "id,name\n1,z\n"));

    expect(special.results[0]).toMatchObject({ status: "loaded", table: "special_accounts" });
    expect(general.results[0]).toMatchObject({ status: "loaded", table: "general_accounts" });
    expect(other.results[0]).toMatchObject({ status: "ignored" });
  });

  it("decodes keys with spaces and non-ASCII characters the way S3 encodes them in events", async () => {
    await createAccounts("unicode_accounts");
    const key = "intl/März 2024/naïve + file (1) 東京.csv";
    const handler = handlerFor([{ prefix: "intl/", table: "unicode_accounts", mode: "append" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, key, "id,name\n1,ü\n");
    expect(event.Records[0].s3.object.key).toBe("intl/M%C3%A4rz+2024/na%C3%AFve+%2B+file+%281%29+%E6%9D%B1%E4%BA%AC.csv");

    const result = await handler(event);

    expect(result.results[0]).toMatchObject({ status: "loaded", key });
    expect(await ledger(key)).toEqual([expect.objectContaining({ status: "loaded" })]);
    expect(await statusTag(key)).toBe("loaded");
  });

  it("moves objects to processed/ or failed/ when POST_LOAD_ACTION=move, and ignores events for moved objects", async () => {
    await createAccounts("move_accounts");
    const handler = handlerFor([{ prefix: "", table: "move_accounts", mode: "append" }], { postLoadAction: "move" });

    await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "mv/good file.csv", "id,name\n1,a\n"));
    await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "mv/bad.csv", "id,nope\n1,a\n"));
    const echo = await handler(s3Event(BUCKET, "processed/mv/good file.csv", { eTag: "x" }));

    const listed = await harness.s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "" }));
    const keys = (listed.Contents ?? []).map((object) => object.Key).filter((key) => key?.includes("mv/"));
    expect(keys.sort()).toEqual(["failed/mv/bad.csv", "processed/mv/good file.csv"]);
    expect(echo.results[0].status).toBe("ignored");
    expect(await rows("SELECT count(*)::int AS n FROM move_accounts")).toEqual([{ n: 1 }]);
  });
});

describe("failures a retry can fix", () => {
  /** Wraps a real S3 client so every downloaded body fails after `bytes` bytes, as a dropped connection does. */
  function s3BreakingAfter(client: S3Client, bytes: number): S3Client {
    const send = async (command: Parameters<S3Client["send"]>[0]) => {
      const response = (await client.send(command as never)) as { Body?: unknown };
      if (!(command instanceof GetObjectCommand)) return response;
      let seen = 0;
      const breaking = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          callback(seen > bytes ? new Error("read ECONNRESET (test: stream broken after first bytes)") : null, chunk);
        },
      });
      const body = response.Body as Readable;
      body.on("error", (error) => breaking.destroy(error));
      return { ...response, Body: body.pipe(breaking) };
    };
    return new Proxy(client, { get: (target, property) => (property === "send" ? send : Reflect.get(target, property)) });
  }

  it("rolls back when the S3 stream fails mid-load, records the failure and throws for a retry", async () => {
    await createAccounts("broken_accounts", [1]);
    const file = join(harness.workDir, "broken.csv");
    await writeAccountsCsv(file, 20_000);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "broken/b.csv", { file });
    const handler = handlerFor([{ prefix: "broken/", table: "broken_accounts", mode: "replace" }], { s3: s3BreakingAfter(harness.s3.client, 300_000) });

    const failure = await handler(event).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LoadRetryError);
    expect((failure as Error).message).toContain("ECONNRESET");
    expect(await rows("SELECT id, name FROM broken_accounts")).toEqual([{ id: "1", name: "old 1" }]);
    expect(await ledger("broken/b.csv")).toEqual([expect.objectContaining({ status: "failed", error_message: expect.stringContaining("ECONNRESET") })]);
    expect(await statusTag("broken/b.csv")).toBeUndefined();

    // The retry Lambda makes then loads it.
    expect((await handlerFor([{ prefix: "broken/", table: "broken_accounts", mode: "replace" }])(event)).results[0]).toMatchObject({ status: "loaded", rows: 20_000 });
  });

  it("rolls back when the S3 server drops the connection in the middle of a download", async () => {
    await createAccounts("dropped_accounts", [1]);
    const file = join(harness.workDir, "dropped.csv");
    await writeAccountsCsv(file, 300_000);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "dropped/d.csv", { file });
    const handler = handlerFor([{ prefix: "dropped/", table: "dropped_accounts", mode: "replace" }]);

    const load = handler(event).catch((error: unknown) => error);
    // Drop the connection once PostgreSQL has received part of the file.
    for (let i = 0; i < 500; i++) {
      const [progress] = await rows("SELECT coalesce(max(bytes_processed), 0)::int8 AS bytes FROM pg_stat_progress_copy");
      if (Number(progress.bytes) > 1_000_000) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    harness.s3.dropConnections();
    const failure = await load;

    expect(failure).toBeInstanceOf(LoadRetryError);
    expect(await rows("SELECT id FROM dropped_accounts")).toEqual([{ id: "1" }]);
    expect(await ledger("dropped/d.csv")).toEqual([expect.objectContaining({ status: "failed" })]);
  });

  it("gives up before Lambda's timeout while waiting for another load of the table, and records why", async () => {
    await createAccounts("deadline_accounts");
    const handler = handlerFor([{ prefix: "deadline/", table: "deadline_accounts", mode: "append" }]);
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "deadline/d.csv", "id,name\n1,a\n");
    // Another load of the same table holds its lock.
    const other = new pg.Client({ connectionString: harness.postgres.connectionString });
    await other.connect();
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended('csv-pipeline:' || 'deadline_accounts'::regclass::oid, 0))");
    try {
      const started = Date.now();
      // 5 s of the remaining time are kept back for the rollback and the ledger, leaving 400 ms to wait.
      const failure = await handler(event, { getRemainingTimeInMillis: () => 5_400 }).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(LoadRetryError);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await ledger("deadline/d.csv")).toEqual([expect.objectContaining({ status: "failed", error_sqlstate: "57014" })]);
    } finally {
      await other.query("ROLLBACK");
      await other.end();
    }
    expect((await handler(event)).results[0]).toMatchObject({ status: "loaded" });
  });

  it("reports an unreachable database clearly, leaves the object as it was and records nothing", async () => {
    await createAccounts("unreachable_accounts");
    const loads = [{ prefix: "down/", table: "unreachable_accounts", mode: "append" }];
    const port = await freePort();
    const handler = handlerFor(loads, { db: createDatabaseConnector(environmentSettings({ ...harness.postgres.env, PGPORT: String(port) }), 2000) });
    const event = await putObjectAndEvent(harness.s3.client, BUCKET, "down/d.csv", "id,name\n1,a\n");

    await expect(handler(event)).rejects.toThrow(new RegExp(`cannot connect to PostgreSQL \\(127\\.0\\.0\\.1:${port}, database postgres, user postgres\\): .*ECONNREFUSED`));

    expect(await rows("SELECT count(*)::int AS n FROM csv_pipeline.loads WHERE object_key = 'down/d.csv'")).toEqual([{ n: 0 }]);
    expect(await statusTag("down/d.csv")).toBeUndefined();
    await harness.s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "down/d.csv" }));
    expect((await handlerFor(loads)(event)).results[0]).toMatchObject({ status: "loaded", rows: 1 });
  });

  it("gives up connecting after DB_CONNECT_TIMEOUT_MS when the server never answers", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const handler = handlerFor([{ prefix: "hang/", table: "whatever", mode: "append" }], {
        db: createDatabaseConnector(environmentSettings({ ...harness.postgres.env, PGPORT: String(port) }), 300),
      });
      const started = Date.now();
      await expect(handler(s3Event(BUCKET, "hang/h.csv", { eTag: "abc" }))).rejects.toThrow(/cannot connect to PostgreSQL .*timeout/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });
});
