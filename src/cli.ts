// dms-lz: synth, plan, schema, preflight, verify and cutover. Each command returns its exit code.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ConstructError } from "../modules/core/construct-error.js";
import { ConfigError } from "./config/errors.js";
import { variablesDir } from "./config/load.js";
import { writeSchemaFiles } from "./config/json-schema.js";
import { synthesize } from "./synth.js";
import { TerraformError } from "./terraform/offline-terraform.js";
import { moduleSynthCommand, planCommand, summaryCommand } from "./terraform/review-commands.js";

const USAGE = `dms-lz <command> [options]

Commands:
  synth      synthesize environments to cdktf.out/stacks/<env>/cdk.tf.json
             --module --env NAME --out DIR: a Terraform module for an existing root module
  plan       synth, then terraform init and plan offline, policy checks and plan-summary.md
             per environment; exits 1 on an error-level policy finding
  summary    policy checks and plan-summary.md over a plan made elsewhere: --env NAME --plan FILE
             (terraform show -json of a plan of the synthesized stack, e.g. against AWS in CI)
  schema     write variables/schema.json and the README's config reference (--check: verify only)
  preflight  check a source (and target) PostgreSQL before DMS runs
  verify     compare source and target tables after a migration
  cutover    before the application writes to the target: sequences, slots and publications left
             on the source, disabled triggers, NOT VALID constraints, invalid indexes (--apply)

Common options:
  --env NAME   an environment (repeatable; default: every directory under the variables dir)
  --vars DIR   the variables directory (default: $LZ_VARIABLES_DIR or ./variables)
  --out DIR    the output directory (default: $CDKTF_OUTDIR or ./cdktf.out)
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "synth":
        return synthCommand(rest, io);
      case "plan":
        return planCommand(rest, io);
      case "summary":
        return summaryCommand(rest, io);
      case "schema":
        return schemaCommand(rest, io);
      case "preflight":
        return (await import("./migrate/preflight-command.js")).runPreflightCommand([...rest], io);
      case "verify":
        return (await import("./migrate/verify-command.js")).runVerifyCommand([...rest], io);
      case "cutover":
        return (await import("./migrate/cutover-command.js")).runCutoverCommand([...rest], io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`dms-lz: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    const line = describeUserError(error);
    if (line !== undefined) {
      io.stderr(`${line}\n`);
      return 1;
    }
    if (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`dms-lz ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function environmentOptions(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: "string", multiple: true },
      vars: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  return { variablesDir: variablesDir(values.vars), environments: values.env, outdir: values.out };
}

function synthCommand(argv: readonly string[], io: CliIo): number {
  if (argv.includes("--module")) return moduleSynthCommand(argv, io);
  const result = synthesize(environmentOptions(argv));
  for (const environment of result.environments) {
    io.stdout(`synthesized ${environment.name} -> ${join(result.outdir, "stacks", environment.name, "cdk.tf.json")}\n`);
  }
  return 0;
}

function schemaCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], options: { check: { type: "boolean" } }, strict: true });
  const stale = writeSchemaFiles({ check: values.check ?? false });
  if (values.check && stale.length > 0) {
    io.stderr(`out of date: ${stale.join(", ")} (run: npm run schema)\n`);
    return 1;
  }
  io.stdout(values.check ? "schema and config reference are up to date\n" : "wrote variables/schema.json and the README's config reference\n");
  return 0;
}

/** A user error's text (one line per problem, no stack trace); undefined for a bug, which keeps its trace. */
export function describeUserError(error: unknown): string | undefined {
  return error instanceof ConfigError || error instanceof TerraformError || error instanceof ConstructError ? error.message : undefined;
}
