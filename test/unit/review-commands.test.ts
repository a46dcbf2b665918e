// `dms-lz summary` over a plan made elsewhere: writes plan-summary.md and exits 1 on an
// error-level finding, 0 otherwise (the same outcome `dms-lz plan` reports after its offline plan).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { compliantStack } from "../fixtures/policy/compliant-stack.js";
import { validThreeVpc, variablesTree, VariablesTree } from "../helpers/config-fixtures.js";
import { change, planFixture } from "../helpers/plan-fixtures.js";

let tree: VariablesTree;
let out: string;
beforeAll(() => {
  tree = variablesTree({ dev: { "common.tfvars.json": validThreeVpc(), "policy.tfvars.json": { policy: { suppressions: [{ rule: "LZ-S3-004", address: "aws_s3_bucket.*", reason: "CloudFront reads it" }] } } } });
  out = mkdtempSync(join(tmpdir(), "lz-summary-"));
});
afterAll(() => {
  tree.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function summary(plan: unknown) {
  const file = join(out, "plan.json");
  writeFileSync(file, JSON.stringify(plan));
  let text = "";
  const io = { stdout: (chunk: string) => void (text += chunk), stderr: (chunk: string) => void (text += chunk) };
  const code = await runCli(["summary", "--env", "dev", "--vars", tree.dir, "--out", out, "--plan", file], io);
  return { code, text, markdown: readFileSync(join(out, "stacks", "dev", "plan-summary.md"), "utf8") };
}

describe("dms-lz summary", () => {
  it("exits 0 on a plan with no error finding and lists the configured suppression", async () => {
    const weakBucket = change(compliantStack(), "aws_s3_bucket_server_side_encryption_configuration.media_encryption", (sse) => (sse.values.rule = [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] }]));
    const { code, text, markdown } = await summary(planFixture(weakBucket).plan);
    expect(code, text).toBe(0);
    expect(existsSync(join(out, "stacks", "dev", "cdk.tf.json"))).toBe(true);
    expect(markdown).toContain("| LZ-S3-004 | `aws_s3_bucket.media_bucket` |");
    expect(markdown).toContain("CloudFront reads it");
  });

  it("exits 1 on an error-level finding and names it", async () => {
    const publicDb = change(compliantStack(), "aws_db_instance.database_instance", (db) => (db.values.publicly_accessible = true));
    const { code, text } = await summary(planFixture(publicDb).plan);
    expect(code).toBe(1);
    expect(text).toMatch(/error LZ-DB-002 aws_db_instance\.database_instance/);
  });

  it("asks for one environment and a plan file", async () => {
    let text = "";
    const code = await runCli(["summary", "--env", "dev"], { stdout: (chunk) => void (text += chunk), stderr: (chunk) => void (text += chunk) });
    expect(code).toBe(2);
    expect(text).toMatch(/--plan FILE/);
  });
});
