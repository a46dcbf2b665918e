// The Lambda entry point (handler "index.handler"): wires the handler from the environment at cold start.
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { readHandlerConfig } from "./config.js";
import { createDatabaseConnector, environmentSettings, secretSettings } from "./db-connector.js";
import { createHandler } from "./create-handler.js";

// A bad configuration fails the cold start, with every problem listed, before any event is taken.
const config = readHandlerConfig(process.env);
const settings = config.dbSecretArn ? secretSettings(config.dbSecretArn, new SecretsManagerClient({}), process.env) : environmentSettings(process.env);
// Fetch the secret during init, which overlaps the runtime's own start-up; a failure is retried on use.
settings.get().catch(() => undefined);

export const handler = createHandler({
  // The endpoint comes from AWS_ENDPOINT_URL_S3 when set (the SDK reads it); S3-compatible servers need path style.
  s3: new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === "true" }),
  db: createDatabaseConnector(settings, config.dbConnectTimeoutMs),
  config,
});
