// Every problem in an environment's config is gathered before anything is synthesized, and each
// names the file, the JSON path, what was found and what was expected.

export interface ConfigIssue {
  /** The file the value came from (for merged files: the one whose top-level key won). */
  readonly file: string;
  /** JSONPath-style location, `$.vpc_cidr` or `$.dms.tasks.orders.migration_type`. */
  readonly path: string;
  readonly message: string;
  readonly found?: string;
  readonly expected?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const parts = [`${issue.file}: ${issue.path}: ${issue.message}`];
  if (issue.found !== undefined) parts.push(`found ${issue.found}`);
  if (issue.expected !== undefined) parts.push(`expected ${issue.expected}`);
  return parts.join("; ");
}

/** Thrown when one or more environments are invalid; carries every issue found. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `${issues.length} configuration problem${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `$.a.b[0]` from a path of keys and indexes. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) out += `.${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A short, safe rendering of a found value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Which file a JSON path's value came from (for merged files: the one whose top-level key won). */
export type FileOf = (path: readonly PropertyKey[]) => string;

export type IssueReporter = (path: PropertyKey[], message: string, found: string | undefined, expected: string) => void;

/** An issue list and a reporter that files each issue against the file its path came from. */
export function issueCollector(fileOf: FileOf): { issues: ConfigIssue[]; issue: IssueReporter } {
  const issues: ConfigIssue[] = [];
  const issue: IssueReporter = (path, message, found, expected) => issues.push({ file: fileOf(path), path: jsonPath(path), message, found, expected });
  return { issues, issue };
}
