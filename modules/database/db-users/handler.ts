// The function's two jobs, with its database connection and secret store passed in so tests can
// use a real PostgreSQL and a local secret store:
// - `ensure` (invoked by Terraform on create and whenever its inputs or code change): installs the
//   extensions, makes every login with its grants, and writes each login's secret (engine, host,
//   port, dbname, username, password) — keeping a password the secret already holds, so a re-run
//   changes nothing and a replaced database gets the passwords its consumers already know.
// - Secrets Manager rotation of a login's secret (createSecret, setSecret, testSecret, finishSecret):
//   a new password, set with the master login, tested with the new one, then made current.
import type { ClientConfig } from "pg";
import pg from "pg";
import type { DbUsersConfig, LoginSpec, RandomParameter } from "./config.js";
import { generatePassword } from "./password.js";
import { grantLogin, installExtensions, KIND_ORDER, LoginResult, setLoginPassword } from "./roles.js";
import type { SecretStore } from "./secret-store.js";

/** Creates a SecureString parameter unless it exists; true when it was created. */
export type ParameterWriter = (parameter: RandomParameter, value: string) => Promise<boolean>;

export interface DbUsersDependencies {
  readonly config: DbUsersConfig;
  readonly secrets: SecretStore;
  /** @default none: the config names no random parameters */
  readonly parameters?: ParameterWriter;
  /** TLS options for every connection (verify-full against the RDS CA in Lambda). */
  readonly ssl: ClientConfig["ssl"];
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: "createSecret" | "setSecret" | "testSecret" | "finishSecret";
}

/** The secret's JSON: what DMS reads (username, password, host, port) and RDS's format adds. */
export interface LoginSecret {
  readonly engine: string;
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly username: string;
  readonly password: string;
}

export interface EnsureResult {
  readonly logins: readonly (LoginResult & { readonly secretArn: string; readonly secretWritten: boolean })[];
  readonly extensions: readonly string[];
  /** Random parameters created by this run (an existing one keeps its value). */
  readonly parametersCreated: readonly string[];
}

export function createHandler(deps: DbUsersDependencies): (event: unknown) => Promise<EnsureResult | { step: string }> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  return async (event) => {
    const rotation = event as Partial<RotationEvent>;
    if (rotation.Step && rotation.SecretId && rotation.ClientRequestToken) {
      await rotate(deps, rotation as RotationEvent);
      log({ level: "info", rotation: rotation.Step, secret: rotation.SecretId });
      return { step: rotation.Step };
    }
    const result = await ensure(deps);
    // The result (kept in Terraform state by aws_lambda_invocation) names roles and secrets, never a password.
    log({ level: "info", ...result });
    return result;
  };
}

export async function ensure(deps: DbUsersDependencies): Promise<EnsureResult> {
  const { config, secrets } = deps;
  const client = await connectAsMaster(deps);
  try {
    await holdRunLock(client);
    await installExtensions(client, config.extensions);
    const logins = [...config.logins].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const results: EnsureResult["logins"][number][] = [];
    for (const login of logins) {
      const stored = parseSecret(await secrets.get(login.secretArn));
      const password = stored?.username === login.username && stored.password ? stored.password : generatePassword();
      const wanted = secretValue(config, login, password);
      // The secret is written before the role: if the run stops in between, the next run reads the
      // password back and sets it, so the two cannot stay apart.
      const secretWritten = !stored || JSON.stringify(stored) !== JSON.stringify(wanted);
      if (secretWritten) await secrets.put(login.secretArn, JSON.stringify(wanted));
      await client.query("BEGIN");
      try {
        const created = await setLoginPassword(client, login.username, password);
        const granted = await grantLogin(client, login, config.dbname);
        await client.query("COMMIT");
        results.push({ ...granted, created, secretArn: login.secretArn, secretWritten });
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`login ${login.username} (${login.kind}): ${(error as Error).message}`, { cause: error });
      }
    }
    const parametersCreated: string[] = [];
    for (const parameter of config.randomParameters ?? []) {
      if (!deps.parameters) throw new Error("random parameters are configured but no parameter writer is");
      if (await deps.parameters(parameter, generatePassword(64))) parametersCreated.push(parameter.name);
    }
    return { logins: results, extensions: [...config.extensions], parametersCreated };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function rotate(deps: DbUsersDependencies, event: RotationEvent): Promise<void> {
  const { secrets, config } = deps;
  const login = config.logins.find((candidate) => candidate.secretArn === event.SecretId);
  if (!login) throw new Error(`secret ${event.SecretId} is not one of this function's logins`);
  const token = event.ClientRequestToken;
  switch (event.Step) {
    case "createSecret": {
      if (await secrets.get(event.SecretId, { versionId: token })) return;
      const current = parseSecret(await secrets.get(event.SecretId));
      if (!current) throw new Error(`secret ${event.SecretId} has no current value to rotate; invoke the function once first`);
      await secrets.put(event.SecretId, JSON.stringify({ ...secretValue(config, login, generatePassword()) }), { token, stages: ["AWSPENDING"] });
      return;
    }
    case "setSecret": {
      const pending = await pendingSecret(secrets, event);
      const client = await connectAsMaster(deps);
      try {
        await holdRunLock(client);
        await setLoginPassword(client, login.username, pending.password);
      } finally {
        await client.end().catch(() => undefined);
      }
      return;
    }
    case "testSecret": {
      const pending = await pendingSecret(secrets, event);
      // The secret's host may be a hop only DMS reaches; the login is tested on the database itself.
      const client = await open(deps, { user: pending.username, password: pending.password });
      try {
        await client.query("SELECT 1");
      } finally {
        await client.end().catch(() => undefined);
      }
      return;
    }
    case "finishSecret": {
      const current = await secrets.currentVersionId(event.SecretId);
      if (current !== token) await secrets.promote(event.SecretId, token, current);
      return;
    }
  }
}

function secretValue(config: DbUsersConfig, login: LoginSpec, password: string): LoginSecret {
  return { engine: config.engine, host: login.secretHost, port: login.secretPort, dbname: config.dbname, username: login.username, password };
}

function parseSecret(text: string | undefined): LoginSecret | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as LoginSecret;
  } catch {
    return undefined;
  }
}

async function pendingSecret(secrets: SecretStore, event: RotationEvent): Promise<LoginSecret> {
  const pending = parseSecret(await secrets.get(event.SecretId, { versionId: event.ClientRequestToken, stage: "AWSPENDING" }));
  if (!pending) throw new Error(`secret ${event.SecretId} has no pending version ${event.ClientRequestToken}`);
  return pending;
}

/**
 * One run at a time per database: an ensure and a rotation's setSecret never interleave on a role.
 * A session-level advisory lock, held until the connection ends, does this without reserving
 * Lambda concurrency (which a new account at its minimum concurrency quota refuses).
 */
async function holdRunLock(client: pg.Client): Promise<void> {
  await client.query("SELECT pg_advisory_lock(hashtext('dms-lz db-users'))");
}

async function connectAsMaster(deps: DbUsersDependencies): Promise<pg.Client> {
  const master = parseSecret(await deps.secrets.get(deps.config.masterSecretArn));
  if (!master?.username || !master.password) throw new Error(`the master secret ${deps.config.masterSecretArn} has no username and password`);
  return open(deps, { user: master.username, password: master.password });
}

async function open(deps: DbUsersDependencies, login: { user: string; password: string }): Promise<pg.Client> {
  const { host, port, dbname } = deps.config;
  const client = new pg.Client({ host, port, database: dbname, ...login, ssl: deps.ssl, connectionTimeoutMillis: 10_000, application_name: "db-users" });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`cannot connect to ${host}:${port}/${dbname} as ${login.user}: ${(error as Error).message}`, { cause: error });
  }
  return client;
}
