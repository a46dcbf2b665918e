// Opens database connections with settings fetched once per cold start and refreshed after a rotation.
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import pg, { type ClientConfig } from "pg";
import { settingsFromEnvironment, settingsFromSecret } from "./db-settings.js";

export interface DatabaseConnector {
  /** Opens a new connection; the caller ends it. */
  connect(): Promise<pg.Client>;
}

/** Cached connection settings; `invalidate` makes the next `get` fetch them again. */
export interface SettingsSource {
  get(): Promise<ClientConfig>;
  invalidate(): void;
}

/** The database could not be reached or refused the login: a retry may well succeed. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** Settings from a Secrets Manager secret, fetched on first use and kept for the container's life. */
export function secretSettings(secretArn: string, secrets: SecretsManagerClient, env: NodeJS.ProcessEnv): SettingsSource {
  let cached: Promise<ClientConfig> | undefined;
  const fetch = async (): Promise<ClientConfig> => {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!secret.SecretString) throw new Error(`secret ${secretArn} has no SecretString`);
    return settingsFromSecret(secret.SecretString, env);
  };
  return {
    get() {
      // A failed fetch is not cached, so the next invocation tries again.
      cached ??= fetch().catch((error: unknown) => {
        cached = undefined;
        throw new DatabaseUnavailableError(`cannot read the database secret ${secretArn}: ${(error as Error).message}`, { cause: error });
      });
      return cached;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** Settings from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT. */
export function environmentSettings(env: NodeJS.ProcessEnv): SettingsSource {
  const settings = settingsFromEnvironment(env);
  return { get: async () => settings, invalidate: () => undefined };
}

/** SQLSTATEs of a rejected login: after a secret rotation the cached password is stale. */
const AUTHENTICATION_FAILED = new Set(["28P01", "28000"]);

export function createDatabaseConnector(source: SettingsSource, connectTimeoutMs: number): DatabaseConnector {
  const open = async (): Promise<pg.Client> => {
    const settings = await source.get();
    const client = new pg.Client({ ...settings, connectionTimeoutMillis: connectTimeoutMs, application_name: "csv-pipeline", keepAlive: true });
    // Without a listener, a connection dropped between queries would crash the process; the next query reports it.
    client.on("error", () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const where = `${settings.host}:${settings.port}, database ${settings.database}, user ${settings.user}`;
      throw Object.assign(new DatabaseUnavailableError(`cannot connect to PostgreSQL (${where}): ${(error as Error).message}`, { cause: error }), {
        code: (error as { code?: string }).code,
      });
    }
  };
  return {
    async connect() {
      try {
        return await open();
      } catch (error) {
        if (!AUTHENTICATION_FAILED.has((error as { code?: string }).code ?? "")) throw error;
        source.invalidate();
        return open();
      }
    },
  };
}
