// Messages in the user's words: a JSON writer reads "expected an object", never zod's "record".
import { afterEach, expect, it } from "vitest";
import { type ConfigIssue, formatIssue } from "../../../src/config/errors.js";
import { loadIssues, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

function issuesFor(change: (config: Record<string, unknown>) => void): ConfigIssue[] {
  const config = validThreeVpc();
  change(config);
  tree = variablesTree({ dev: { "common.tfvars.json": config } });
  const issues = loadIssues(tree.dir);
  if (issues.length === 0) throw new Error("expected the config to be rejected");
  return issues;
}

it.each([
  ["a map given as a string", (c: Record<string, unknown>) => (c.common_tags = "team=a"), "$.common_tags", "wrong type; found \"team=a\"; expected an object"],
  ["a section given as a list", (c: Record<string, unknown>) => (c.network = []), "$.network", "wrong type; found an array of 0; expected an object"],
  ["a list given as a string", (c: Record<string, unknown>) => (c.vpc_azs = "us-east-1a"), "$.vpc_azs", "wrong type; found \"us-east-1a\"; expected an array"],
  ["a flag given as a string", (c: Record<string, unknown>) => (c.protected = "yes"), "$.protected", "wrong type; found \"yes\"; expected true or false"],
  ["a fraction where a count goes", (c: Record<string, unknown>) => (c.database = { readers: 1.5 }), "$.database.readers", "wrong type; found 1.5; expected a whole number"],
  ["a parameter that is neither text nor a number", (c: Record<string, unknown>) => (c.database = { parameters: { work_mem: true } }), '$.database.parameters.work_mem', "wrong type; found true; expected a string or a number"],
  ["a capacity off the half-unit grid", (c: Record<string, unknown>) => (c.database = { serverless_v2: { min_capacity: 0.3, max_capacity: 4 } }), "$.database.serverless_v2.min_capacity", "not an allowed value; found 0.3; expected a multiple of 0.5"],
])("words %s plainly", (_name, change, path, text) => {
  const issue = issuesFor(change).find((candidate) => candidate.path === path);
  expect(issue).toBeDefined();
  expect(formatIssue(issue!)).toBe(`${issue!.file}: ${path}: ${text}`);
  expect(formatIssue(issue!)).not.toMatch(/\brecord\b|\bint\b|Invalid input/);
});
