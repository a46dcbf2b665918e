// CSV_LOADS: which S3 prefix loads into which table, and how. Parsed once at cold start with the
// one schema of a load rule, which the config (csv_pipeline.loads) validates with too.
import { z } from "zod";
import { identifierProblem, parseTableName, type TableName } from "./identifiers.js";

export type LoadMode = "replace" | "append" | "upsert";
const MODES = ["replace", "append", "upsert"] as const satisfies readonly LoadMode[];

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

const ENCODING_NAMES = [...new Set(Object.values(ENCODINGS).map((e) => e.postgres))].join(", ");

/** One load as JSON: CSV_LOADS entries and the config's csv_pipeline.loads share this schema. */
export const loadRuleFields = {
  prefix: z.string().describe("Key prefix in the inbox bucket; `.csv` and `.csv.gz` objects under it are loaded."),
  table: z
    .string()
    .superRefine((table, ctx) => {
      try {
        parseTableName(table);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `expected a table name such as public.accounts: ${(error as Error).message}` });
      }
    })
    .describe("Target table, optionally schema-qualified (`public.accounts`). Checked against PostgreSQL's identifier rules and always quoted."),
  mode: z
    .enum(MODES)
    .describe("replace: the table's rows become the file's, swapped in within one transaction; append: rows are added; upsert: rows are inserted or updated on `key`."),
  key: z
    .array(z.string().superRefine((column, ctx) => {
      const problem = identifierProblem(column);
      if (problem) ctx.addIssue({ code: "custom", message: `expected a column name; ${JSON.stringify(column)} ${problem}` });
    }))
    .refine((columns) => new Set(columns).size === columns.length, "expected each key column once")
    .optional()
    .describe("Conflict columns of an upsert (a unique index on exactly these columns must exist)."),
  delimiter: z
    .string()
    .refine((delimiter) => delimiter.length === 1 && delimiter.charCodeAt(0) <= 0x7f && !`"\r\n`.includes(delimiter), "expected one single-byte character other than a quote or a line break")
    .optional()
    .describe("Field delimiter: one single-byte character other than a quote or a line break. Default `,`."),
  null: z.string().optional().describe("The unquoted text that means NULL; neither a line break nor the delimiter. Default: an empty unquoted field."),
  encoding: z
    .string()
    .refine((name) => encodingOf(name) !== undefined, `expected one of ${ENCODING_NAMES}`)
    .optional()
    .describe(`PostgreSQL name of the file's encoding: one of ${ENCODING_NAMES}. Default \`UTF8\`.`),
  allow_empty: z.boolean().optional().describe("Let a header-only file empty the table in replace mode. Default false: such a file fails and the table is kept."),
};

type LoadRuleInput = z.output<z.ZodObject<typeof loadRuleFields>>;

/** The rules across one load's fields, reported at the field's path. */
export function checkLoadRule(rule: LoadRuleInput, ctx: z.RefinementCtx): void {
  if (rule.mode !== "upsert" && rule.key !== undefined) ctx.addIssue({ code: "custom", path: ["key"], message: "expected no key: only an upsert has key columns" });
  if (rule.mode === "upsert" && (rule.key === undefined || rule.key.length === 0)) {
    ctx.addIssue({ code: "custom", path: ["key"], message: "expected the key columns of the upsert (a non-empty list)" });
  }
  const delimiter = rule.delimiter ?? ",";
  const nullText = rule.null ?? "";
  if (/[\r\n]/.test(nullText) || (delimiter.length === 1 && nullText.includes(delimiter))) {
    ctx.addIssue({ code: "custom", path: ["null"], message: "expected text with neither a line break nor the delimiter" });
  }
}

function encodingOf(name: string | undefined): { readonly postgres: string; readonly label: string } | undefined {
  return ENCODINGS[(name ?? "UTF8").toLowerCase().replace(/[^a-z0-9]/g, "")];
}

/** One CSV_LOADS entry, checked and resolved into the rule the handler applies. */
export const loadRuleSchema = z
  .strictObject(loadRuleFields)
  .superRefine(checkLoadRule)
  .transform((rule): LoadRule => {
    const encoding = encodingOf(rule.encoding)!;
    return {
      prefix: rule.prefix,
      table: parseTableName(rule.table),
      mode: rule.mode,
      key: rule.key ?? [],
      delimiter: rule.delimiter ?? ",",
      null: rule.null ?? "",
      encoding: encoding.postgres,
      headerEncodingLabel: encoding.label,
      allowEmpty: rule.allow_empty === true,
    };
  });

/** CSV_LOADS: at least one rule. */
export const loadRulesSchema = z.array(loadRuleSchema).min(1, "expected at least one { prefix, table, mode }");

/** Entries whose prefix an earlier entry has already; checked on the raw entries, so it is reported beside every other problem. */
function duplicatePrefixes(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  const prefixes = entries.map((entry) => (typeof entry === "object" && entry !== null ? (entry as { prefix?: unknown }).prefix : undefined));
  return prefixes.flatMap((prefix, index) => {
    const first = prefixes.indexOf(prefix);
    return typeof prefix === "string" && first < index ? [`CSV_LOADS[${index}].prefix: ${JSON.stringify(prefix)} is also the prefix of CSV_LOADS[${first}]`] : [];
  });
}

/** Parses and validates CSV_LOADS, returning every problem at once (each with its JSON path). */
export function parseLoadRules(json: string | undefined): { rules: LoadRule[]; problems: string[] } {
  if (json === undefined || json.trim() === "") return { rules: [], problems: ["CSV_LOADS is not set (a JSON array of { prefix, table, mode })"] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { rules: [], problems: [`CSV_LOADS is not valid JSON: ${(error as Error).message}`] };
  }
  const result = loadRulesSchema.safeParse(parsed);
  const problems = [...(result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue))), ...duplicatePrefixes(parsed)];
  return problems.length === 0 && result.success ? { rules: result.data, problems } : { rules: [], problems };
}

/** `CSV_LOADS[0].mode: expected one of ...`, in the words of someone writing the JSON. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const at = (path: readonly PropertyKey[]) => `CSV_LOADS${path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")}`;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${at([...issue.path, key])}: unknown property (known: ${Object.keys(loadRuleFields).join(", ")})`);
  }
  if (issue.code === "invalid_value") return [`${at(issue.path)}: expected one of ${issue.values.join(", ")}`];
  if (issue.code === "invalid_type") {
    const expected = { object: "an object { prefix, table, mode }", array: "a JSON array of { prefix, table, mode }", string: "a string", boolean: "true or false" }[issue.expected as string];
    return [`${at(issue.path)}: expected ${expected ?? issue.expected}`];
  }
  return [`${at(issue.path)}: ${issue.message}`];
}

/** The rule whose prefix is the longest one `key` starts with, if any. */
export function matchLoadRule(rules: readonly LoadRule[], key: string): LoadRule | undefined {
  let best: LoadRule | undefined;
  for (const rule of rules) {
    if (key.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  return best;
}
