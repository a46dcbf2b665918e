// Plumbing shared by the preflight and verify commands: output, usage errors, common flags.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConnectionError } from "./connection.js";
import { parseTableList, type TableSelector } from "./scope.js";

/** Where a command writes; the same shape src/cli.ts passes. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars). @default process.stderr.isTTY */
  readonly stderrIsTTY?: boolean;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Bad flags or values: the command prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Flags both commands take. */
export const COMMON_OPTIONS = {
  source: { type: "string" },
  target: { type: "string" },
  sslrootcert: { type: "string" },
  tables: { type: "string", multiple: true },
  schema: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** --tables a.b,c.% and --schema s (both repeatable) as selection rules; undefined means everything. */
export function tableSelectors(tables: readonly string[] | undefined, schemas: readonly string[] | undefined): TableSelector[] | undefined {
  if (!tables && !schemas) return undefined;
  try {
    return [
      ...(tables ?? []).flatMap((list) => parseTableList(list)),
      ...(schemas ?? []).flatMap((list) => list.split(",")).map((schema) => ({ schema: schema.trim(), table: "%" })),
    ];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`--${flag} needs a positive whole number, got ${JSON.stringify(value)}`);
  return parsed;
}

/**
 * Runs a command body, turning usage and connection errors into a message and exit code 2.
 * Other errors (a query failing mid-run) are reported the same way, without a stack trace.
 */
export async function runCommand(name: string, usage: string, io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dms-lz ${name}: ${error.message}\n\n${usage}`);
    } else if (error instanceof ConnectionError) {
      io.stderr(`dms-lz ${name}: ${error.message}\n`);
    } else {
      io.stderr(`dms-lz ${name} failed: ${(error as Error).message}\n`);
    }
    return EXIT_USAGE;
  }
}
