import { describe, expect, it } from "vitest";
import { buildTableMappings, selectedTables, validateTableMappings } from "../../modules/dms/table-mappings.js";

describe("buildTableMappings", () => {
  it("writes selection rules in DMS's format, includes before excludes, with unique string ids and names", () => {
    const document = buildTableMappings({
      include: [{ schema: "demo_schema", table: "demo_accounts", loadOrder: 2 }, { schema: "sales", table: "%" }],
      exclude: [{ schema: "sales", table: "tmp_%" }],
    });
    expect(document.rules).toEqual([
      { "rule-type": "selection", "rule-id": "1", "rule-name": "include-1", "object-locator": { "schema-name": "demo_schema", "table-name": "demo_accounts" }, "rule-action": "include", "load-order": 2 },
      { "rule-type": "selection", "rule-id": "2", "rule-name": "include-2", "object-locator": { "schema-name": "sales", "table-name": "%" }, "rule-action": "include" },
      { "rule-type": "selection", "rule-id": "3", "rule-name": "exclude-3", "object-locator": { "schema-name": "sales", "table-name": "tmp_%" }, "rule-action": "exclude" },
    ]);
  });

  it("writes each transformation with the object-locator its target needs", () => {
    const { rules } = buildTableMappings({
      include: [{ schema: "dbo", table: "%" }],
      transformations: [
        { action: "rename", target: "schema", schema: "dbo", value: "public" },
        { action: "convert-lowercase", target: "table", schema: "%", table: "%" },
        { action: "remove-column", target: "column", schema: "dbo", table: "users", column: "password_hash" },
        { action: "add-prefix", target: "table", schema: "dbo", table: "%", value: "legacy_" },
        { action: "rename", target: "column", schema: "dbo", table: "users", column: "UserName", value: "user_name" },
      ],
    });
    expect(rules.slice(1)).toEqual([
      { "rule-type": "transformation", "rule-id": "2", "rule-name": "rename-schema-2", "rule-target": "schema", "object-locator": { "schema-name": "dbo" }, "rule-action": "rename", value: "public" },
      { "rule-type": "transformation", "rule-id": "3", "rule-name": "convert-lowercase-table-3", "rule-target": "table", "object-locator": { "schema-name": "%", "table-name": "%" }, "rule-action": "convert-lowercase" },
      { "rule-type": "transformation", "rule-id": "4", "rule-name": "remove-column-column-4", "rule-target": "column", "object-locator": { "schema-name": "dbo", "table-name": "users", "column-name": "password_hash" }, "rule-action": "remove-column" },
      { "rule-type": "transformation", "rule-id": "5", "rule-name": "add-prefix-table-5", "rule-target": "table", "object-locator": { "schema-name": "dbo", "table-name": "%" }, "rule-action": "add-prefix", value: "legacy_" },
      { "rule-type": "transformation", "rule-id": "6", "rule-name": "rename-column-6", "rule-target": "column", "object-locator": { "schema-name": "dbo", "table-name": "users", "column-name": "UserName" }, "rule-action": "rename", value: "user_name" },
    ]);
    expect(validateTableMappings({ rules })).toEqual([]);
  });

  it("refuses a spec that includes nothing, or a rename without a new name", () => {
    expect(() => buildTableMappings({ include: [] })).toThrow(/no rules/);
    expect(() => buildTableMappings({ include: [{ schema: "a", table: "b" }], transformations: [{ action: "rename", target: "table", schema: "a", table: "b" }] })).toThrow(
      /rules\[1\]\.value: action "rename" needs a value/,
    );
    expect(() => buildTableMappings({ include: [{ schema: "a", table: "b" }], transformations: [{ action: "convert-lowercase", target: "column", schema: "a", table: "b" }] })).toThrow(
      /rules\[1\]\.object-locator\.column-name: missing or empty/,
    );
  });
});

describe("validateTableMappings", () => {
  const include = { "rule-type": "selection", "rule-id": "1", "rule-name": "1", "object-locator": { "schema-name": "s", "table-name": "t" }, "rule-action": "include" };
  const problemsFor = (rules: unknown[]) => validateTableMappings({ rules });

  it("accepts DMS's own console output (numeric ids as strings, filters, explicit)", () => {
    expect(problemsFor([include, { ...include, "rule-id": 2, "rule-name": "2", "rule-action": "explicit", filters: [] }])).toEqual([]);
  });

  it("names the rule index and the field of every problem", () => {
    const problems = problemsFor([
      include,
      { "rule-type": "selection", "rule-id": "2", "rule-name": "2", "object-locator": { "schema-name": "s" }, "rule-action": "include" },
      { "rule-type": "selection", "rule-id": "1", "rule-name": "3", "object-locator": { "schema-name": "s", "table-name": "t" }, "rule-action": "keep" },
      { "rule-type": "transformation", "rule-id": "4", "rule-name": "1", "rule-target": "table", "object-locator": { "schema-name": "s", "table-name": "t" }, "rule-action": "add-prefix" },
      { "rule-type": "filter", "rule-id": "5", "rule-name": "5" },
    ]);
    expect(problems.map((p) => [p.ruleIndex, p.field])).toEqual([
      [1, "object-locator.table-name"],
      [2, "rule-id"],
      [2, "rule-action"],
      [3, "rule-name"],
      [3, "value"],
      [4, "rule-type"],
    ]);
    expect(problems[1]).toMatchObject({ message: "duplicates rules[0]", found: '"1"' });
    expect(problems[2]).toMatchObject({ found: '"keep"', expected: '"include", "exclude" or "explicit"' });
  });

  it("rejects documents that are not a rules object, or that include nothing", () => {
    expect(validateTableMappings([include])).toMatchObject([{ field: "$", message: "not a JSON object" }]);
    expect(validateTableMappings({ rule: [include] })).toMatchObject([{ field: "rules", found: "nothing" }]);
    expect(problemsFor([{ ...include, "rule-action": "exclude" }])).toMatchObject([{ field: "rules", message: "no selection rule includes anything" }]);
    expect(problemsFor([{ ...include, "object-locator": "s.t" }])).toMatchObject([{ ruleIndex: 0, field: "object-locator", found: '"s.t"' }]);
  });

  it("requires the column for column targets and a column target for remove-column", () => {
    const problems = problemsFor([include, { "rule-type": "transformation", "rule-id": "2", "rule-name": "2", "rule-target": "table", "object-locator": { "schema-name": "s", "table-name": "t" }, "rule-action": "remove-column" }]);
    expect(problems).toMatchObject([{ ruleIndex: 1, field: "rule-target", expected: '"column"' }]);
  });
});

describe("selectedTables", () => {
  it("lists included and excluded patterns, whatever produced the document", () => {
    const document = buildTableMappings({ include: [{ schema: "a", table: "%" }], exclude: [{ schema: "a", table: "audit" }], transformations: [{ action: "convert-lowercase", target: "schema", schema: "%" }] });
    expect(selectedTables(document)).toEqual({ include: [{ schema: "a", table: "%" }], exclude: [{ schema: "a", table: "audit" }] });
  });
});
