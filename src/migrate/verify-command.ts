// `dms-lz verify`: compares source and target tables after a migration.
import { COMMON_OPTIONS, EXIT_FINDINGS, EXIT_OK, parseFlags, positiveInteger, processIo, runCommand, tableSelectors, UsageError, type CommandIo } from "./command-io.js";
import { progressBar } from "./progress.js";
import { DEFAULT_CHUNK_ROWS, DEFAULT_SAMPLES, runVerify, type VerifyOptions } from "./verify.js";
import { renderVerifyText } from "./verify-report.js";

const USAGE = `Usage: dms-lz verify --target URL [options]

Compares every table between source and target: row counts and content checksums computed
inside each database over primary-key ranges, then bisects differing ranges down to sample keys.
Exit code 1 when anything differs, 2 on usage or connection errors.

  --source URL         source postgresql:// URL (default: the PG* environment variables)
  --target URL         target postgresql:// URL (required)
  --sslrootcert FILE   CA bundle for verifying server certificates (default: the RDS CA
                       bundle, built in); TLS is verify-full unless a URL says sslmode=...
  --tables LIST        schema.table[,...]; % is a wildcard
  --schema NAME        every table of a schema (repeatable)
  --chunk-rows N       rows per checksum range (default ${DEFAULT_CHUNK_ROWS})
  --samples N          differing keys to report per table (default ${DEFAULT_SAMPLES})
  --json               print the report as JSON
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  "chunk-rows": { type: "string" },
  samples: { type: "string" },
} as const;

export function parseVerifyArgs(argv: readonly string[]): VerifyOptions & { readonly json: boolean; readonly help: boolean } {
  const values = parseFlags(argv, OPTIONS);
  if (!values.target && !values.help) throw new UsageError("--target is required");
  return {
    source: { role: "source", url: values.source, sslRootCert: values.sslrootcert },
    target: { role: "target", url: values.target, sslRootCert: values.sslrootcert },
    tables: tableSelectors(values.tables, values.schema),
    chunkRows: positiveInteger(values["chunk-rows"], "chunk-rows", DEFAULT_CHUNK_ROWS),
    samples: positiveInteger(values.samples, "samples", DEFAULT_SAMPLES),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** Runs `dms-lz verify`; returns the exit code (0 all match, 1 differences, 2 usage or connection error). */
export async function runVerifyCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("verify", USAGE, io, async () => {
    const { json, help, ...options } = parseVerifyArgs(argv);
    if (help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const progress = progressBar(io.stderr, io.stderrIsTTY ?? process.stderr.isTTY === true);
    try {
      const report = await runVerify({ ...options, onProgress: (p) => progress.update(p) });
      progress.done();
      io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyText(report));
      return report.ok ? EXIT_OK : EXIT_FINDINGS;
    } finally {
      progress.done();
    }
  });
}
