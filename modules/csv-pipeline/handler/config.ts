// The handler's environment contract. None of these variables carries a secret.
import { parseLoadRules, type LoadRule } from "./load-rules.js";

export type PostLoadAction = "tag" | "move";

export interface HandlerConfig {
  readonly loads: readonly LoadRule[];
  /** What happens to an object once its outcome is final. @default "tag" */
  readonly postLoadAction: PostLoadAction;
  /** Secrets Manager secret with username, password, host, port, dbname (and optionally sslmode). */
  readonly dbSecretArn?: string;
  /** @default 10000 */
  readonly dbConnectTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`csv-pipeline configuration is invalid:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the whole contract, reporting every problem at once. */
export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const { rules, problems } = parseLoadRules(env.CSV_LOADS);

  const postLoadAction = env.POST_LOAD_ACTION?.trim() || "tag";
  if (postLoadAction !== "tag" && postLoadAction !== "move") problems.push(`POST_LOAD_ACTION: must be "tag" or "move", not ${JSON.stringify(postLoadAction)}`);
  if (postLoadAction === "move") {
    for (const rule of rules) {
      if (/^(processed|failed)\//.test(rule.prefix)) problems.push(`CSV_LOADS prefix ${JSON.stringify(rule.prefix)}: with POST_LOAD_ACTION=move, processed/ and failed/ hold moved objects`);
    }
  }

  const timeoutText = env.DB_CONNECT_TIMEOUT_MS?.trim() || "10000";
  const dbConnectTimeoutMs = Number(timeoutText);
  if (!Number.isInteger(dbConnectTimeoutMs) || dbConnectTimeoutMs <= 0) problems.push(`DB_CONNECT_TIMEOUT_MS: must be a positive integer of milliseconds, not ${JSON.stringify(timeoutText)}`);

  const dbSecretArn = env.DB_SECRET_ARN?.trim() || undefined;
  if (dbSecretArn !== undefined && !dbSecretArn.startsWith("arn:")) problems.push(`DB_SECRET_ARN: must be a Secrets Manager ARN, not ${JSON.stringify(dbSecretArn)}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return { loads: rules, postLoadAction: postLoadAction as PostLoadAction, dbSecretArn, dbConnectTimeoutMs };
}
