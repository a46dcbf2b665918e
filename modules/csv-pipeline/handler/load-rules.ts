// CSV_LOADS: which S3 prefix loads into which table, and how. Parsed once at cold start.
import { identifierProblem, parseTableName, type TableName } from "./identifiers.js";

export type LoadMode = "replace" | "append" | "upsert";
const MODES: readonly LoadMode[] = ["replace", "append", "upsert"];

export interface LoadRule {
  /** Object keys starting with this prefix use this rule; the longest matching prefix wins. */
  readonly prefix: string;
  readonly table: TableName;
  readonly mode: LoadMode;
  /** Conflict columns of an upsert (a unique index on exactly these columns must exist). */
  readonly key: readonly string[];
  /** One single-byte character. @default "," */
  readonly delimiter: string;
  /** The unquoted text that means NULL. @default "" (an empty unquoted field) */
  readonly null: string;
  /** PostgreSQL's name of the file's encoding. @default "UTF8" */
  readonly encoding: string;
  /** The WHATWG label of the same encoding, used to decode the header line. */
  readonly headerEncodingLabel: string;
  /** Whether a header-only file may empty the table in replace mode. @default false */
  readonly allowEmpty: boolean;
}

/** PostgreSQL encodings whose header line the handler can decode, keyed as PostgreSQL normalises names. */
const ENCODINGS: Record<string, { readonly postgres: string; readonly label: string }> = {
  utf8: { postgres: "UTF8", label: "utf-8" },
  unicode: { postgres: "UTF8", label: "utf-8" },
  latin1: { postgres: "LATIN1", label: "iso-8859-1" },
  iso88591: { postgres: "LATIN1", label: "iso-8859-1" },
  latin2: { postgres: "LATIN2", label: "iso-8859-2" },
  iso88592: { postgres: "LATIN2", label: "iso-8859-2" },
  latin9: { postgres: "LATIN9", label: "iso-8859-15" },
  iso885915: { postgres: "LATIN9", label: "iso-8859-15" },
  win1250: { postgres: "WIN1250", label: "windows-1250" },
  win1251: { postgres: "WIN1251", label: "windows-1251" },
  win1252: { postgres: "WIN1252", label: "windows-1252" },
};

const KNOWN_PROPERTIES = new Set(["prefix", "table", "mode", "key", "delimiter", "null", "encoding", "allowEmpty"]);

/** Parses and validates CSV_LOADS, returning every problem at once (each with its JSON path). */
export function parseLoadRules(json: string | undefined): { rules: LoadRule[]; problems: string[] } {
  if (json === undefined || json.trim() === "") return { rules: [], problems: ["CSV_LOADS is not set (a JSON array of { prefix, table, mode })"] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { rules: [], problems: [`CSV_LOADS is not valid JSON: ${(error as Error).message}`] };
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return { rules: [], problems: ["CSV_LOADS must be a non-empty JSON array of { prefix, table, mode }"] };
  }
  const problems: string[] = [];
  const rules: LoadRule[] = [];
  const firstWithPrefix = new Map<string, number>();
  parsed.forEach((entry, index) => {
    const rule = parseRule(entry, `CSV_LOADS[${index}]`, problems);
    if (!rule) return;
    const first = firstWithPrefix.get(rule.prefix);
    if (first !== undefined) problems.push(`CSV_LOADS[${index}].prefix: ${JSON.stringify(rule.prefix)} is also the prefix of CSV_LOADS[${first}]`);
    else firstWithPrefix.set(rule.prefix, index);
    rules.push(rule);
  });
  return { rules, problems };
}

function parseRule(entry: unknown, path: string, problems: string[]): LoadRule | undefined {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    problems.push(`${path}: must be an object { prefix, table, mode }`);
    return undefined;
  }
  const value = entry as Record<string, unknown>;
  const before = problems.length;
  for (const name of Object.keys(value)) {
    if (!KNOWN_PROPERTIES.has(name)) problems.push(`${path}.${name}: unknown property (known: ${[...KNOWN_PROPERTIES].join(", ")})`);
  }

  const prefix = value.prefix;
  if (typeof prefix !== "string") problems.push(`${path}.prefix: must be a string ("" matches every key)`);

  let table: TableName | undefined;
  if (typeof value.table !== "string") problems.push(`${path}.table: must be a string such as "public.accounts"`);
  else {
    try {
      table = parseTableName(value.table);
    } catch (error) {
      problems.push(`${path}.table: ${(error as Error).message}`);
    }
  }

  const mode = value.mode;
  if (!MODES.includes(mode as LoadMode)) problems.push(`${path}.mode: must be one of ${MODES.join(", ")}`);

  const key = parseKey(value.key, mode, `${path}.key`, problems);
  const delimiter = optionalString(value.delimiter, ",", `${path}.delimiter`, problems);
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || `"\r\n`.includes(delimiter)) {
    problems.push(`${path}.delimiter: must be one single-byte character other than a quote or a line break`);
  }
  const nullText = optionalString(value.null, "", `${path}.null`, problems);
  if (/[\r\n]/.test(nullText) || (delimiter.length === 1 && nullText.includes(delimiter))) {
    problems.push(`${path}.null: must contain neither a line break nor the delimiter`);
  }
  const encodingName = optionalString(value.encoding, "UTF8", `${path}.encoding`, problems);
  const encoding = ENCODINGS[encodingName.toLowerCase().replace(/[^a-z0-9]/g, "")];
  if (!encoding) problems.push(`${path}.encoding: ${JSON.stringify(encodingName)} is not one of ${[...new Set(Object.values(ENCODINGS).map((e) => e.postgres))].join(", ")}`);
  if (value.allowEmpty !== undefined && typeof value.allowEmpty !== "boolean") problems.push(`${path}.allowEmpty: must be true or false`);

  if (problems.length > before || typeof prefix !== "string" || !table || !encoding) return undefined;
  return {
    prefix,
    table,
    mode: mode as LoadMode,
    key,
    delimiter,
    null: nullText,
    encoding: encoding.postgres,
    headerEncodingLabel: encoding.label,
    allowEmpty: value.allowEmpty === true,
  };
}

function parseKey(key: unknown, mode: unknown, path: string, problems: string[]): string[] {
  if (mode !== "upsert") {
    if (key !== undefined) problems.push(`${path}: only an upsert has key columns`);
    return [];
  }
  if (!Array.isArray(key) || key.length === 0 || key.some((column) => typeof column !== "string")) {
    problems.push(`${path}: an upsert needs key, a non-empty array of column names`);
    return [];
  }
  for (const column of key as string[]) {
    const problem = identifierProblem(column);
    if (problem) problems.push(`${path}: column ${JSON.stringify(column)} ${problem}`);
  }
  if (new Set(key).size !== key.length) problems.push(`${path}: names a column twice`);
  return key as string[];
}

function optionalString(value: unknown, fallback: string, path: string, problems: string[]): string {
  if (value === undefined) return fallback;
  if (typeof value === "string") return value;
  problems.push(`${path}: must be a string`);
  return fallback;
}

/** The rule whose prefix is the longest one `key` starts with, if any. */
export function matchLoadRule(rules: readonly LoadRule[], key: string): LoadRule | undefined {
  let best: LoadRule | undefined;
  for (const rule of rules) {
    if (key.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  return best;
}
