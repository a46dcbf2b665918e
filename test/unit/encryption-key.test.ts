import { describe, expect, it } from "vitest";
import { EncryptionKey } from "../../modules/secrets/encryption-key.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

describe("EncryptionKey", () => {
  it("creates a rotating key with an alias, protected from destroy when asked", () => {
    const json = synthConstruct((scope) => {
      new EncryptionKey(scope, "secrets_encryption", { alias: "lz-prod-secrets", description: "secrets", preventDestroy: true });
    });
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_kms_alias")).toMatchObject({ name: "alias/lz-prod-secrets", target_key_id: "${aws_kms_key.secrets_encryption_key.key_id}" });
  });

  it("uses an existing key without creating one", () => {
    const json = synthConstruct((scope) => {
      const key = new EncryptionKey(scope, "secrets_encryption", { alias: "x", description: "x", existingKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/existing" });
      expect(key.arn).toBe("arn:aws:kms:eu-west-1:111122223333:key/existing");
    });
    expect(json.resource).toBeUndefined();
  });
});
