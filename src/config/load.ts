// Reads `variables/<env>/*.tfvars.json`, merges each environment's files in file-name order (a
// later file replaces a top-level key as a whole, as Terraform does with several -var-files),
// validates, and returns typed stack props. Every problem in every environment is gathered
// and thrown together, so nothing is synthesized from a half-valid tree.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { EnvironmentStackProps } from "../../stacks/environment-stack.js";
import { accountGlobalIssues } from "./account.js";
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from "../../modules/core/naming.js";
import { ConfigError, ConfigIssue } from "./errors.js";
import { readVariablesFiles } from "./read-variables.js";
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
  issues.push(...accountGlobalIssues(loaded, dir));
  if (issues.length > 0) throw new ConfigError(issues);
  return loaded;
}

type LoadResult = { environment: LoadedEnvironment } | { issues: ConfigIssue[] };

function loadEnvironment(envDir: string, name: string): LoadResult {
  const display = (file: string) => {
    const shown = relative(process.cwd(), file);
    return shown && !shown.startsWith("..") ? shown : file;
  };
  const { files: read, names: files, fatal, values } = readVariablesFiles(envDir, display);
  if (files.length === 0 && fatal.length === 0) {
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
  // Without an `environment` key (in the files that could be read) the directory name is the
  // environment name, in every AWS name.
  const nameIssues: ConfigIssue[] = [];
  if (merged.environment === undefined && !ENVIRONMENT_NAME_PATTERN.test(name)) {
    nameIssues.push({ file: display(envDir), path: "$", message: "the environment directory name is not a valid environment name (it becomes part of AWS resource names)", found: JSON.stringify(name), expected: `${ENVIRONMENT_NAME_RULE}, or an "environment" key with such a name` });
  }
  // A file that cannot be read leaves the environment's settings unknown: check nothing more.
  if (fatal.length > 0) return { issues: [...fatal, ...values, ...nameIssues] };

  // A key's problems belong to the file that set it; a missing key to the only file, or to all.
  const fallback = files.length === 1 ? display(files[0]) : `${display(envDir)}/*.tfvars.json`;
  const fileOf = (path: readonly PropertyKey[]) => (path.length > 0 && origin.get(String(path[0]))) || fallback;
  // A refused directory name reaches the checks as a stand-in, so they never blame a key built from it.
  const result = validateEnvironment(merged, nameIssues.length > 0 ? "env" : name, envDir, fileOf);
  // A value the reader refused (a duplicate key, a number too large) is reported once, by the reader.
  const refused = (issue: ConfigIssue) => values.some((value) => value.file === issue.file && (issue.path === value.path || (issue.path.startsWith(value.path) && /^[.[]/.test(issue.path.slice(value.path.length)))));
  if ("issues" in result) return { issues: [...values, ...nameIssues, ...result.issues.filter((issue) => !refused(issue))] };
  if (values.length > 0 || nameIssues.length > 0) return { issues: [...values, ...nameIssues] };
  return { environment: { name, files, ...result } };
}
