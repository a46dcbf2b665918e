// DMS table mappings: a typed builder for the rules people write most (selection by schema and
// table with `%` wildcards; rename, convert-lowercase, remove-column, add-prefix), and a validator
// for hand-written mapping documents that names the rule index and field of every problem, so a
// bad mapping fails at synth rather than when DMS rejects the task at apply time. The typed rules'
// schema is the one the config validates dms.tasks.<key>.include/exclude/transformations with.
import { z } from "zod";

/** A table (or pattern) as DMS's object-locator writes it: `%` matches any run of characters. */
export interface TableLocator {
  readonly schema: string;
  readonly table: string;
}

export interface TableSelection extends TableLocator {
  /**
   * Tables with a higher load order are loaded first.
   * @default DMS's order
   */
  readonly loadOrder?: number;
}

export type TransformationAction = "rename" | "convert-lowercase" | "remove-column" | "add-prefix";
export type TransformationTarget = "schema" | "table" | "column";

export interface TransformationRule {
  readonly action: TransformationAction;
  /** What the rule changes; `remove-column` always targets a column. */
  readonly target: TransformationTarget;
  readonly schema: string;
  /** Required for table and column targets. */
  readonly table?: string;
  /** Required for column targets. */
  readonly column?: string;
  /** The new name (rename) or the prefix (add-prefix). */
  readonly value?: string;
}

export interface TableMappingsSpec {
  /** At least one: DMS needs a selection rule that includes something. */
  readonly include: readonly TableSelection[];
  /** @default [] */
  readonly exclude?: readonly TableLocator[];
  /** @default [] */
  readonly transformations?: readonly TransformationRule[];
}

/** A DMS table-mapping document, `{ "rules": [...] }`. */
export interface TableMappingsDocument {
  readonly rules: readonly Record<string, unknown>[];
}

export interface MappingProblem {
  /** Index into `rules`, when the problem is in one rule. */
  readonly ruleIndex?: number;
  /** The field inside the rule (or the document), dotted: `object-locator.table-name`. */
  readonly field: string;
  readonly message: string;
  readonly found?: string;
  readonly expected: string;
}

/** A name or `%` pattern in a table mapping; DMS takes no Terraform reference in one. */
export const mappingName = z
  .string()
  .min(1)
  .refine((value) => !value.includes("${"), "expected a name or pattern without ${ (DMS refuses it; it is not a Terraform reference)");

/**
 * The typed rules as a user writes them (config's dms.tasks.<key>.include/exclude/transformations,
 * snake_case); buildTableMappings takes what they parse to.
 */
export const tableLocatorSchema = z.strictObject({
  schema: mappingName.describe("Schema name or pattern (% matches any run of characters)."),
  table: mappingName.describe("Table name or pattern (% matches any run of characters)."),
});

export const tableSelectionSchema = tableLocatorSchema.extend({ load_order: z.number().int().min(0).optional().describe("Higher loads first.") });

export const transformationRuleSchema = z
  .strictObject({
    action: z.enum(["rename", "convert-lowercase", "remove-column", "add-prefix"]).describe("What the rule does."),
    target: z.enum(["schema", "table", "column"]).default("table").describe("What it applies to (remove-column: always column)."),
    schema: mappingName.describe("Schema name or pattern."),
    table: mappingName.optional().describe("Table name or pattern (table and column targets)."),
    column: mappingName.optional().describe("Column name or pattern (column targets)."),
    value: mappingName.optional().describe("The new name (rename) or the prefix (add-prefix)."),
  })
  .superRefine((rule, ctx) => {
    const target = rule.action === "remove-column" ? "column" : rule.target;
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if ((target === "table" || target === "column") && rule.table === undefined) problem("table", `expected the table name or pattern: a ${target} rule needs the table`);
    if (target === "column" && rule.column === undefined) problem("column", "expected the column name or pattern: a column rule needs the column");
    if ((rule.action === "rename" || rule.action === "add-prefix") && rule.value === undefined) {
      problem("value", `expected ${rule.action === "rename" ? "the new name" : "the prefix"}: ${rule.action} needs a value`);
    }
    if (rule.action === "remove-column" && rule.target !== "column" && rule.target !== "table") problem("target", 'expected "column": remove-column works on columns');
  });

/** Transformation actions that take a `value` (the new name, or the prefix/suffix). */
const ACTIONS_WITH_VALUE: readonly string[] = ["rename", "add-prefix", "add-suffix", "remove-prefix", "remove-suffix", "replace-prefix", "replace-suffix"];

/** Builds the rules document; throws with every problem when the spec is invalid. */
export function buildTableMappings(spec: TableMappingsSpec): TableMappingsDocument {
  const rules: Record<string, unknown>[] = [];
  const next = (kind: string) => {
    const id = String(rules.length + 1);
    return { "rule-id": id, "rule-name": `${kind}-${id}` };
  };
  for (const selection of spec.include) {
    rules.push({
      "rule-type": "selection",
      ...next("include"),
      "object-locator": { "schema-name": selection.schema, "table-name": selection.table },
      "rule-action": "include",
      ...(selection.loadOrder === undefined ? {} : { "load-order": selection.loadOrder }),
    });
  }
  for (const excluded of spec.exclude ?? []) {
    rules.push({
      "rule-type": "selection",
      ...next("exclude"),
      "object-locator": { "schema-name": excluded.schema, "table-name": excluded.table },
      "rule-action": "exclude",
    });
  }
  for (const transformation of spec.transformations ?? []) {
    const target = transformation.action === "remove-column" ? "column" : transformation.target;
    rules.push({
      "rule-type": "transformation",
      ...next(`${transformation.action}-${target}`),
      "rule-target": target,
      "object-locator": {
        "schema-name": transformation.schema,
        ...(target === "schema" ? {} : { "table-name": transformation.table }),
        ...(target === "column" ? { "column-name": transformation.column } : {}),
      },
      "rule-action": transformation.action,
      ...(transformation.value === undefined ? {} : { value: transformation.value }),
    });
  }
  const document = { rules };
  const problems = validateTableMappings(document);
  if (problems.length > 0) throw new Error(`invalid table mappings:\n${problems.map((p) => `  - ${formatMappingProblem(p)}`).join("\n")}`);
  return document;
}

export function formatMappingProblem(problem: MappingProblem): string {
  const where = problem.ruleIndex === undefined ? problem.field : `rules[${problem.ruleIndex}].${problem.field}`;
  return `${where}: ${problem.message}${problem.found === undefined ? "" : `; found ${problem.found}`}; expected ${problem.expected}`;
}

/**
 * Checks a mapping document against the structure DMS accepts for selection, transformation and
 * table-settings rules (the rule types this project generates or documents). Returns every problem.
 */
export function validateTableMappings(document: unknown): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!isObject(document)) return [{ field: "$", message: "not a JSON object", found: describe(document), expected: '{ "rules": [ ... ] }' }];
  const rules = document.rules;
  if (!Array.isArray(rules)) return [{ field: "rules", message: "missing or not an array", found: describe(rules), expected: "an array of rule objects" }];
  if (rules.length === 0) return [{ field: "rules", message: "no rules", found: "an empty array", expected: "at least one selection rule with rule-action include" }];

  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  let includes = 0;
  rules.forEach((rule, index) => {
    const problem = (field: string, message: string, found: unknown, expected: string) =>
      problems.push({ ruleIndex: index, field, message, found: found === undefined ? "nothing" : describe(found), expected });
    if (!isObject(rule)) {
      problem("", "a rule is not an object", rule, "an object with rule-type, rule-id, rule-name, object-locator and rule-action");
      return;
    }
    const id = rule["rule-id"];
    if (!(typeof id === "string" && /^\d+$/.test(id)) && !(typeof id === "number" && Number.isInteger(id) && id > 0)) {
      problem("rule-id", "missing or not a number", id, 'a unique positive integer, usually written as a string ("1")');
    } else if (ids.has(String(id))) {
      problem("rule-id", `duplicates rules[${ids.get(String(id))}]`, id, "a rule-id used once");
    } else {
      ids.set(String(id), index);
    }
    const name = rule["rule-name"];
    if (typeof name !== "string" || name.trim() === "") {
      problem("rule-name", "missing or empty", name, "a unique non-empty string");
    } else if (names.has(name)) {
      problem("rule-name", `duplicates rules[${names.get(name)}]`, name, "a rule-name used once");
    } else {
      names.set(name, index);
    }

    const type = rule["rule-type"];
    const locator = rule["object-locator"];
    const requireLocatorField = (key: string) => {
      if (!isObject(locator)) return;
      const value = locator[key];
      if (typeof value !== "string" || value === "") problem(`object-locator.${key}`, "missing or empty", value, "a name, or a pattern with % wildcards");
      else if (!mappingName.safeParse(value).success) problem(`object-locator.${key}`, "holds ${", value, "a name or pattern without ${ (DMS refuses it)");
    };
    const requireLocator = () => {
      if (!isObject(locator)) problem("object-locator", "missing or not an object", locator, '{ "schema-name": ..., "table-name": ... }');
      return isObject(locator);
    };
    switch (type) {
      case "selection": {
        const action = rule["rule-action"];
        if (action !== "include" && action !== "exclude" && action !== "explicit") {
          problem("rule-action", "not a selection action", action, '"include", "exclude" or "explicit"');
        } else if (action !== "exclude") {
          includes++;
        }
        if (requireLocator()) {
          requireLocatorField("schema-name");
          requireLocatorField("table-name");
        }
        const loadOrder = rule["load-order"];
        if (loadOrder !== undefined && !(Number.isInteger(Number(loadOrder)) && Number(loadOrder) >= 0)) {
          problem("load-order", "not a non-negative integer", loadOrder, "a non-negative integer");
        }
        const filters = rule.filters;
        if (filters !== undefined && !Array.isArray(filters)) problem("filters", "not an array", filters, "an array of filter objects");
        break;
      }
      case "transformation": {
        const target = rule["rule-target"];
        const targets = ["schema", "table", "column", "table-tablespace", "index-tablespace", "primary-key", "data-type"];
        if (typeof target !== "string" || !targets.includes(target)) {
          problem("rule-target", "not a transformation target", target, targets.map((t) => `"${t}"`).join(", "));
        }
        const action = rule["rule-action"];
        if (typeof action !== "string" || action === "") {
          problem("rule-action", "missing", action, 'a transformation action such as "rename", "convert-lowercase", "remove-column" or "add-prefix"');
        } else {
          if (ACTIONS_WITH_VALUE.includes(action) && (typeof rule.value !== "string" || rule.value === "")) {
            problem("value", `action "${action}" needs a value`, rule.value, "a non-empty string");
          }
          if ((action === "replace-prefix" || action === "replace-suffix") && typeof rule["old-value"] !== "string") {
            problem("old-value", `action "${action}" needs the old value`, rule["old-value"], "the prefix or suffix to replace");
          }
          if (action === "remove-column" && target !== "column") {
            problem("rule-target", 'action "remove-column" works on columns', target, '"column"');
          }
        }
        if (requireLocator()) {
          requireLocatorField("schema-name");
          if (target !== "schema") requireLocatorField("table-name");
          if (target === "column") requireLocatorField("column-name");
        }
        break;
      }
      case "table-settings":
        if (requireLocator()) {
          requireLocatorField("schema-name");
          requireLocatorField("table-name");
        }
        break;
      default:
        problem("rule-type", "not a rule type", type, '"selection", "transformation" or "table-settings"');
    }
  });
  if (problems.length === 0 && includes === 0) {
    problems.push({ field: "rules", message: "no selection rule includes anything", expected: 'at least one selection rule with rule-action "include" (DMS refuses a task that selects no table)' });
  }
  return problems;
}

/** The schema/table patterns a mapping document includes and excludes, in rule order. */
export function selectedTables(document: TableMappingsDocument): { include: TableLocator[]; exclude: TableLocator[] } {
  const include: TableLocator[] = [];
  const exclude: TableLocator[] = [];
  for (const rule of document.rules) {
    const locator = rule["object-locator"];
    if (rule["rule-type"] !== "selection" || !isObject(locator)) continue;
    const table = { schema: String(locator["schema-name"]), table: String(locator["table-name"]) };
    if (rule["rule-action"] === "exclude") exclude.push(table);
    else include.push(table);
  }
  return { include, exclude };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
