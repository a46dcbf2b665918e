// Validates one environment's merged settings: the schema, then every capability's cross-field
// check whose keys parsed, so one mistake never hides another. Returns every problem, or the
// typed config and the stack's props.
import type { z } from "zod";
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { CROSS_CHECKS, toStackProps } from "./compose.js";
import { configContext } from "./context.js";
import { ConfigIssue, describeValue, FileOf, issueCollector, jsonPath } from "./errors.js";
import { normalizeSamplesVpcs } from "./samples-vpcs.js";
import { EnvironmentConfig, environmentSchema, environmentShape } from "./schema.js";
import { closestKey } from "./suggest.js";

export type ValidationResult = { readonly config: EnvironmentConfig; readonly props: EnvironmentStackProps } | { readonly issues: ConfigIssue[] };

/** `name`: the environment's directory name; `envDir`: its path, for files named in config. */
export function validateEnvironment(merged: Record<string, unknown>, name: string, envDir: string, fileOf: FileOf): ValidationResult {
  const result = environmentSchema.safeParse(merged);
  const issues = result.success ? [] : result.error.issues.flatMap((issue) => toConfigIssues(issue, merged, fileOf));
  const { config, invalidKeys } = result.success ? { config: result.data, invalidKeys: new Set<string>() } : parseEachKey(merged);

  // The context needs these keys; without them no check can name things as they will be named.
  if (!CONTEXT_KEYS.some((key) => invalidKeys.has(key))) {
    const context = configContext(config, name, envDir, invalidKeys);
    const { issues: crossIssues, issue } = issueCollector(fileOf);
    for (const check of CROSS_CHECKS) {
      if (check.reads.every((key) => !invalidKeys.has(key))) check.run(config, context, issue);
    }
    issues.push(...crossIssues);
    if (issues.length === 0) return { config, props: toStackProps(config, context) };
  }
  return { issues };
}

const CONTEXT_KEYS = ["environment", "project", "protected"] as const;

/** Each top-level key parsed on its own: the keys that parsed, and the names of those that did not. */
function parseEachKey(merged: Record<string, unknown>): { config: EnvironmentConfig; invalidKeys: Set<string> } {
  const parsed: Record<string, unknown> = {};
  const invalidKeys = new Set<string>();
  for (const [key, schema] of Object.entries(environmentShape)) {
    const result = (schema as z.ZodType).safeParse(merged[key]);
    if (result.success) parsed[key] = result.data;
    else invalidKeys.add(key);
  }
  // Checks that read an invalid key are skipped, so the missing values are never read.
  return { config: normalizeSamplesVpcs(parsed) as unknown as EnvironmentConfig, invalidKeys };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key as string];
  }
  return value;
}

/** Keys the schema allows at a path, for did-you-mean on unknown keys. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = environmentSchema;
  for (const key of [...path, null]) {
    // Unwrap optional / default / prefault / pipe wrappers down to the object or record.
    for (let guard = 0; guard < 10; guard++) {
      const def = (schema as { def?: { type?: string; innerType?: unknown; in?: unknown } }).def;
      if (def?.innerType) schema = def.innerType;
      else if (def?.type === "pipe") schema = def.in;
      else break;
    }
    if (key === null) break;
    const def = (schema as { def: { type: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown } }).def;
    if (def.type === "object") schema = def.shape?.[String(key)];
    else if (def.type === "record") schema = def.valueType;
    else if (def.type === "array") schema = def.element;
    else return [];
  }
  const shape = (schema as { def?: { shape?: Record<string, unknown> } })?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function toConfigIssues(issue: z.core.$ZodIssue, input: unknown, fileOf: FileOf): ConfigIssue[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => {
      const hint = closestKey(key, known);
      return {
        file: fileOf([...path, key]),
        path: jsonPath([...path, key]),
        message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}`,
        found: describeValue(valueAt(input, [...path, key])),
        expected: hint ? `"${hint}"` : `one of the keys documented in variables/schema.json${path.length ? ` under ${jsonPath(path)}` : ""}`,
      };
    });
  }
  const found = describeValue(valueAt(input, path));
  const base = { file: fileOf(path), path: jsonPath(path), found };
  switch (issue.code) {
    case "invalid_type":
      return [{ ...base, message: found === "nothing" ? "required key is missing" : "wrong type", expected: typeInWords(issue.expected) }];
    case "invalid_union": {
      // A value of several allowed types: name them all, as a user would.
      const expected = [...new Set(issue.errors.flatMap((branch) => branch.filter((inner) => inner.code === "invalid_type").map((inner) => typeInWords(inner.expected))))];
      return [{ ...base, message: found === "nothing" ? "required key is missing" : "wrong type", expected: expected.join(" or ") || "a valid value" }];
    }
    case "not_multiple_of":
      return [{ ...base, message: "not an allowed value", expected: `a multiple of ${issue.divisor}` }];
    case "invalid_value":
      return [{ ...base, message: "not an allowed value", expected: issue.message.startsWith("expected ") ? issue.message.slice(9) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    case "too_small":
      return [{ ...base, message: "too small", expected: `${issue.origin === "array" ? "at least" : issue.origin === "string" ? "a length of at least" : ">="} ${issue.minimum}${issue.origin === "array" ? " items" : ""}` }];
    case "too_big":
      return [{ ...base, message: "too large", expected: `${issue.origin === "array" ? "at most" : issue.origin === "string" ? "a length of at most" : "<="} ${issue.maximum}${issue.origin === "array" ? " items" : ""}` }];
    case "invalid_format":
      return [{ ...base, message: "invalid format", expected: issue.message.startsWith("expected ") ? issue.message.slice(9) : `a value matching ${issue.format}` }];
    case "invalid_key": {
      // A map key (an endpoint or task name) that its pattern refuses: say what keys look like.
      const reason = issue.issues[0]?.message ?? "a valid key";
      return [{ ...base, found: JSON.stringify(String(path[path.length - 1])), message: "invalid key", expected: reason.startsWith("expected ") ? reason.slice(9) : reason }];
    }
    default:
      return [
        issue.message.startsWith("expected ")
          ? { ...base, message: "invalid value", expected: issue.message.slice(9) }
          : { ...base, message: issue.message },
      ];
  }
}

/** zod's type names ("record", "int") in the words of someone writing JSON. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "an object",
  record: "an object",
  map: "an object",
  array: "an array",
  tuple: "an array",
  set: "an array",
  string: "a string",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  boolean: "true or false",
  null: "null",
};

function typeInWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}
