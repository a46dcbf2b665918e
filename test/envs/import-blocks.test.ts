// Import blocks from config reach the plan as imports: a stack with a secret mapped to an existing
// ARN is planned offline with the real provider, which reads the "existing" secret from a local
// stand-in for Secrets Manager.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { importExisting } from "../../modules/core/import-existing.js";
import { ReadableIdStack } from "../../modules/core/readable-id-stack.js";
import { openOfflineWorkspace, PlanJson } from "../../src/terraform/offline-terraform.js";
import { FakeSecretsManager, startFakeSecretsManager } from "../helpers/fake-secrets-manager.js";
import { cachedJson, hashFiles } from "../helpers/test-cache.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dms-lz/prod/target-AbCdEf";
let outdir: string;
let fake: FakeSecretsManager;
let synthesized: { import?: unknown[] };
let plan: PlanJson;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), "lz-import-"));
  const app = new App({ outdir, skipValidation: false });
  const stack = new ReadableIdStack(app, "adopt");
  addAwsProvider(stack, { region: "eu-west-1", defaultTags: {} });
  importExisting(stack, { "aws_secretsmanager_secret.secrets_target": ARN });
  new SecretsmanagerSecret(stack, "secrets_target", { name: "dms-lz/prod/target", description: "target credentials" });
  app.synth();
  const stackDir = join(outdir, "stacks", "adopt");
  synthesized = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));

  fake = await startFakeSecretsManager([{ ARN, Name: "dms-lz/prod/target", Description: "target credentials" }]);
  // Planned once per synthesized stack (test/helpers/test-cache.ts); the endpoint override is not part of the key.
  plan = cachedJson(join("plans", `import-blocks-${hashFiles([stackDir])}`), () => {
    const workspace = openOfflineWorkspace(stackDir);
    try {
      writeFileSync(join(workspace.dir, "zzz_fake_endpoint_override.tf.json"), JSON.stringify({ provider: { aws: { endpoints: [{ secretsmanager: fake.endpoint }], max_retries: 1 } } }));
      workspace.run(["plan", "-input=false", "-lock=false", "-no-color", "-out=import.tfplan"], "plan");
      return JSON.parse(workspace.run(["show", "-json", "import.tfplan"], "show")) as PlanJson;
    } finally {
      workspace.dispose();
    }
  });
});
afterAll(async () => {
  await fake?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

describe("imports", () => {
  it("synthesizes an import block for the configured address", () => {
    expect(synthesized.import).toEqual([{ to: "aws_secretsmanager_secret.secrets_target", id: ARN }]);
  });

  it("shows the resource as an import in the plan, not a create", () => {
    const secret = plan.resource_changes?.find((change) => change.address === "aws_secretsmanager_secret.secrets_target");
    expect(secret?.change.importing).toEqual({ id: ARN });
    expect(secret?.change.actions).not.toContain("create");
  });
});
