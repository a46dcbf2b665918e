// The SQL that makes each login what it needs to be and no more. Every statement is safe to run
// again: a re-run sets the same password and the same grants (ALTER ROLE, GRANT are idempotent).
import pg from "pg";
import type { LoadTable, LoginKind, LoginSpec } from "./config.js";
import { scramVerifier } from "./password.js";

const ident = (name: string) => pg.Client.prototype.escapeIdentifier(name);
const literal = (text: string) => pg.Client.prototype.escapeLiteral(text);

/** Order in which logins are made: the application's default privileges name the DMS target login. */
export const KIND_ORDER: readonly LoginKind[] = ["dms_target", "dms_source", "csv_loader", "application"];

/** The CSV loader's ledger schema (modules/csv-pipeline/handler/ledger.ts creates its tables). */
export const LEDGER_SCHEMA = "csv_pipeline";

export interface LoginResult {
  readonly username: string;
  readonly kind: LoginKind;
  readonly created: boolean;
  /** `csv_loader`: load tables that do not exist yet (granted on a later run). */
  readonly missingTables?: readonly string[];
}

/**
 * Creates the role or resets its password; never CREATEROLE or CREATEDB. SUPERUSER and BYPASSRLS
 * are off by default and only a superuser may name them (RDS's master is not one), so a role
 * that already has them is refused instead.
 */
export async function setLoginPassword(client: pg.Client, username: string, password: string): Promise<boolean> {
  const existing = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", [username]);
  const exists = existing.rowCount === 1;
  if (exists && (existing.rows[0].rolsuper || existing.rows[0].rolbypassrls)) {
    throw new Error(`role ${username} exists as a superuser or with BYPASSRLS; a least-privilege login cannot take its name`);
  }
  await client.query(`${exists ? "ALTER" : "CREATE"} ROLE ${ident(username)} WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${literal(scramVerifier(password))}`);
  return !exists;
}

/** The login's grants for its kind, in one transaction. */
export async function grantLogin(client: pg.Client, login: LoginSpec, dbname: string): Promise<Omit<LoginResult, "created">> {
  const role = ident(login.username);
  const database = ident(dbname);
  const run = (sql: string, values?: unknown[]) => client.query(sql, values);
  switch (login.kind) {
    case "dms_target": {
      // DMS creates the target schemas and tables (and its control tables) and owns them.
      await run(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${database} TO ${role}`);
      await run(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
      // DMS sets session_replication_role = replica during a full load (PostgreSQL 15+ can grant it).
      if (await serverVersion(client) >= 150000) await run(`GRANT SET ON PARAMETER session_replication_role TO ${role}`);
      return { username: login.username, kind: login.kind };
    }
    case "dms_source": {
      await run(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
      // RDS reserves the REPLICATION attribute; its rds_replication role carries it.
      const rds = (await run("SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication'")).rowCount === 1;
      await run(rds ? `GRANT rds_replication TO ${role}` : `ALTER ROLE ${role} WITH REPLICATION`);
      // DMS writes its heartbeat table (and DDL-capture artifacts) into the source's public schema.
      await run(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
      for (const schema of await userSchemas(client)) {
        await run(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${role}`);
        await run(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(schema)} TO ${role}`);
        await run(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${ident(schema)} GRANT SELECT ON TABLES TO ${role}`);
      }
      return { username: login.username, kind: login.kind };
    }
    case "application": {
      await run(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`);
      await run(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`);
      for (const owner of login.readsTablesOf ?? []) await readWriteTablesOf(client, owner, login.username);
      return { username: login.username, kind: login.kind };
    }
    case "csv_loader": {
      await run(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`);
      await run(`CREATE SCHEMA IF NOT EXISTS ${ident(LEDGER_SCHEMA)} AUTHORIZATION ${role}`);
      // A ledger made before this login existed (by another login) is handed over.
      await run(`ALTER SCHEMA ${ident(LEDGER_SCHEMA)} OWNER TO ${role}`);
      const ledgerTables = await run(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')",
        [LEDGER_SCHEMA],
      );
      for (const { relname } of ledgerTables.rows as { relname: string }[]) await run(`ALTER TABLE ${ident(LEDGER_SCHEMA)}.${ident(relname)} OWNER TO ${role}`);
      const missingTables: string[] = [];
      for (const table of login.tables ?? []) {
        if (!(await grantLoadTable(client, table, role))) missingTables.push(table.table);
      }
      return { username: login.username, kind: login.kind, missingTables };
    }
  }
}

/** Grants what the load mode needs on one table; false when the table does not exist yet. */
async function grantLoadTable(client: pg.Client, load: LoadTable, role: string): Promise<boolean> {
  const found = await client.query<{ oid: string; schema: string }>(
    "SELECT c.oid::text AS oid, n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)",
    [load.table],
  );
  if (found.rowCount !== 1) return false;
  const { oid, schema } = found.rows[0];
  const privileges = ["SELECT", "INSERT", ...(load.mode === "replace" ? ["DELETE"] : []), ...(load.mode === "upsert" ? ["UPDATE"] : [])];
  const table = (await client.query<{ name: string }>("SELECT $1::regclass::text AS name", [oid])).rows[0].name;
  await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${role}`);
  await client.query(`GRANT ${privileges.join(", ")} ON TABLE ${table} TO ${role}`);
  // serial columns' sequences (identity columns need no grant)
  const sequences = await client.query<{ name: string }>(
    "SELECT s.oid::regclass::text AS name FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' WHERE d.refobjid = $1::oid AND d.deptype = 'a'",
    [oid],
  );
  for (const { name } of sequences.rows) await client.query(`GRANT USAGE ON SEQUENCE ${name} TO ${role}`);
  return true;
}

/** The application reads and writes what `owner` (the DMS target login) has made and will make. */
async function readWriteTablesOf(client: pg.Client, owner: string, reader: string): Promise<void> {
  const [from, to] = [ident(owner), ident(reader)];
  // ALTER DEFAULT PRIVILEGES FOR ROLE needs membership in that role (PostgreSQL 16: not implied by CREATEROLE).
  const member = (await client.query<{ member: boolean }>("SELECT pg_has_role(current_user, $1, 'USAGE') AS member", [owner])).rows[0].member;
  if (!member) await client.query(`GRANT ${from} TO CURRENT_USER`);
  await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${from} GRANT USAGE ON SCHEMAS TO ${to}`);
  await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${from} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${to}`);
  await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${from} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${to}`);
  const schemas = await client.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspowner = to_regrole($1)", [owner]);
  for (const { name } of schemas.rows) {
    await client.query(`GRANT USAGE ON SCHEMA ${ident(name)} TO ${to}`);
  }
  const objects = await client.query<{ name: string; kind: string }>(
    "SELECT c.oid::regclass::text AS name, c.relkind::text AS kind FROM pg_class c WHERE c.relowner = to_regrole($1) AND c.relkind IN ('r', 'p', 'v', 'S')",
    [owner],
  );
  for (const { name, kind } of objects.rows) {
    await client.query(kind === "S" ? `GRANT USAGE, SELECT, UPDATE ON SEQUENCE ${name} TO ${to}` : `GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ${name} TO ${to}`);
  }
}

/** Schemas that hold user data (not the catalogs, not RDS's or the extensions' own). */
async function userSchemas(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'aws_s3', 'aws_commons')
      ORDER BY nspname`,
  );
  return result.rows.map((row) => row.name);
}

async function serverVersion(client: pg.Client): Promise<number> {
  return Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v);
}

/** `CREATE EXTENSION IF NOT EXISTS ... CASCADE` for each extension the stack relies on. */
export async function installExtensions(client: pg.Client, extensions: readonly string[]): Promise<void> {
  for (const extension of extensions) await client.query(`CREATE EXTENSION IF NOT EXISTS ${ident(extension)} CASCADE`);
}
