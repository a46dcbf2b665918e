import { describe, expect, it } from "vitest";
import { DmsEncryptionKey } from "../../modules/dms/dms-encryption-key.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

describe("DmsEncryptionKey", () => {
  it("is a rotating customer managed key whose policy keeps account administration and lets DMS publish encrypted events", () => {
    const json = synthConstruct((scope) => new DmsEncryptionKey(scope, "key", { alias: "dms-lz-prod-dms", preventDestroy: true }));
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_kms_alias")).toMatchObject({ name: "alias/dms-lz-prod-dms" });
    const policy = onlyResource(json, "aws_kms_key_policy").policy as string;
    expect(policy).toContain('"Sid":"AccountAdministers","Effect":"Allow","Principal":{"AWS":"arn:${element(split(":", aws_kms_key.key_key.arn), 1)}:iam::${element(split(":", aws_kms_key.key_key.arn), 4)}:root"},"Action":"kms:*"');
    expect(policy).toContain('"Principal":{"Service":"dms.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"${element(split(":", aws_kms_key.key_key.arn), 4)}"}}');
  });
});
