// The mocked apply (proof ladder step 3): every reference environment is applied by
// `terraform test` with the mocked AWS provider, so expressions that only have values at apply
// time (ARN splitting, `dns_entry[0]`, write-only values, outputs) are evaluated, not only planned.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentNames, loadEnvironments } from "../../src/config/load.js";
import { mockApply, mockApplyTestFile } from "../../src/terraform/mock-apply.js";
import { offlinePlan, TerraformError } from "../../src/terraform/offline-terraform.js";
import { mockApplyCached, REFERENCE_VARIABLES, synthEnvironment } from "../helpers/synth.js";

describe("mocked apply", () => {
  it.each(environmentNames(REFERENCE_VARIABLES))("%s applies with the mocked AWS provider", (name) => {
    const [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
    const { stackDir, cleanup } = synthEnvironment(name);
    try {
      mockApplyCached(stackDir, environment.props.region, name);
    } finally {
      cleanup();
    }
  }, 600_000);

  it("fails on an expression that only breaks at apply time, which a plan accepts", () => {
    // One interface endpoint's DNS entry is mocked; a second one exists only in the plan's unknowns.
    const dir = mkdtempSync(join(tmpdir(), "lz-mock-apply-"));
    try {
      writeFileSync(
        join(dir, "main.tf.json"),
        JSON.stringify({
          provider: { aws: { region: "eu-west-1" } },
          resource: { aws_vpc_endpoint: { e: { vpc_id: "vpc-0123456789abcdef0", service_name: "com.amazonaws.eu-west-1.kms", vpc_endpoint_type: "Interface" } } },
          output: { second: { value: "${aws_vpc_endpoint.e.dns_entry[1].dns_name}" } },
        }),
      );
      expect(offlinePlan(dir).counts.add).toBe(1);
      let failure: unknown;
      try {
        mockApply(dir, "eu-west-1");
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(TerraformError);
      expect((failure as TerraformError).output).toMatch(/Invalid index/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("keeps the mocks in one generated file with ARN-shaped defaults", () => {
    const file = mockApplyTestFile("eu-west-1");
    expect(file).toContain('mock_provider "aws"');
    expect(file).toMatch(/mock_resource "aws_launch_template" \{\s+defaults = \{\s+id = "lt-[0-9a-f]{17}"/);
    expect(file).toMatch(/mock_resource "aws_kms_key" \{\s+defaults = \{\s+arn = "arn:aws:kms:eu-west-1:123456789012:key\//);
    expect(file).toContain("command = apply");
  });
});
