// dms-lz verify against a real PostgreSQL server: a source database and target databases on the
// same server, loaded with identical data, then changed in the ways a migration goes wrong.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runVerify, type TableVerification, type VerifyOptions, type VerifyReport } from "../../src/migrate/verify.js";
import { runVerifyCommand } from "../../src/migrate/verify-command.js";
import { startPostgres, type PostgresServer } from "../helpers/postgres-server.js";

// The walkthrough's table, orders with NULLs and empty strings in one column, a composite key,
// a partitioned table, a table without a primary key, and one whose target has its columns in
// another order.
const SCHEMA = `
  CREATE SCHEMA demo_schema;
  CREATE TABLE demo_schema.demo_accounts (
    accountNumber BIGINT NOT NULL PRIMARY KEY, firstName VARCHAR(20), lastName VARCHAR(20), creationTime TIME NOT NULL);
  INSERT INTO demo_schema.demo_accounts VALUES
    (1, 'John', 'Smith', '09:00'), (2, 'Mary', 'Doe', '09:01'), (3, 'Tom', 'Good', '09:02'), (4, 'Peter', 'Flynn', '09:03');

  CREATE SCHEMA shop;
  CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), note text, created timestamptz);
  INSERT INTO shop.orders
  SELECT g, 'customer ' || (g % 97), g * 1.25,
         CASE WHEN g % 10 = 0 THEN NULL WHEN g % 10 = 5 THEN '' ELSE 'note ' || g END,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'
    FROM generate_series(1, 5000) AS g;

  CREATE TABLE shop.order_lines (order_id bigint, line int, sku text, PRIMARY KEY (order_id, line));
  INSERT INTO shop.order_lines SELECT o, l, 'sku-' || (o * l) FROM generate_series(1, 1000) AS o, generate_series(1, 3) AS l;

  CREATE TABLE shop.readings (id int, taken date, value real, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken);
  CREATE TABLE shop.readings_2024 PARTITION OF shop.readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE shop.readings_2025 PARTITION OF shop.readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  INSERT INTO shop.readings SELECT g, date '2024-06-01' + g, g / 3.0 FROM generate_series(1, 400) AS g;

  CREATE TABLE shop.events (kind text, payload jsonb);
  INSERT INTO shop.events SELECT 'kind ' || (g % 5), jsonb_build_object('n', g) FROM generate_series(1, 100) AS g;
`;

const REORDERED_SOURCE = `
  CREATE TABLE shop.reordered (id int PRIMARY KEY, a text, b int);
  INSERT INTO shop.reordered SELECT g, 'a' || g, g FROM generate_series(1, 50) AS g;`;
const REORDERED_TARGET = `
  CREATE TABLE shop.reordered (b int, id int PRIMARY KEY, a text);
  INSERT INTO shop.reordered SELECT g, g, 'a' || g FROM generate_series(1, 50) AS g;`;

let server: PostgresServer;

const url = (database: string) => `postgresql://${server.user}@${server.host}:${server.port}/${database}?sslmode=disable`;

async function sql(database: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url(database) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh target: a copy of the identical one, then `changes` applied. */
let copies = 0;
async function targetWith(changes: string): Promise<string> {
  const name = `target_${++copies}`;
  await sql("postgres", `CREATE DATABASE ${name} TEMPLATE target_identical`);
  await sql(name, changes);
  return name;
}

const verify = (target: string, extra: Partial<Pick<VerifyOptions, "chunkRows" | "samples" | "hashMethod" | "tables" | "excludedTables">> = {}) =>
  runVerify({ source: { role: "source", url: url("source") }, target: { role: "target", url: url(target) }, ...extra });

const table = (report: VerifyReport, name: string) => report.tables.find((t) => t.table === name) as TableVerification;

beforeAll(async () => {
  server = await startPostgres();
  await sql("postgres", "CREATE DATABASE source");
  await sql("postgres", "CREATE DATABASE target_identical");
  await sql("source", SCHEMA + REORDERED_SOURCE);
  await sql("target_identical", SCHEMA + REORDERED_TARGET);
});

afterAll(() => server?.stop());

describe("verify on an identical copy", () => {
  it("matches every table (partitions rather than their parent), with several ranges per keyed table", async () => {
    const report = await verify("target_identical", { chunkRows: 700 });
    expect(report.ok).toBe(true);
    expect(report.hashMethod).toBe("hashtextextended");
    expect(report.tables.map((t) => [t.table, t.status, t.sourceRows, t.targetRows])).toEqual([
      ["demo_schema.demo_accounts", "match", 4, 4],
      ["shop.events", "match", 100, 100],
      ["shop.order_lines", "match", 3000, 3000],
      ["shop.orders", "match", 5000, 5000],
      ["shop.readings_2024", "match", 213, 213],
      ["shop.readings_2025", "match", 187, 187],
      ["shop.reordered", "match", 50, 50],
    ]);
    expect(table(report, "shop.orders").chunks).toBe(8);
    expect(table(report, "shop.events")).toMatchObject({ primaryKey: null, notes: [expect.stringContaining("whole-table checksum")] });
    expect(report.rowsCompared).toBe(8554);
  });

  it("compares only the selected tables", async () => {
    const report = await verify("target_identical", { tables: [{ schema: "shop", table: "%" }], excludedTables: [{ schema: "shop", table: "order%" }] });
    expect(report.tables.map((t) => t.table)).toEqual(["shop.events", "shop.readings_2024", "shop.readings_2025", "shop.reordered"]);
  });
});

describe("verify on a target that differs", () => {
  let report: VerifyReport;
  let target: string;
  beforeAll(async () => {
    target = await targetWith(`
      UPDATE shop.orders SET amount = amount + 0.01 WHERE id = 1234;   -- changed
      DELETE FROM shop.orders WHERE id = 2500;                        -- missing
      INSERT INTO shop.orders VALUES (9999, 'late', 1, 'x', now());   -- extra, past the source's last key
      INSERT INTO shop.orders VALUES (0, 'early', 1, 'x', now());     -- extra, before the first key
      UPDATE shop.orders SET note = '' WHERE id = 10;                  -- NULL became ''
      UPDATE shop.orders SET note = NULL WHERE id = 15;                -- '' became NULL
      DELETE FROM shop.order_lines WHERE order_id = 7 AND line = 2;
      UPDATE shop.events SET payload = '{"n": -1}' WHERE payload = '{"n": 42}';`);
    report = await verify(target, { chunkRows: 500, samples: 20 });
  });

  it("fails, and names each differing key of a keyed table", () => {
    expect(report.ok).toBe(false);
    const orders = table(report, "shop.orders");
    expect(orders).toMatchObject({ status: "mismatch", sourceRows: 5000, targetRows: 5001, chunks: 11 });
    expect(orders.mismatchedChunks).toBe(4);
    expect(orders.samples).toEqual([
      { kind: "extra", key: { id: "0" } },
      { kind: "changed", key: { id: "10" } },
      { kind: "changed", key: { id: "15" } },
      { kind: "changed", key: { id: "1234" } },
      { kind: "missing", key: { id: "2500" } },
      { kind: "extra", key: { id: "9999" } },
    ]);
  });

  it("finds the same keys with the md5 row hash (the fallback between unlike servers)", async () => {
    const md5 = await verify(target, { chunkRows: 500, samples: 20, hashMethod: "md5" });
    expect(md5.hashMethod).toBe("md5");
    expect(md5.tables.map((t) => [t.table, t.status, t.samples])).toEqual(report.tables.map((t) => [t.table, t.status, t.samples]));
  });

  it("names keys of a composite primary key", () => {
    expect(table(report, "shop.order_lines")).toMatchObject({ status: "mismatch", samples: [{ kind: "missing", key: { order_id: "7", line: "2" } }] });
  });

  it("flags a table without a primary key by its whole-table checksum, without sample keys", () => {
    expect(table(report, "shop.events")).toMatchObject({ status: "mismatch", primaryKey: null, sourceRows: 100, targetRows: 100, samples: [] });
  });

  it("leaves the unchanged tables matching", () => {
    expect(table(report, "demo_schema.demo_accounts").status).toBe("match");
    expect(table(report, "shop.reordered").status).toBe("match");
  });

  it("stops at the requested number of samples", async () => {
    const changed = await targetWith("UPDATE shop.orders SET customer = 'someone else' WHERE id % 100 = 1;");
    const limited = await verify(changed, { chunkRows: 1000, samples: 3 });
    expect(table(limited, "shop.orders").samples).toEqual([
      { kind: "changed", key: { id: "1" } },
      { kind: "changed", key: { id: "101" } },
      { kind: "changed", key: { id: "201" } },
    ]);
    expect(table(limited, "shop.orders").mismatchedChunks).toBe(5);
  });
});

describe("verify when the target's shape differs", () => {
  it("reports a missing table and a missing column", async () => {
    const target = await targetWith("DROP TABLE shop.events; ALTER TABLE shop.orders DROP COLUMN note;");
    const report = await verify(target);
    expect(table(report, "shop.events")).toMatchObject({ status: "missing-in-target", sourceRows: 100, targetRows: null });
    expect(table(report, "shop.orders")).toMatchObject({ status: "mismatch", mismatchedChunks: 0, notes: ["columns missing in target: note (compared the others)"] });
  });

  it("notes a different column type and finds the rows it changes", async () => {
    const target = await targetWith("ALTER TABLE demo_schema.demo_accounts ALTER COLUMN firstName TYPE char(10);");
    const accounts = table(await verify(target), "demo_schema.demo_accounts");
    expect(accounts.notes).toEqual(["column firstname is character varying(20) in source, character(10) in target"]);
    expect(accounts.samples).toHaveLength(4);
  });
});

describe("dms-lz verify command", () => {
  const run = async (argv: string[], stderrIsTTY = false) => {
    let stdout = "";
    let stderr = "";
    const code = await runVerifyCommand(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY });
    return { code, stdout, stderr };
  };

  it("exits 0 on an identical copy and prints a table", async () => {
    const { code, stdout, stderr } = await run(["--source", url("source"), "--target", url("target_identical"), "--schema", "demo_schema"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^demo_schema\.demo_accounts +4 +4 +match \(1 range\)$/m);
    expect(stdout).toContain("1 table compared, 0 differ");
    expect(stderr).toBe("");
  });

  it("exits 1 on a difference, with the report as JSON", async () => {
    const target = await targetWith("UPDATE demo_schema.demo_accounts SET lastName = NULL WHERE accountNumber = 3;");
    const { code, stdout } = await run(["--source", url("source"), "--target", url(target), "--tables", "demo_schema.demo_accounts", "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as VerifyReport;
    expect(report.tables).toEqual([expect.objectContaining({ table: "demo_schema.demo_accounts", status: "mismatch", samples: [{ kind: "changed", key: { accountnumber: "3" } }] })]);
  });

  it("draws progress on a terminal only", async () => {
    const args = ["--source", url("source"), "--target", url("target_identical"), "--tables", "shop.orders", "--chunk-rows", "100"];
    const terminal = await run(args, true);
    expect(terminal.stderr).toMatch(/\r\x1b\[K.*rows {2}shop\.orders/);
    expect(terminal.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect((await run(args, false)).stderr).toBe("");
  });

  it("exits 2 without --target or with a bad --chunk-rows", async () => {
    expect((await run(["--source", url("source")])).code).toBe(2);
    const bad = await run(["--target", url("source"), "--chunk-rows", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--chunk-rows needs a positive whole number");
  });
});
