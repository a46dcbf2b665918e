// The db-users function's SQL and secret handling against a real PostgreSQL (password logins with
// scram-sha-256, so a wrong password fails) and the local Secrets Manager stand-in.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbUsersConfig } from "../../modules/database/db-users/config.js";
import { createHandler, ensure, EnsureResult, LoginSecret } from "../../modules/database/db-users/handler.js";
import { scramVerifier } from "../../modules/database/db-users/password.js";
import { secretsManagerStore, SecretStore } from "../../modules/database/db-users/secret-store.js";
import { LEDGER_DDL } from "../../modules/csv-pipeline/handler/ledger.js";
import { FakeSecretsManager, startFakeSecretsManager } from "../helpers/fake-secrets-manager.js";
import { PostgresServer, startPostgres } from "../helpers/postgres-server.js";

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbCdEf`;
const SECRETS = ["master", "dms-target", "application", "csv-loader", "dms-source"].map((name) => ({ ARN: ARN(name), Name: name }));

let server: PostgresServer;
let source: PostgresServer;
let fake: FakeSecretsManager;
let store: SecretStore;
let hbaDir: string;

function config(overrides: Partial<DbUsersConfig> = {}): DbUsersConfig {
  return {
    masterSecretArn: ARN("master"),
    host: server.host,
    port: server.port,
    dbname: "app",
    engine: "aurora-postgresql",
    extensions: ["pgcrypto"],
    logins: [
      { kind: "application", username: "app_user", secretArn: ARN("application"), secretHost: "writer.example", secretPort: server.port, readsTablesOf: ["dms_user"] },
      { kind: "dms_target", username: "dms_user", secretArn: ARN("dms-target"), secretHost: "vpce-1.example", secretPort: server.port },
      {
        kind: "csv_loader",
        username: "csv_loader",
        secretArn: ARN("csv-loader"),
        secretHost: "writer.example",
        secretPort: server.port,
        tables: [
          { table: "public.accounts", mode: "replace" },
          { table: "prices", mode: "upsert" },
          { table: "public.not_yet", mode: "append" },
        ],
      },
    ],
    ...overrides,
  };
}

async function login(target: PostgresServer, user: string, password: string, database = "app"): Promise<pg.Client> {
  const client = new pg.Client({ host: target.host, port: target.port, user, password, database });
  await client.connect();
  return client;
}

async function as<T>(user: string, work: (client: pg.Client) => Promise<T>, target = server, database = "app"): Promise<T> {
  const secret = JSON.parse((await store.get(SECRETS.find((s) => s.Name === secretName(user))!.ARN))!) as LoginSecret;
  const client = await login(target, user, secret.password, database);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
const secretName = (user: string) => ({ app_user: "application", dms_user: "dms-target", csv_loader: "csv-loader", dms_source: "dms-source" })[user]!;

async function superuser<T>(work: (client: pg.Client) => Promise<T>, target = server, database = "app"): Promise<T> {
  const client = new pg.Client({ host: target.host, port: target.port, user: "postgres", database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every privilege and role attribute the logins hold, for comparing runs. */
const grantsSnapshot = () =>
  superuser(async (client) => {
    const roles = await client.query("SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolpassword IS NOT NULL AS has_password FROM pg_authid WHERE rolname IN ('app_user','dms_user','csv_loader') ORDER BY 1");
    const acls = await client.query("SELECT c.oid::regclass::text AS name, c.relacl::text AS acl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public','csv_pipeline','migrated') ORDER BY 1");
    const schemas = await client.query("SELECT nspname, nspowner::regrole::text AS owner, nspacl::text AS acl FROM pg_namespace ORDER BY 1");
    const db = await client.query("SELECT datacl::text AS acl FROM pg_database WHERE datname = 'app'");
    const defaults = await client.query("SELECT defaclrole::regrole::text AS role, defaclobjtype, defaclacl::text AS acl FROM pg_default_acl ORDER BY 1, 2");
    return { roles: roles.rows, acls: acls.rows, schemas: schemas.rows, db: db.rows, defaults: defaults.rows };
  });

const deps = (overrides: Partial<DbUsersConfig> = {}) => ({ config: config(overrides), secrets: store, ssl: false as const, log: () => undefined });

beforeAll(async () => {
  // The master logs in by trust (its secret's password is RDS's to check); every other login by password.
  hbaDir = mkdtempSync(join(tmpdir(), "lz-hba-"));
  chmodSync(hbaDir, 0o755);
  const hba = join(hbaDir, "pg_hba.conf");
  writeFileSync(hba, "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\nlocal all all trust\n");
  chmodSync(hba, 0o644);
  [server, source] = await Promise.all([startPostgres({ settings: { hba_file: hba } }), startPostgres({ logical: true, settings: { hba_file: hba } })]);
  fake = await startFakeSecretsManager(SECRETS);
  store = secretsManagerStore(new SecretsManagerClient({ endpoint: fake.endpoint, region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }));
  await store.put(ARN("master"), JSON.stringify({ username: "postgres", password: "rds-managed" }));
  await superuser((client) => client.query("CREATE DATABASE app"), server, "postgres");
  await superuser(async (client) => {
    await client.query("CREATE SCHEMA private_app; CREATE TABLE private_app.secrets (id int); INSERT INTO private_app.secrets VALUES (1)");
    await client.query("CREATE TABLE public.accounts (id serial PRIMARY KEY, name text); CREATE TABLE public.prices (sku text PRIMARY KEY, price numeric)");
  });
}, 120_000);

afterAll(async () => {
  server?.stop();
  source?.stop();
  await fake?.stop();
  if (hbaDir) rmSync(hbaDir, { recursive: true, force: true });
});

describe("ensure", () => {
  let first: EnsureResult;
  beforeAll(async () => {
    first = await ensure(deps());
  });

  it("creates each login, writes its secret in the DMS format, and the password logs in", async () => {
    expect(first.logins.map((l) => [l.username, l.created, l.secretWritten])).toEqual([
      ["dms_user", true, true],
      ["csv_loader", true, true],
      ["app_user", true, true],
    ]);
    const dms = JSON.parse((await store.get(ARN("dms-target")))!) as LoginSecret;
    expect(dms).toEqual({ engine: "aurora-postgresql", host: "vpce-1.example", port: server.port, dbname: "app", username: "dms_user", password: expect.stringMatching(/^[A-Za-z0-9]{40}$/) });
    for (const user of ["dms_user", "app_user", "csv_loader"]) expect(await as(user, async (c) => (await c.query("SELECT current_user AS u")).rows[0].u)).toBe(user);
    await expect(login(server, "dms_user", "wrong-password")).rejects.toThrow(/password authentication failed/);
    const passwords = await Promise.all(["dms-target", "application", "csv-loader"].map(async (n) => JSON.parse((await store.get(ARN(n)))!).password));
    expect(new Set(passwords).size).toBe(3);
  });

  it("never makes a superuser, CREATEROLE or CREATEDB login; the server stores a SCRAM verifier", async () => {
    const { roles } = await grantsSnapshot();
    for (const role of roles) expect(role).toMatchObject({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, has_password: true });
    const stored = await superuser(async (c) => (await c.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'dms_user'")).rows[0].rolpassword as string);
    expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it("installs the extensions the stack enables", async () => {
    expect(await superuser(async (c) => (await c.query("SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'")).rowCount)).toBe(1);
  });

  it("DMS target login: creates schemas and tables, sets session_replication_role, reads nothing else", async () => {
    await as("dms_user", async (c) => {
      await c.query("SET session_replication_role = replica");
      await c.query("CREATE SCHEMA migrated; CREATE TABLE migrated.orders (id int PRIMARY KEY, total numeric); INSERT INTO migrated.orders VALUES (1, 9.5)");
      await c.query("CREATE TABLE public.awsdms_apply_exceptions (task_name text)");
      await expect(c.query("SELECT * FROM private_app.secrets")).rejects.toThrow(/permission denied/);
      await expect(c.query("SELECT * FROM public.accounts")).rejects.toThrow(/permission denied/);
      await expect(c.query("CREATE ROLE intruder")).rejects.toThrow(/permission denied/);
    });
  });

  it("application login: reads and writes what DMS migrated, creates its own tables, not the private schema", async () => {
    await as("app_user", async (c) => {
      expect((await c.query("SELECT total FROM migrated.orders")).rows).toEqual([{ total: "9.5" }]);
      await c.query("UPDATE migrated.orders SET total = 10 WHERE id = 1");
      await c.query("CREATE TABLE public.sessions (id text)");
      await expect(c.query("SELECT * FROM private_app.secrets")).rejects.toThrow(/permission denied/);
      await expect(c.query("DROP TABLE migrated.orders")).rejects.toThrow(/must be owner/);
    });
  });

  it("CSV loader: what each load mode needs on its tables, its own ledger schema, nothing more", async () => {
    expect(first.logins.find((l) => l.kind === "csv_loader")?.missingTables).toEqual(["public.not_yet"]);
    await as("csv_loader", async (c) => {
      await c.query("CREATE TEMP TABLE staging (LIKE public.accounts)");
      await c.query("DELETE FROM public.accounts");
      await c.query("INSERT INTO public.accounts (name) VALUES ('a')");
      await expect(c.query("UPDATE public.accounts SET name = 'b'")).rejects.toThrow(/permission denied/);
      await c.query("INSERT INTO public.prices VALUES ('x', 1) ON CONFLICT (sku) DO UPDATE SET price = EXCLUDED.price");
      await c.query("INSERT INTO public.prices VALUES ('x', 2) ON CONFLICT (sku) DO UPDATE SET price = EXCLUDED.price");
      await expect(c.query("DELETE FROM public.prices")).rejects.toThrow(/permission denied/);
      // The CSV handler's own ledger DDL runs under this login (it owns csv_pipeline, not the database).
      await c.query(LEDGER_DDL);
      await c.query("INSERT INTO csv_pipeline.loads (bucket, object_key, etag, target_table, mode, status) VALUES ('b', 'k', 'e', 'public.accounts', 'append', 'loaded')");
      await expect(c.query("CREATE TABLE public.mine (id int)")).rejects.toThrow(/permission denied/);
      await expect(c.query("SELECT * FROM migrated.orders")).rejects.toThrow(/permission denied/);
    });
  });

  it("a re-run changes no password, writes no secret, and leaves the same grants", async () => {
    const before = await grantsSnapshot();
    const secretsBefore = await Promise.all(["dms-target", "application", "csv-loader"].map((n) => store.get(ARN(n))));
    const again = await ensure(deps());
    expect(again.logins.map((l) => [l.username, l.created, l.secretWritten])).toEqual([
      ["dms_user", false, false],
      ["csv_loader", false, false],
      ["app_user", false, false],
    ]);
    const after = await grantsSnapshot();
    expect(after.acls).toEqual(before.acls);
    expect(after.schemas).toEqual(before.schemas);
    expect(after.db).toEqual(before.db);
    expect(after.defaults).toEqual(before.defaults);
    expect(await Promise.all(["dms-target", "application", "csv-loader"].map((n) => store.get(ARN(n))))).toEqual(secretsBefore);
    expect(await as("dms_user", async (c) => (await c.query("SELECT 1 AS one")).rows[0].one)).toBe(1);
  });

  it("waits for another run's lock before changing anything (runs are serialized without reserved concurrency)", async () => {
    await superuser(async (holder) => {
      await holder.query("SELECT pg_advisory_lock(hashtext('dms-lz db-users'))");
      let finished = false;
      const run = ensure(deps()).then(() => void (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(finished).toBe(false);
      await holder.query("SELECT pg_advisory_unlock(hashtext('dms-lz db-users'))");
      await run;
      expect(finished).toBe(true);
    });
  });

  it("a replaced hop endpoint: the DMS secret is rewritten with the new host, same password", async () => {
    const old = JSON.parse((await store.get(ARN("dms-target")))!) as LoginSecret;
    const moved = config();
    const result = await ensure({ ...deps(), config: { ...moved, logins: moved.logins.map((l) => (l.kind === "dms_target" ? { ...l, secretHost: "vpce-2.example" } : l)) } });
    expect(result.logins.find((l) => l.kind === "dms_target")?.secretWritten).toBe(true);
    expect(JSON.parse((await store.get(ARN("dms-target")))!)).toEqual({ ...old, host: "vpce-2.example" });
  });

  it("a database rebuilt from nothing gets the passwords the secrets already hold", async () => {
    await superuser((c) => c.query("DROP OWNED BY app_user; DROP ROLE app_user"));
    const result = await ensure(deps());
    expect(result.logins.find((l) => l.username === "app_user")).toMatchObject({ created: true, secretWritten: false });
    expect(await as("app_user", async (c) => (await c.query("SELECT current_user AS u")).rows[0].u)).toBe("app_user");
  });

  it("refuses to take over a superuser's name", async () => {
    await superuser((c) => c.query("CREATE ROLE sneaky SUPERUSER"));
    const bad = config({ logins: [{ kind: "application", username: "sneaky", secretArn: ARN("application"), secretHost: "h", secretPort: 1 }] });
    await expect(ensure({ ...deps(), config: bad })).rejects.toThrow(/login sneaky \(application\): role sneaky exists as a superuser/);
  });
});

describe("random parameters (the application's secret key)", () => {
  it("creates the parameter once with a random value, and never overwrites it", async () => {
    const parameters = new Map<string, string>();
    const writer = async (parameter: { name: string }, value: string) => {
      if (parameters.has(parameter.name)) return false;
      parameters.set(parameter.name, value);
      return true;
    };
    const withKey = { ...deps({ randomParameters: [{ name: "/app/secret_key", kmsKeyId: "k" }] }), parameters: writer };
    expect((await ensure(withKey)).parametersCreated).toEqual(["/app/secret_key"]);
    const value = parameters.get("/app/secret_key");
    expect(value).toMatch(/^[A-Za-z0-9]{64}$/);
    expect((await ensure(withKey)).parametersCreated).toEqual([]);
    expect(parameters.get("/app/secret_key")).toBe(value);
  });
});

describe("rotation (Secrets Manager's four steps)", () => {
  it("sets a new password with the master login, tests it, and makes it current; the old one stops working", async () => {
    const handler = createHandler(deps());
    const old = JSON.parse((await store.get(ARN("dms-target")))!) as LoginSecret;
    const token = "rotation-token-1";
    for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
      await handler({ SecretId: ARN("dms-target"), ClientRequestToken: token, Step });
    }
    // createSecret again (a retried step) keeps the pending version it made
    await handler({ SecretId: ARN("dms-target"), ClientRequestToken: token, Step: "createSecret" });
    const current = JSON.parse((await store.get(ARN("dms-target")))!) as LoginSecret;
    expect(current).toEqual({ ...old, password: expect.not.stringMatching(old.password) });
    expect(await store.currentVersionId(ARN("dms-target"))).toBe(token);
    await (await login(server, "dms_user", current.password)).end();
    await expect(login(server, "dms_user", old.password)).rejects.toThrow(/password authentication failed/);
  });

  it("refuses a secret that is not one of its logins", async () => {
    await expect(createHandler(deps())({ SecretId: ARN("master"), ClientRequestToken: "t", Step: "createSecret" })).rejects.toThrow(/not one of this function's logins/);
  });
});

describe("DMS source login (CDC)", () => {
  it("gets REPLICATION and SELECT on the existing tables, and no write", async () => {
    await superuser((c) => c.query("CREATE DATABASE demo_db"), source, "postgres");
    await superuser((c) => c.query("CREATE SCHEMA demo_schema; CREATE TABLE demo_schema.demo_accounts (id int PRIMARY KEY); INSERT INTO demo_schema.demo_accounts VALUES (7)"), source, "demo_db");
    const cfg: DbUsersConfig = {
      masterSecretArn: ARN("master"),
      host: source.host,
      port: source.port,
      dbname: "demo_db",
      engine: "postgres",
      extensions: [],
      logins: [{ kind: "dms_source", username: "dms_source", secretArn: ARN("dms-source"), secretHost: "vpce-src.example", secretPort: 5432 }],
    };
    await ensure({ config: cfg, secrets: store, ssl: false, log: () => undefined });
    const attrs = await superuser(async (c) => (await c.query("SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = 'dms_source'")).rows[0], source, "postgres");
    expect(attrs).toEqual({ rolreplication: true, rolsuper: false });
    await as(
      "dms_source",
      async (c) => {
        expect((await c.query("SELECT id FROM demo_schema.demo_accounts")).rows).toEqual([{ id: 7 }]);
        await expect(c.query("DELETE FROM demo_schema.demo_accounts")).rejects.toThrow(/permission denied/);
        // DMS's heartbeat table (heartbeat_enable, on for CDC sources)
        await c.query("CREATE TABLE public.awsdms_heartbeat (hearbeat_id serial PRIMARY KEY, hearbeat_timestamp timestamp)");
        // What DMS does at the start of CDC: a logical slot
        await c.query("SELECT pg_create_logical_replication_slot('dms_test_slot', 'test_decoding')");
        await c.query("SELECT pg_drop_replication_slot('dms_test_slot')");
      },
      source,
      "demo_db",
    );
  });
});

describe("scramVerifier", () => {
  it("matches PostgreSQL's own encoding of the same password and salt", async () => {
    // RFC 7677's test vector: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ== (4096 iterations)
    const verifier = scramVerifier("pencil", Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64"));
    expect(verifier).toBe("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
  });
});
