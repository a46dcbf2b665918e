// `dms-lz cutover`: on cutover day, finds what DMS leaves behind (sequences behind the data,
// replication slots and publications on the source, disabled triggers, NOT VALID constraints and
// invalid indexes on the target); --apply sets the sequences and prints the SQL for the rest.
import { COMMON_OPTIONS, EXIT_FINDINGS, EXIT_OK, parseFlags, processIo, runCommand, tableSelectors, UsageError, type CommandIo } from "./command-io.js";
import { variablesDir } from "../config/load.js";
import { runCutover, setvalSql, type CutoverOptions, type CutoverReport } from "./cutover.js";
import { environmentScope } from "./environment-scope.js";
import { renderFindings } from "./preflight-report.js";
import { plural } from "./text-table.js";

const USAGE = `Usage: dms-lz cutover --source URL --target URL [options]

Run after the full load (and CDC) caught up, before the application writes to the target. Finds
sequences on the target behind the data or the source, logical replication slots, publications
and DMS DDL-capture objects left on the source, and disabled triggers, NOT VALID constraints and
invalid indexes on the target. Nothing on the source is ever changed: its SQL is printed.
Exit code 0 when nothing is left, 1 while anything is, 2 on usage or connection errors.

  --source URL         source postgresql:// URL (default: the PG* environment variables)
  --target URL         target postgresql:// URL (required)
  --sslrootcert FILE   CA bundle for verifying server certificates
  --tables LIST        schema.table[,...]; % is a wildcard (default: every user table)
  --schema NAME        every table of a schema (repeatable)
  --env NAME           the tables of the environment's DMS tasks (instead of --tables/--schema)
  --task KEY           with --env: only this task
  --vars DIR           with --env: the variables directory (default: $LZ_VARIABLES_DIR or variables)
  --apply              set the target's sequences in one transaction (idempotent), then check again
  --json               print the findings as a JSON array
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  apply: { type: "boolean" },
  env: { type: "string" },
  task: { type: "string" },
  vars: { type: "string" },
} as const;

export function parseCutoverArgs(argv: readonly string[]): CutoverOptions & { readonly json: boolean; readonly help: boolean } {
  const values = parseFlags(argv, OPTIONS);
  if (values.help) return { source: { role: "source" }, target: { role: "target" }, json: false, help: true };
  if (!values.target) throw new UsageError("--target is required");
  if (!values.env && (values.task || values.vars)) throw new UsageError("--task and --vars go with --env");
  if (values.env && (values.tables || values.schema)) throw new UsageError("--env sets the tables; drop --tables and --schema");
  const scope = values.env ? environmentScope(variablesDir(values.vars), values.env, values.task) : undefined;
  return {
    source: { role: "source", url: values.source, sslRootCert: values.sslrootcert },
    target: { role: "target", url: values.target, sslRootCert: values.sslrootcert },
    tables: scope ? scope.tables : tableSelectors(values.tables, values.schema),
    excludedTables: scope?.excludedTables,
    apply: values.apply ?? false,
    json: values.json ?? false,
    help: false,
  };
}

/** Runs `dms-lz cutover`; returns the exit code. */
export async function runCutoverCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("cutover", USAGE, io, async () => {
    const { json, help, ...options } = parseCutoverArgs(argv);
    if (help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const report = await runCutover(options);
    io.stdout(json ? `${JSON.stringify(report.findings, null, 2)}\n` : renderCutoverText(report));
    return report.findings.some((f) => f.severity !== "info") ? EXIT_FINDINGS : EXIT_OK;
  });
}

export function renderCutoverText(report: CutoverReport): string {
  const lines = [
    "dms-lz cutover",
    `source  ${report.source}`,
    `target  ${report.target}`,
    `scope   ${plural(report.tablesInScope, "table")} on the target`,
    "",
  ];
  if (report.applied.length > 0) {
    lines.push(`set ${plural(report.applied.length, "sequence")} in one transaction:`, ...report.applied.map((fix) => `  ${setvalSql(fix)}`), "");
  }
  const head = `${lines.join("\n")}\n`;
  if (report.findings.length === 0) return `${head}nothing left: the target is ready for writes\n`;
  return `${head}${renderFindings(report.findings)}\n${plural(report.findings.length, "item")} left; run the fix of each\n`;
}
