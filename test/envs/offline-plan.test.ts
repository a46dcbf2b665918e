// The offline plan validates as it plans (no separate `terraform validate`): an invalid
// configuration fails with one line per problem, naming where it is.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { offlinePlan, TerraformError } from "../../src/terraform/offline-terraform.js";

const dir = mkdtempSync(join(tmpdir(), "lz-bad-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("offlinePlan", () => {
  it("fails an invalid configuration with one line per error, with its file and line", () => {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ provider: { aws: { region: "eu-west-1" } }, resource: { aws_sqs_queue: { queue: { name: "q", bogus_argument: 1 } } } }, null, 2),
    );
    let error: unknown;
    try {
      offlinePlan(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TerraformError);
    expect((error as TerraformError).message).toMatch(/^terraform plan failed:\nerror: .* \(main\.tf\.json:\d+\): .*"bogus_argument"/);
    expect((error as TerraformError).message.split("\n")).toHaveLength(2);
  });
});
