// Where the landing zone keeps credentials: the KMS key, the Secrets Manager names and recovery
// window, and the application's generated secret key.
import { z } from "zod";

export const secretsSection = z
  .strictObject({
    kms_key_arn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/...")
      .optional()
      .describe("Existing KMS key for the secrets and SecureString parameters. Default: a key the stack creates (alias/<project>-<environment>-secrets, yearly rotation)."),
    name_prefix: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,400}$/, "expected a secret name prefix such as dms-lz/dev (letters, digits and /_+=.@-)")
      .optional()
      .describe("Prefix of the secret names: <prefix>/dms-source, <prefix>/dms-target, <prefix>/database. Default: <project>/<environment>."),
    recovery_window_days: z
      .number()
      .int()
      .refine((days) => days === 0 || (days >= 7 && days <= 30), "expected 0 (delete at once) or 7 to 30 days")
      .optional()
      .describe("Days a deleted secret can still be restored. Default: 30 in protected environments (which require 30), else 7."),
    secret_key_version: z.number().int().min(1).default(1).describe("Bump to generate a new application secret_key (the SecureString parameter)."),
  })
  .prefault({})
  .describe("Secrets Manager secrets for DMS and the application, and their KMS key.");
