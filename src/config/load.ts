// Reads `variables/<env>/*.tfvars.json`, merges each environment's files in file-name order (a
// later file replaces a top-level key as a whole, as Terraform does with several -var-files),
// validates, and returns typed stack props. Every problem in every environment is gathered
// and thrown together, so nothing is synthesized from a half-valid tree.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { z } from "zod";
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from "../../modules/core/naming.js";
import { ConfigError, ConfigIssue, describeValue, jsonPath } from "./errors.js";
import { readVariablesFiles } from "./read-variables.js";
import { EnvironmentConfig, environmentSchema } from "./schema.js";
import { semanticIssues } from "./semantic-checks.js";
import { closestKey } from "./suggest.js";
import { toStackProps } from "./to-props.js";

export interface LoadedEnvironment {
  /** The directory name: the stack's name. */
  readonly name: string;
  readonly files: readonly string[];
  readonly config: EnvironmentConfig;
  readonly props: EnvironmentStackProps;
}

export const DEFAULT_VARIABLES_DIR = "variables";

export function variablesDir(explicit?: string): string {
  return explicit ?? process.env.LZ_VARIABLES_DIR ?? DEFAULT_VARIABLES_DIR;
}

/** Environment directory names under `dir`, sorted. */
export function environmentNames(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([{ file: dir, path: "$", message: "variables directory not found", expected: "a directory with one folder per environment" }]);
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}

/** Loads the named environments (default: all); throws ConfigError listing every problem. */
export function loadEnvironments(dir: string, only?: readonly string[]): LoadedEnvironment[] {
  const available = environmentNames(dir);
  const issues: ConfigIssue[] = [];
  for (const name of only ?? []) {
    if (!available.includes(name)) {
      const hint = closestKey(name, available);
      issues.push({
        file: join(dir, name),
        path: "$",
        message: `no such environment${hint ? ` (did you mean "${hint}"?)` : ""}`,
        expected: `one of ${available.join(", ") || "(none: the directory is empty)"}`,
      });
    }
  }
  if (available.length === 0) {
    issues.push({ file: dir, path: "$", message: "no environments", expected: "at least one folder holding *.tfvars.json files" });
  }
  const loaded: LoadedEnvironment[] = [];
  for (const name of only ?? available) {
    if (!available.includes(name)) continue;
    const result = loadEnvironment(join(dir, name), name);
    if ("issues" in result) issues.push(...result.issues);
    else loaded.push(result.environment);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return loaded;
}

type LoadResult = { environment: LoadedEnvironment } | { issues: ConfigIssue[] };

function loadEnvironment(envDir: string, name: string): LoadResult {
  const display = (file: string) => {
    const shown = relative(process.cwd(), file);
    return shown && !shown.startsWith("..") ? shown : file;
  };
  const { files: read, names: files, issues } = readVariablesFiles(envDir, display);
  if (files.length === 0 && issues.length === 0) {
    return { issues: [{ file: display(envDir), path: "$", message: "no *.tfvars.json files in this environment", expected: "at least one <name>.tfvars.json" }] };
  }
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const { file, value } of read) {
    for (const [key, setting] of Object.entries(value)) {
      merged[key] = setting;
      origin.set(key, display(file));
    }
  }
  // A file that cannot be read leaves the environment's settings unknown: check nothing more.
  if (issues.length > 0) return { issues };
  // Without an `environment` key the directory name is the environment name, in every AWS name.
  // When it is refused, the checks below see a stand-in, so they never blame a key built from it.
  const nameIssues: ConfigIssue[] = [];
  if (merged.environment === undefined && !ENVIRONMENT_NAME_PATTERN.test(name)) {
    nameIssues.push({ file: display(envDir), path: "$", message: "the environment directory name is not a valid environment name (it becomes part of AWS resource names)", found: JSON.stringify(name), expected: `${ENVIRONMENT_NAME_RULE}, or an "environment" key with such a name` });
  }
  const checkedName = nameIssues.length > 0 ? "env" : name;

  // A key's problems belong to the file that set it; a missing key to the only file, or to all.
  const fallback = files.length === 1 ? display(files[0]) : `${display(envDir)}/*.tfvars.json`;
  const fileOf = (path: readonly PropertyKey[]) => (path.length > 0 && origin.get(String(path[0]))) || fallback;
  const result = environmentSchema.safeParse(merged);
  if (!result.success) {
    return { issues: [...nameIssues, ...result.error.issues.flatMap((issue) => toConfigIssues(issue, merged, fileOf))] };
  }
  const semantic = [...nameIssues, ...semanticIssues(result.data, checkedName, fileOf)];
  if (semantic.length > 0) return { issues: semantic };
  return { environment: { name, files, config: result.data, props: toStackProps(result.data, name, envDir) } };
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

function toConfigIssues(issue: z.core.$ZodIssue, input: unknown, fileOf: (path: readonly PropertyKey[]) => string): ConfigIssue[] {
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
      return [{ ...base, message: found === "nothing" ? "required key is missing" : "wrong type", expected: issue.expected }];
    case "invalid_value":
      return [{ ...base, message: "not an allowed value", expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
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
