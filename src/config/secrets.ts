// Where the landing zone keeps credentials: the KMS key, the Secrets Manager names and recovery
// window, and the application's generated secret key. A protected environment keeps deleted
// secrets restorable for the full 30 days.
import { z } from "zod";
import type { DatabaseStackProps } from "../../stacks/database-wiring.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { kmsKeyArn } from "./fields.js";
import type { EnvironmentConfig } from "./schema.js";

export const secretsKeys = {
  secrets: z
    .strictObject({
      kms_key_arn: kmsKeyArn
        .optional()
        .describe("Existing KMS key for the secrets and SecureString parameters. Default: a key the stack creates (alias/<project>-<environment>-secrets, yearly rotation)."),
      name_prefix: z
        .string()
        .regex(/^[A-Za-z0-9/_+=.@-]{1,400}$/, "expected a secret name prefix such as dms-lz/dev (letters, digits and /_+=.@-)")
        .optional()
        .describe("Prefix of the secret names, each followed by a suffix Terraform picks (so a re-created environment never meets a secret still scheduled for deletion): <prefix>/dms-user-, <prefix>/app-user-, <prefix>/csv-loader-, <prefix>/dms-source-. Default: <project>/<environment>."),
      recovery_window_days: z
        .number()
        .int()
        .refine((days) => days === 0 || (days >= 7 && days <= 30), "expected 0 (delete at once) or 7 to 30 days")
        .optional()
        .describe("Days a deleted secret can still be restored. Default: 30 in protected environments (which require 30), else 7."),
    })
    .prefault({})
    .describe("Secrets Manager secrets for DMS and the application, and their KMS key."),
};

export const secretsCheck = crossCheck(["secrets"], (config, context, issue) => {
  const window = config.secrets.recovery_window_days;
  if (context.isProtected && window !== undefined && window < 30) {
    issue(["secrets", "recovery_window_days"], "a protected environment keeps deleted secrets restorable for 30 days", String(window), "30 (or no recovery_window_days)");
  }
});

export function secretsProps(config: Pick<EnvironmentConfig, "secrets">, context: ConfigContext): DatabaseStackProps["secrets"] {
  return {
    kmsKeyArn: config.secrets.kms_key_arn,
    namePrefix: config.secrets.name_prefix ?? `${context.project}/${context.environment}`,
    recoveryWindowDays: config.secrets.recovery_window_days ?? (context.isProtected ? 30 : 7),
  };
}
