// What went wrong with a load, whether retrying can help, and what of it is safe to keep in the ledger.

/** The file's content cannot be loaded as it is: retrying the same bytes cannot help. */
export class CsvDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvDataError";
  }
}

/**
 * SQLSTATE classes caused by the file's content: 22 data exception (bad value, malformed CSV,
 * wrong encoding), 23 integrity constraint violation, 21 cardinality violation (an upsert file
 * naming one key twice).
 */
const DATA_ERROR_CLASSES = new Set(["21", "22", "23"]);

/** Whether Lambda should retry: not for data errors, which only a new file can fix. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CsvDataError) return false;
  const code = sqlState(error);
  return !(code && DATA_ERROR_CLASSES.has(code.slice(0, 2)));
}

/** The failure as the ledger keeps it. */
export interface FailureDescription {
  readonly message: string;
  readonly sqlState?: string;
  /** The line PostgreSQL reports, counting the header as line 1. */
  readonly line?: number;
  readonly column?: string;
  /** PostgreSQL's context ("COPY accounts, line 600001, column balance: ...") with the value cut short. */
  readonly context?: string;
}

/** Field values may be personal data: the ledger keeps at most this many characters of one. */
const MAX_VALUE_CHARS = 40;
const MAX_MESSAGE_CHARS = 1000;

export function describeFailure(error: unknown): FailureDescription {
  const where = (error as { where?: unknown }).where;
  const context = typeof where === "string" ? cutQuotedValue(where.split("\n")[0]) : undefined;
  const position = context ? /^COPY .*?, line (\d+)(?:, column ([^:]+))?/.exec(context) : null;
  return {
    message: cutQuotedValue(error instanceof Error ? error.message : String(error)),
    sqlState: sqlState(error),
    line: position ? Number(position[1]) : undefined,
    column: position?.[2],
    context,
  };
}

/**
 * Shortens the quoted value PostgreSQL puts at the end of a message or COPY context
 * ('invalid input syntax for type numeric: "…"', 'COPY t, line 7: "<the raw line>"').
 */
export function cutQuotedValue(text: string): string {
  const quoted = /^(.*?): "(.*)"$/s.exec(text);
  if (!quoted) return truncate(text, MAX_MESSAGE_CHARS);
  return `${truncate(quoted[1], MAX_MESSAGE_CHARS)}: "${truncate(quoted[2], MAX_VALUE_CHARS)}"`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * The failure with PostgreSQL's COPY line (which counts only the lines it was sent) turned into the
 * file's line, so the ledger points into the object even after blank lines were dropped.
 */
export function withFileLine(failure: FailureDescription, fileLine: (copyLine: number) => number): FailureDescription {
  if (failure.line === undefined) return failure;
  const line = fileLine(failure.line);
  if (line === failure.line) return failure;
  return { ...failure, line, context: failure.context?.replace(/^(COPY .*?, line )\d+/, `$1${line}`) };
}
