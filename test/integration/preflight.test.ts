// dms-lz preflight against real PostgreSQL servers: one CDC-ready (wal_level = logical), one not,
// both loaded with a schema holding every case preflight reports, plus the public DMS
// walkthrough's sample table.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl } from "../../src/migrate/connection.js";
import { startTlsPostgres, TlsPostgres } from "../helpers/tls-postgres.js";
import type { Finding } from "../../src/migrate/findings.js";
import { runPreflight, type PreflightOptions } from "../../src/migrate/preflight.js";
import { runPreflightCommand } from "../../src/migrate/preflight-command.js";
import { parseTableList, type MigrationScope } from "../../src/migrate/scope.js";
import { freePort, startPostgres, type PostgresServer } from "../helpers/postgres-server.js";

const SAMPLE_SCHEMA = `
  CREATE SCHEMA demo_schema;
  -- The DMS walkthrough's table (aws-samples/aws-dms-terraform), with the primary key it lacks there.
  CREATE TABLE demo_schema.demo_accounts (
    accountNumber BIGINT NOT NULL PRIMARY KEY,
    firstName     VARCHAR(20),
    lastName      VARCHAR(20),
    creationTime  TIME NOT NULL
  );
  INSERT INTO demo_schema.demo_accounts VALUES
    (1, 'John', 'Smith', '09:00'), (2, 'Mary', 'Doe', '09:01'), (3, 'Tom', 'Good', '09:02'), (4, 'Peter', 'Flynn', '09:03');

  CREATE SCHEMA cases;
  CREATE TABLE cases.events_no_pk (id bigint, kind varchar(20));
  CREATE TABLE cases.audit_full (id bigint, note varchar(100));
  ALTER TABLE cases.audit_full REPLICA IDENTITY FULL;
  CREATE TABLE cases.documents (id bigint PRIMARY KEY, body text, data jsonb, blob bytea, doc xml);
  INSERT INTO cases.documents VALUES (1, repeat('x', 40 * 1024), '{"a": 1}', '\\x00ff', '<a/>'), (2, 'short', NULL, NULL, NULL);
  CREATE TABLE cases.hosts (id int PRIMARY KEY, address inet, search tsvector);
  CREATE TABLE cases.tagged (name varchar(40), tags varchar(10)[]);
  CREATE TABLE cases.measurements (id bigint, taken date, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken);
  CREATE TABLE cases.measurements_2024 PARTITION OF cases.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE cases.measurements_2025 PARTITION OF cases.measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE UNLOGGED TABLE cases.session_cache (id int PRIMARY KEY, token uuid);
  CREATE TABLE cases."Customers" (id int PRIMARY KEY);
  CREATE TABLE cases.customers (id int PRIMARY KEY);
  -- A table of DMS's own, which is never in scope.
  CREATE TABLE public.awsdms_ddl_audit (c_key bigserial PRIMARY KEY);
`;

const DEMO_ONLY: MigrationScope = { tables: [{ schema: "demo_schema", table: "demo_accounts" }], migrationType: "full-load-and-cdc", lobMaxSizeKb: 32 };
const EVERYTHING: MigrationScope = { migrationType: "full-load-and-cdc", lobMaxSizeKb: 32 };

let logical: PostgresServer;
let plain: PostgresServer;

async function sql(server: PostgresServer, database: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf(server, database) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function urlOf(server: PostgresServer, database = "demo_db", user = server.user): string {
  return `postgresql://${user}@${server.host}:${server.port}/${database}?sslmode=disable`;
}

function source(server: PostgresServer, user?: string): PreflightOptions["source"] {
  return { role: "source", url: urlOf(server, "demo_db", user) };
}

const about = (findings: readonly Finding[], check: string, object?: string) =>
  findings.filter((f) => f.check === check && (object === undefined || f.object === object || f.object.startsWith(`${object} `)));

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void; stderrIsTTY: boolean }; out: () => string; err: () => string } {
  let stdout = "";
  let stderr = "";
  return {
    io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false },
    out: () => stdout,
    err: () => stderr,
  };
}

beforeAll(async () => {
  [logical, plain] = await Promise.all([startPostgres({ logical: true }), startPostgres()]);
  for (const server of [logical, plain]) {
    await sql(server, "postgres", "CREATE DATABASE demo_db");
    await sql(server, "demo_db", SAMPLE_SCHEMA);
  }
});

afterAll(() => {
  logical?.stop();
  plain?.stop();
});

describe("preflight on a CDC-ready source with every case", () => {
  let findings: readonly Finding[];
  beforeAll(async () => {
    findings = (await runPreflight({ source: source(logical), scope: EVERYTHING })).findings;
  });

  it("finds logical WAL, free slots and senders, and a role that may replicate", () => {
    expect(about(findings, "wal-level")).toEqual([expect.objectContaining({ severity: "info", detail: "wal_level = logical" })]);
    expect(about(findings, "replication-slots")[0]).toMatchObject({ severity: "info", detail: expect.stringContaining("10 of 10") });
    expect(about(findings, "wal-senders")[0].severity).toBe("info");
    expect(about(findings, "replication-privilege")[0]).toMatchObject({ severity: "info", detail: "role postgres is a superuser" });
    expect(about(findings, "source-version")[0]).toMatchObject({ severity: "info", detail: expect.stringMatching(/^PostgreSQL 1\d\.\d+ is supported as a DMS source/) });
  });

  it("blocks tables without a primary key under replica identity default, warns under FULL", () => {
    expect(about(findings, "primary-key", "cases.events_no_pk")).toEqual([
      expect.objectContaining({ severity: "blocker", detail: expect.stringContaining("replica identity default") }),
    ]);
    expect(about(findings, "primary-key", "cases.audit_full")).toEqual([
      expect.objectContaining({ severity: "warning", detail: expect.stringContaining("replica identity full") }),
    ]);
    expect(about(findings, "primary-key", "cases.events_no_pk")[0].fix).toContain("ALTER TABLE cases.events_no_pk REPLICA IDENTITY FULL;");
  });

  it("blocks arrays in a table without a primary key", () => {
    expect(about(findings, "array-without-primary-key")).toEqual([
      expect.objectContaining({ severity: "blocker", object: "cases.tagged", detail: expect.stringContaining("(tags)") }),
    ]);
  });

  it("reports unsupported and partly supported types from the DMS type table", () => {
    const hostTypes = about(findings, "data-type", "cases.hosts");
    expect(hostTypes.map((f) => [f.severity, f.object])).toEqual([
      ["blocker", "cases.hosts (address)"],
      ["blocker", "cases.hosts (search)"],
    ]);
    expect(hostTypes[0].detail).toMatch(/^INET does not migrate with DMS/);
    expect(about(findings, "data-type", "cases.documents").map((f) => [f.severity, f.detail.split(" migrates")[0]])).toEqual([
      ["warning", "JSONB"],
      ["warning", "XML"],
    ]);
  });

  it("lists LOB columns and says their sizes were not measured", () => {
    expect(about(findings, "lob-columns", "cases.documents")[0].detail).toBe(
      "LOB columns body (text as NCLOB), data (jsonb as NCLOB), blob (bytea as BLOB), doc (xml as CLOB): limited LOB mode truncates values over LobMaxSize = 32 KB",
    );
    expect(about(findings, "lob-size")).toEqual([expect.objectContaining({ severity: "warning", object: "source" })]);
  });

  it("warns about the partitioned table once, not per partition", () => {
    expect(about(findings, "partitioned-table")).toEqual([
      expect.objectContaining({ severity: "warning", object: "cases.measurements", detail: expect.stringContaining("2 partitions") }),
    ]);
    expect(findings.filter((f) => f.object.startsWith("cases.measurements_"))).toEqual([]);
  });

  it("blocks the unlogged table (CDC cannot see it) and names differing only by case", () => {
    expect(about(findings, "unlogged-table")).toEqual([expect.objectContaining({ severity: "blocker", object: "cases.session_cache" })]);
    expect(about(findings, "case-only-names")).toEqual([expect.objectContaining({ severity: "blocker", object: 'cases."Customers", cases.customers' })]);
  });

  it("has nothing against the walkthrough table and leaves DMS's own tables out", () => {
    expect(findings.filter((f) => f.object.startsWith("demo_schema.") && f.severity !== "info")).toEqual([]);
    expect(findings.filter((f) => f.object.includes("awsdms"))).toEqual([]);
  });

  it("sizes the tables and suggests parallelism and an instance class", () => {
    expect(about(findings, "table-sizes")[0].detail).toMatch(/^11 tables holding rows, [\d.]+ [KM]B with indexes/);
    expect(about(findings, "full-load-parallelism")[0].detail).toContain("MaxFullLoadSubTasks = 8 (one table loads per subtask; 11 tables in scope)");
    expect(about(findings, "instance-size")[0].detail).toContain("dms.t3.medium");
  });
});

describe("preflight severity follows the migration type and server", () => {
  it("a full load does not need logical WAL, and a missing key is only information", async () => {
    const { findings } = await runPreflight({ source: source(plain), scope: { ...EVERYTHING, migrationType: "full-load" } });
    expect(about(findings, "wal-level")).toEqual([]);
    expect(about(findings, "primary-key", "cases.events_no_pk")[0].severity).toBe("info");
    expect(about(findings, "unlogged-table")[0].severity).toBe("info");
  });

  it("wal_level replica blocks CDC", async () => {
    const { findings } = await runPreflight({ source: source(plain), scope: DEMO_ONLY });
    expect(findings.filter((f) => f.severity === "blocker")).toEqual([
      expect.objectContaining({ check: "wal-level", detail: "wal_level = replica: CDC needs logical decoding", fix: "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL" }),
    ]);
  });

  it("a selection that matches nothing is a blocker", async () => {
    const { findings, tablesInScope } = await runPreflight({ source: source(logical), scope: { ...EVERYTHING, tables: [{ schema: "nope", table: "%" }] } });
    expect(tablesInScope).toBe(0);
    expect(about(findings, "scope")[0]).toMatchObject({ severity: "blocker", detail: "no table matches nope.%" });
  });

  it("--tables wildcards select like DMS selection rules", async () => {
    const { tablesInScope } = await runPreflight({ source: source(logical), scope: { ...EVERYTHING, tables: parseTableList("cases.measurements%,cases.%_no_pk") } });
    expect(tablesInScope).toBe(4);
  });
});

describe("preflight with a scope filled from a DMS task (exclusions, LOB mode)", () => {
  it("leaves excluded tables out", async () => {
    const scope = { ...EVERYTHING, tables: parseTableList("cases.%"), excludedTables: parseTableList("cases.%_no_pk,cases.tagged") };
    const { findings, tablesInScope } = await runPreflight({ source: source(logical), scope });
    expect(tablesInScope).toBe(9);
    expect(about(findings, "primary-key").map((f) => f.object)).toEqual(["cases.audit_full"]);
  });

  it("LOB mode none drops LOB columns (a blocker); full mode does not truncate", async () => {
    const documents = { ...EVERYTHING, tables: [{ schema: "cases", table: "documents" }] };
    const none = await runPreflight({ source: source(logical), scope: { ...documents, lobMode: "none" }, scanLobs: true });
    expect(about(none.findings, "lob-columns")[0]).toMatchObject({ severity: "blocker", detail: expect.stringContaining("the task's LOB mode is none") });
    expect(about(none.findings, "lob-size")).toEqual([]);
    const full = await runPreflight({ source: source(logical), scope: { ...documents, lobMode: "full" }, scanLobs: true });
    expect(about(full.findings, "lob-columns")[0]).toMatchObject({ severity: "info", detail: expect.stringContaining("full LOB mode moves them whole") });
    expect(about(full.findings, "lob-size")).toEqual([]);
  });
});

describe("preflight --scan-lobs", () => {
  it("flags a value longer than LobMaxSize (text counts two bytes per character)", async () => {
    const { findings } = await runPreflight({ source: source(logical), scope: { ...EVERYTHING, tables: [{ schema: "cases", table: "documents" }] }, scanLobs: true });
    expect(about(findings, "lob-size")).toEqual([
      expect.objectContaining({ severity: "blocker", object: "cases.documents", detail: expect.stringContaining("body up to 80.0 KB"), fix: expect.stringContaining("at least 80 KB") }),
    ]);
  });

  it("passes when LobMaxSize is large enough", async () => {
    const scope = { ...EVERYTHING, tables: [{ schema: "cases", table: "documents" }], lobMaxSizeKb: 128 };
    const { findings } = await runPreflight({ source: source(logical), scope, scanLobs: true });
    expect(about(findings, "lob-size")).toEqual([expect.objectContaining({ severity: "info", detail: "largest LOB value 80.0 KB (body) fits LobMaxSize = 128 KB" })]);
  });
});

describe("preflight --test-decoding", () => {
  it("decodes a message through a temporary test_decoding slot and leaves no slot behind", async () => {
    const { findings } = await runPreflight({ source: source(logical), scope: DEMO_ONLY, testDecoding: true });
    expect(about(findings, "test-decoding")).toEqual([
      expect.objectContaining({ severity: "info", detail: "logical decoding works: a temporary test_decoding slot decoded a test message" }),
    ]);
    const client = new pg.Client({ connectionString: urlOf(logical) });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_replication_slots");
    await client.end();
    expect(rows[0].n).toBe(0);
  });

  it("is a blocker where logical decoding is off", async () => {
    const { findings } = await runPreflight({ source: source(plain), scope: DEMO_ONLY, testDecoding: true });
    expect(about(findings, "test-decoding")[0]).toMatchObject({ severity: "blocker", detail: expect.stringContaining('wal_level >= logical') });
  });
});

describe("preflight with a role lacking privileges", () => {
  beforeAll(async () => {
    await sql(logical, "demo_db", "CREATE ROLE dms_reader LOGIN; GRANT USAGE ON SCHEMA demo_schema TO dms_reader; GRANT SELECT ON demo_schema.demo_accounts TO dms_reader;");
  });

  it("blocks tables it cannot read and CDC without REPLICATION", async () => {
    const scope = { ...EVERYTHING, tables: parseTableList("demo_schema.demo_accounts,cases.hosts") };
    const { findings } = await runPreflight({ source: source(logical, "dms_reader"), scope });
    expect(about(findings, "select-privilege")).toEqual([
      {
        check: "select-privilege",
        severity: "blocker",
        object: "cases.hosts",
        detail: "role dms_reader lacks USAGE on its schema and SELECT: DMS cannot read the table",
        fix: "GRANT USAGE ON SCHEMA cases TO dms_reader; GRANT SELECT ON cases.hosts TO dms_reader;",
      },
    ]);
    expect(about(findings, "replication-privilege")[0]).toMatchObject({ severity: "blocker", fix: "ALTER ROLE dms_reader REPLICATION;" });
  });
});

describe("preflight on the target", () => {
  const target = (database: string) => ({ role: "target" as const, url: urlOf(plain, database) });

  it("blocks a target database that does not exist (DMS does not create it)", async () => {
    const { findings } = await runPreflight({ source: source(logical), target: target("demo_target"), scope: DEMO_ONLY });
    expect(about(findings, "target-database")).toEqual([
      expect.objectContaining({ severity: "blocker", detail: "database demo_target does not exist on the target; DMS does not create databases" }),
    ]);
  });

  it("--create-target-db creates it, then checks connectivity, version and TLS", async () => {
    const report = await runPreflight({ source: source(logical), target: target("demo_target"), scope: DEMO_ONLY, createTargetDb: true });
    const { findings } = report;
    expect(about(findings, "target-database")).toEqual([expect.objectContaining({ severity: "info", detail: "created database demo_target" })]);
    expect(about(findings, "target-connectivity")[0]).toMatchObject({ severity: "info", detail: "connected to database demo_target as postgres" });
    expect(about(findings, "target-version")).toEqual([expect.objectContaining({ severity: "info", detail: expect.stringMatching(/is supported as a DMS target$/) })]);
    expect(about(findings, "version-order")).toEqual([]);
    expect(about(findings, "target-tls")[0]).toMatchObject({ severity: "warning", detail: expect.stringContaining("ssl = off") });
    expect(report.target?.database).toBe("demo_target");
  });

  it("reports an unreachable target as a blocker and still checks the source", async () => {
    const port = await freePort();
    const { findings } = await runPreflight({ source: source(logical), target: { role: "target", url: `postgresql://postgres@127.0.0.1:${port}/x?sslmode=disable` }, scope: DEMO_ONLY });
    expect(about(findings, "target-connectivity")[0]).toMatchObject({ severity: "blocker", detail: expect.stringContaining("ECONNREFUSED") });
    expect(about(findings, "wal-level")[0].severity).toBe("info");
  });
});

describe("dms-lz preflight command", () => {
  it("exits 0 without blockers and prints the findings as JSON", async () => {
    const { io, out } = capture();
    const code = await runPreflightCommand(["--source", urlOf(logical), "--tables", "demo_schema.demo_accounts", "--json"], io);
    expect(code).toBe(0);
    const findings = JSON.parse(out()) as Finding[];
    expect(findings.length).toBeGreaterThan(5);
    for (const finding of findings) expect(Object.keys(finding).sort()).toEqual(["check", "detail", "fix", "object", "severity"]);
  });

  it("exits 1 on blockers and prints a table", async () => {
    const { io, out } = capture();
    const code = await runPreflightCommand(["--source", urlOf(plain), "--schema", "demo_schema"], io);
    expect(code).toBe(1);
    expect(out()).toMatch(/^SEVERITY +CHECK +OBJECT +DETAIL$/m);
    expect(out()).toMatch(/^blocker +wal-level +source +wal_level = replica/m);
    expect(out()).toContain("1 blocker, ");
  });

  it("--env takes the tables, migration types and LOB limit from the environment's DMS tasks", async () => {
    const variables = fileURLToPath(new URL("../../variables", import.meta.url));
    const all = capture();
    // dev's tasks select demo_schema.demo_accounts only, and one of them replicates changes.
    expect(await runPreflightCommand(["--source", urlOf(plain), "--env", "dev", "--vars", variables, "--json"], all.io)).toBe(1);
    const findings = JSON.parse(all.out()) as Finding[];
    expect(about(findings, "wal-level")[0].severity).toBe("blocker");
    expect(findings.filter((finding) => finding.object.startsWith("cases."))).toEqual([]);

    const snapshot = capture();
    await runPreflightCommand(["--source", urlOf(plain), "--env", "dev", "--task", "accounts-snapshot", "--vars", variables, "--json"], snapshot.io);
    expect(about(JSON.parse(snapshot.out()) as Finding[], "wal-level").every((finding) => finding.severity !== "blocker")).toBe(true);

    const mixed = capture();
    expect(await runPreflightCommand(["--source", urlOf(plain), "--env", "dev", "--tables", "cases.%"], mixed.io)).toBe(2);
    expect(mixed.err()).toContain("--env sets the scope; drop --tables");
    const unknown = capture();
    expect(await runPreflightCommand(["--source", urlOf(plain), "--env", "dev", "--task", "nope", "--vars", variables], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('no DMS task "nope"; its tasks: accounts-snapshot, accounts-replication');
  });

  it("exits 2 on usage errors", async () => {
    const { io, err } = capture();
    expect(await runPreflightCommand(["--migration-type", "sometimes"], io)).toBe(2);
    expect(err()).toContain("--migration-type must be one of full-load, cdc, full-load-and-cdc");
  });

  it("exits 2 when the source is unreachable, without printing the password", async () => {
    const port = await freePort();
    const { io, err } = capture();
    const code = await runPreflightCommand(["--source", `postgresql://dms:s3cret-pw@127.0.0.1:${port}/demo_db`], io);
    expect(code).toBe(2);
    expect(err()).toContain(`cannot connect to the source database postgresql://dms:***@127.0.0.1:${port}/demo_db`);
    expect(err()).not.toContain("s3cret-pw");
  });

  it("reads the libpq environment variables when --source is absent", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, plain.env, { PGDATABASE: "demo_db" });
    try {
      const { io, out } = capture();
      expect(await runPreflightCommand(["--tables", "demo_schema.demo_accounts", "--migration-type", "full-load"], io)).toBe(0);
      expect(out()).toContain(`source  postgresql://postgres@127.0.0.1:${plain.port}/demo_db (from PG* environment variables)`);
    } finally {
      process.env = saved;
    }
  });

  it("runs end to end through the dms-lz executable", () => {
    const result = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../../bin/dms-lz.js", import.meta.url)), "preflight", "--source", urlOf(logical), "--tables", "demo_schema.%", "--test-decoding"],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^info +test-decoding +source +logical decoding works/m);
    expect(result.status).toBe(0);
  });
});

describe("TLS to the source", () => {
  let server: TlsPostgres;
  const tlsUrl = (query: string) => `postgresql://postgres@localhost:${server.server.port}/postgres?${query}`;

  beforeAll(async () => {
    // A throw-away CA and a server certificate for localhost / 127.0.0.1, as RDS has its CA bundle.
    server = await startTlsPostgres(["DNS:localhost", "IP:127.0.0.1"]);
  });

  afterAll(() => server?.stop());

  const tlsFinding = async (url: string, sslRootCert?: string) => {
    const { findings } = await runPreflight({ source: { role: "source", url, sslRootCert }, scope: { ...EVERYTHING, migrationType: "full-load" } });
    return about(findings, "source-tls")[0];
  };

  it("verify-full with --sslrootcert checks the certificate and encrypts", async () => {
    expect(await tlsFinding(tlsUrl("sslmode=verify-full"), server.caFile)).toMatchObject({ severity: "info", detail: "TLS is on (this connection is encrypted)" });
  });

  it("takes sslrootcert from the URL too", async () => {
    expect((await tlsFinding(tlsUrl(`sslmode=verify-full&sslrootcert=${server.caFile}`))).severity).toBe("info");
  });

  it("require encrypts without checking the certificate, as libpq does", async () => {
    expect((await tlsFinding(tlsUrl("sslmode=require"))).detail).toBe("TLS is on (this connection is encrypted)");
  });

  it("verify-full without the CA fails with a hint, exit code 2", async () => {
    let stderr = "";
    const code = await runPreflightCommand(["--source", tlsUrl("sslmode=verify-full")], { stdout: () => undefined, stderr: (t) => void (stderr += t) });
    expect(code).toBe(2);
    expect(stderr).toContain("pass the CA bundle that signed the server certificate with --sslrootcert (the RDS CA bundle is built in");
  });

  it("verify-full is the default; a server without TLS is reached only with sslmode=disable, and reported", async () => {
    expect((await tlsFinding(`postgresql://postgres@127.0.0.1:${server.server.port}/postgres`, server.caFile)).detail).toBe("TLS is on (this connection is encrypted)");
    await expect(tlsFinding(`postgresql://postgres@127.0.0.1:${plain.port}/demo_db`)).rejects.toThrow(/does not accept TLS/);
    await expect(tlsFinding(`postgresql://postgres@127.0.0.1:${plain.port}/demo_db?sslmode=prefer`)).rejects.toThrow(/does not accept TLS/);
    expect((await tlsFinding(`postgresql://postgres@127.0.0.1:${plain.port}/demo_db?sslmode=disable`)).severity).toBe("warning");
  });
});

describe("connection strings", () => {
  it("redacts passwords in URLs", () => {
    expect(redactUrl("postgresql://dms:p%40ss@db.example.com:5432/app?sslmode=verify-full")).toBe(
      "postgresql://dms:***@db.example.com:5432/app?sslmode=verify-full",
    );
    expect(redactUrl("postgresql://db/app?password=hunter2")).toBe("postgresql://db/app?password=***");
  });

  it("parses table lists with quoted names", () => {
    expect(parseTableList('public.orders, "Sales"."Order.Items",s.%')).toEqual([
      { schema: "public", table: "orders" },
      { schema: "Sales", table: "Order.Items" },
      { schema: "s", table: "%" },
    ]);
    expect(() => parseTableList("orders")).toThrow("expected schema.table");
  });
});
