// `dms-lz preflight`: checks the source (and target) before a DMS task runs.
import { COMMON_OPTIONS, EXIT_FINDINGS, EXIT_OK, parseFlags, positiveInteger, processIo, runCommand, tableSelectors, UsageError, type CommandIo } from "./command-io.js";
import { variablesDir } from "../config/load.js";
import { environmentScope } from "./environment-scope.js";
import { countBySeverity } from "./findings.js";
import { runPreflight, type PreflightOptions } from "./preflight.js";
import { renderPreflightText } from "./preflight-report.js";
import { MIGRATION_TYPES, type MigrationType } from "../../modules/dms/replication-task.js";
import { DEFAULT_LOB_MAX_SIZE_KB } from "./scope.js";

const USAGE = `Usage: dms-lz preflight [options]

Checks a PostgreSQL source (and target) before an AWS DMS task runs. Exit code 1 when a
blocker is found, 2 on usage or connection errors.

  --source URL             source postgresql:// URL (default: PGHOST, PGPORT, PGUSER, PGPASSWORD,
                           PGDATABASE, PGSSLMODE, PGSSLROOTCERT); TLS verify-full by default,
                           sslmode=disable for plaintext (never a silent fall-back)
  --target URL             also check the target database
  --sslrootcert FILE       CA bundle for verifying server certificates (default: the RDS
                           CA bundle, built in; "system" for the OS store)
  --tables LIST            schema.table[,...]; % is a wildcard as in DMS selection rules
  --schema NAME            every table of a schema (repeatable)
  --migration-type TYPE    full-load | cdc | full-load-and-cdc (default full-load-and-cdc)
  --lob-max-kb N           the task's LobMaxSize in KB (default ${DEFAULT_LOB_MAX_SIZE_KB})
  --scan-lobs              read LOB columns to compare the largest value with --lob-max-kb
  --test-decoding          prove logical decoding with a temporary test_decoding slot
  --create-target-db       create the target database when it does not exist
  --env NAME               take tables, migration type and LOB limit from the environment's DMS
                           tasks (instead of --tables/--schema/--migration-type/--lob-max-kb)
  --task KEY               with --env: only this task (default: every task of the environment)
  --vars DIR               with --env: the variables directory (default: $LZ_VARIABLES_DIR or variables)
  --json                   print the findings as a JSON array
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  "migration-type": { type: "string" },
  "lob-max-kb": { type: "string" },
  "scan-lobs": { type: "boolean" },
  "test-decoding": { type: "boolean" },
  "create-target-db": { type: "boolean" },
  env: { type: "string" },
  task: { type: "string" },
  vars: { type: "string" },
} as const;

export function parsePreflightArgs(argv: readonly string[]): PreflightOptions & { readonly json: boolean; readonly help: boolean } {
  const values = parseFlags(argv, OPTIONS);
  const migrationType = (values["migration-type"] ?? "full-load-and-cdc") as MigrationType;
  if (!MIGRATION_TYPES.includes(migrationType)) {
    throw new UsageError(`--migration-type must be one of ${MIGRATION_TYPES.join(", ")}, got ${JSON.stringify(migrationType)}`);
  }
  if (values["create-target-db"] && !values.target) throw new UsageError("--create-target-db needs --target");
  if (!values.env && (values.task || values.vars)) throw new UsageError("--task and --vars go with --env");
  const flagScope = ["tables", "schema", "migration-type", "lob-max-kb"].filter((flag) => values[flag as keyof typeof values] !== undefined);
  if (values.env && flagScope.length > 0) throw new UsageError(`--env sets the scope; drop --${flagScope.join(", --")}`);
  return {
    source: { role: "source", url: values.source, sslRootCert: values.sslrootcert },
    target: values.target ? { role: "target", url: values.target, sslRootCert: values.sslrootcert } : undefined,
    scope: values.env
      ? environmentScope(variablesDir(values.vars), values.env, values.task)
      : {
          tables: tableSelectors(values.tables, values.schema),
          migrationType,
          lobMaxSizeKb: positiveInteger(values["lob-max-kb"], "lob-max-kb", DEFAULT_LOB_MAX_SIZE_KB),
        },
    scanLobs: values["scan-lobs"] ?? false,
    testDecoding: values["test-decoding"] ?? false,
    createTargetDb: values["create-target-db"] ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** Runs `dms-lz preflight`; returns the exit code (0 no blockers, 1 blockers, 2 usage or connection error). */
export async function runPreflightCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("preflight", USAGE, io, async () => {
    const { json, help, ...options } = parsePreflightArgs(argv);
    if (help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const report = await runPreflight(options);
    io.stdout(json ? `${JSON.stringify(report.findings, null, 2)}\n` : renderPreflightText(report));
    return countBySeverity(report.findings).blocker > 0 ? EXIT_FINDINGS : EXIT_OK;
  });
}
