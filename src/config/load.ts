// Reads `variables/<env>/*.tfvars.json`, merges each environment's files in file-name order (a
// later file replaces a top-level key as a whole, as Terraform does with several -var-files),
// validates, and returns typed stack props. Every problem in every environment is gathered
// and thrown together, so nothing is synthesized from a half-valid tree.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { ConfigError, ConfigIssue, describeValue } from "./errors.js";
import type { EnvironmentConfig } from "./schema.js";
import { closestKey } from "./suggest.js";
import { validateEnvironment } from "./validate.js";

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
  const files = readdirSync(envDir)
    .filter((file) => file.endsWith(".tfvars.json"))
    .sort()
    .map((file) => join(envDir, file));
  const display = (file: string) => {
    const shown = relative(process.cwd(), file);
    return shown && !shown.startsWith("..") ? shown : file;
  };
  if (files.length === 0) {
    return { issues: [{ file: display(envDir), path: "$", message: "no *.tfvars.json files in this environment", expected: "at least one <name>.tfvars.json" }] };
  }

  const issues: ConfigIssue[] = [];
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const file of files) {
    const parsed = parseJsonFile(file, display(file));
    if ("issue" in parsed) {
      issues.push(parsed.issue);
      continue;
    }
    for (const [key, value] of Object.entries(parsed.value)) {
      merged[key] = value;
      origin.set(key, display(file));
    }
  }
  if (issues.length > 0) return { issues };

  // A key's problems belong to the file that set it; a missing key to the only file, or to all.
  const fallback = files.length === 1 ? display(files[0]) : `${display(envDir)}/*.tfvars.json`;
  const fileOf = (path: readonly PropertyKey[]) => (path.length > 0 && origin.get(String(path[0]))) || fallback;
  const result = validateEnvironment(merged, name, envDir, fileOf);
  if ("issues" in result) return result;
  return { environment: { name, files, ...result } };
}

function parseJsonFile(file: string, shown: string): { value: Record<string, unknown> } | { issue: ConfigIssue } {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    return { issue: { file: shown, path: "$", message: "empty file", expected: "a JSON object of settings" } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { issue: { file: shown, path: "$", message: `invalid JSON: ${jsonErrorLocation(text, (error as Error).message)}`, expected: "valid JSON" } };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { issue: { file: shown, path: "$", message: "the file is not a JSON object", found: describeValue(value), expected: "a JSON object of settings" } };
  }
  return { value: value as Record<string, unknown> };
}

/** Node reports a character offset; people want a line and a column. */
function jsonErrorLocation(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset).split("\n");
  const reason = message.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
  return `${reason} at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
