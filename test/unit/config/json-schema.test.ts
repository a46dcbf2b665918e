// variables/schema.json and the README's config reference are generated from the one schema:
// they must be current (`npm run schema` changes nothing) and stable from run to run.
import { expect, it } from "vitest";
import { configReferenceMarkdown, environmentJsonSchema, writeSchemaFiles } from "../../../src/config/json-schema.js";

it("variables/schema.json and the README's config reference are current", () => {
  expect(writeSchemaFiles({ check: true }), "run: npm run schema").toEqual([]);
});

it("generates the same text on every run", () => {
  expect(JSON.stringify(environmentJsonSchema())).toBe(JSON.stringify(environmentJsonSchema()));
  expect(configReferenceMarkdown()).toBe(configReferenceMarkdown());
});

it("documents every top-level key", () => {
  const reference = configReferenceMarkdown();
  for (const key of Object.keys(environmentJsonSchema().properties ?? {}).filter((key) => key !== "$schema")) {
    expect(reference).toContain(`| \`${key}\``);
  }
});
