// Every environment under variables/ through the full offline ladder: synth, terraform init
// against the provider mirror, validate, plan, show -json.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentNames } from "../../src/config/load.js";
import { REFERENCE_VARIABLES, referencePlan } from "../helpers/synth.js";

const environments = environmentNames(REFERENCE_VARIABLES);

describe("reference environments", () => {
  it("include dev, prod and single-vpc", () => {
    expect(environments).toEqual(expect.arrayContaining(["dev", "prod", "single-vpc"]));
  });

  for (const name of environments) {
    it(`${name} validates and plans offline with the real AWS provider`, () => {
      const { json, plan } = referencePlan(name);
      expect(json.terraform?.required_providers).toEqual({ aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } });
      expect(plan.counts.add).toBeGreaterThan(0);
      expect(plan.counts.destroy + plan.counts.replace + plan.counts.change).toBe(0);
      expect(plan.validateWarnings).toEqual([]);
      const planned = new Set(plan.planJson.resource_changes?.map((change) => change.address));
      for (const [type, resources] of Object.entries(json.resource ?? {})) {
        for (const resourceName of Object.keys(resources)) expect(planned).toContain(`${type}.${resourceName}`);
      }
    });

    it(`${name} carries no documentation placeholders: what it cannot know is left out`, () => {
      const dir = join(REFERENCE_VARIABLES, name);
      const text = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
        .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
        .join("\n");
      // AWS's documentation account, and example.com names nobody receives mail or a certificate for.
      expect(text).not.toMatch(/\b123456789012\b/);
      expect(text).not.toMatch(/@example\.com|"media\.example\.com"/);
    });

    it(`${name} uses only hashicorp/aws and Terraform built-ins, with readable addresses`, () => {
      const { json } = referencePlan(name);
      expect(Object.keys(json.provider ?? {})).toEqual(["aws"]);
      for (const [type, resources] of Object.entries(json.resource ?? {})) {
        expect(type).toMatch(/^(aws_|terraform_data$)/);
        for (const resourceName of Object.keys(resources)) expect(resourceName).toMatch(/^[a-z][a-z0-9_]*$/);
      }
      for (const type of Object.keys(json.data ?? {})) expect(["aws_partition", "aws_region"]).toContain(type);
    });
  }
});
