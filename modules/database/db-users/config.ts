// What the function is told (environment variable DB_USERS, JSON; no secret in it): the database
// it administers, the master secret it connects with, and the logins it keeps.

/**
 * - `dms_target`: what DMS full load and CDC apply need on a target: create schemas and tables in
 *   the database, write what it creates, `session_replication_role` (PostgreSQL 15+).
 * - `dms_source`: what DMS CDC needs on a source: replication (`rds_replication` on RDS), SELECT,
 *   and its heartbeat table in `public`.
 * - `application`: its own tables in `public`, and read/write on what DMS migrated.
 * - `csv_loader`: SELECT, INSERT, UPDATE, DELETE on its load tables, and its own ledger schema.
 */
export type LoginKind = "dms_target" | "dms_source" | "application" | "csv_loader";

export interface LoadTable {
  /** Optionally schema-qualified, as the CSV pipeline's load rule names it. */
  readonly table: string;
  readonly mode: "replace" | "append" | "upsert";
}

export interface LoginSpec {
  readonly kind: LoginKind;
  /** The role's name in PostgreSQL. */
  readonly username: string;
  /** The role's own secret; this function is its only writer. */
  readonly secretArn: string;
  /** The host the secret names for its reader (DMS through a hop: the hop's DNS name). */
  readonly secretHost: string;
  readonly secretPort: number;
  /** `csv_loader`: the tables it loads and how (the mode decides DELETE and UPDATE). */
  readonly tables?: readonly LoadTable[];
  /** `application`: roles whose future tables it may read and write (the DMS target login). */
  readonly readsTablesOf?: readonly string[];
}

export interface DbUsersConfig {
  /** RDS's own master secret (`username`, `password`). */
  readonly masterSecretArn: string;
  /** The database the function connects to (the writer endpoint; its certificate names it). */
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  /** `postgres` or `aurora-postgresql`: the `engine` field DMS and RDS tools read. */
  readonly engine: string;
  readonly logins: readonly LoginSpec[];
  /** Extensions the stack relies on, e.g. `aws_s3` (with `CASCADE`). */
  readonly extensions: readonly string[];
  /**
   * SecureString parameters holding a random value the application needs (its secret key): created
   * once with a value made here, never overwritten.
   * @default none
   */
  readonly randomParameters?: readonly RandomParameter[];
}

export interface RandomParameter {
  readonly name: string;
  /** KMS key of the SecureString. */
  readonly kmsKeyId: string;
}

const KINDS: readonly LoginKind[] = ["dms_target", "dms_source", "application", "csv_loader"];
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Reads and checks DB_USERS, listing every problem at once. */
export function parseConfig(text: string | undefined): DbUsersConfig {
  if (!text) throw new Error("DB_USERS is not set");
  const config = JSON.parse(text) as DbUsersConfig;
  const problems: string[] = [];
  for (const field of ["masterSecretArn", "host", "dbname", "engine"] as const) if (typeof config[field] !== "string" || !config[field]) problems.push(`${field} is missing`);
  if (!Number.isInteger(config.port)) problems.push("port is missing");
  const names = new Set<string>();
  for (const [index, login] of (config.logins ?? []).entries()) {
    if (!KINDS.includes(login.kind)) problems.push(`logins[${index}].kind ${JSON.stringify(login.kind)} is not one of ${KINDS.join(", ")}`);
    if (!ROLE_NAME.test(login.username ?? "")) problems.push(`logins[${index}].username ${JSON.stringify(login.username)} is not a lower-case identifier`);
    if (names.has(login.username)) problems.push(`logins[${index}].username ${login.username} is used twice`);
    names.add(login.username);
  }
  if (problems.length > 0) throw new Error(`DB_USERS: ${problems.join("; ")}`);
  return { ...config, logins: config.logins ?? [], extensions: config.extensions ?? [], randomParameters: config.randomParameters ?? [] };
}
