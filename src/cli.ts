// dms-lz: synth, plan, schema, preflight, verify and cutover. Each command returns its exit code.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ConstructError } from "../modules/core/construct-error.js";
import { ConfigError } from "./config/errors.js";
import { variablesDir } from "./config/load.js";
import { writeSchemaFiles } from "./config/json-schema.js";
import { synthesize } from "./synth.js";
import { TerraformError, TerraformSetupError } from "./terraform/offline-terraform.js";
import { moduleSynthCommand, planCommand, summaryCommand } from "./terraform/review-commands.js";

const COMMON_OPTIONS = `  --env NAME   an environment (repeatable; default: every directory under the variables dir)
  --vars DIR   the variables directory (default: $LZ_VARIABLES_DIR or ./variables)
  --out DIR    the output directory (default: $CDKTF_OUTDIR or ./cdktf.out)
`;

/** Each command's help (`dms-lz <command> --help`); preflight and verify print their own. */
const COMMAND_HELP: Readonly<Record<string, string>> = {
  synth: `dms-lz synth [--env NAME]... [--vars DIR] [--out DIR]
  Synthesize environments to <out>/stacks/<env>/cdk.tf.json (what \`cdktf deploy <env>\` applies).
dms-lz synth --module --env NAME --out DIR [--module-name NAME]
  Write one environment as a Terraform module (no backend, no provider) for an existing root module.

Options:
${COMMON_OPTIONS}  --module-name NAME  the module's name in the caller, for import blocks (default: dms_landing_zone)
`,
  plan: `dms-lz plan [--env NAME]... [--vars DIR] [--out DIR]
  Synthesize, then terraform init/validate/plan offline (real provider from a filesystem mirror,
  fake credentials), run the policy pack and write plan.json and plan-summary.md per environment.
  Exits 1 on an error-level policy finding. Needs Terraform >= 1.11 (or $LZ_TERRAFORM) and
  hashicorp/aws in a provider mirror ($LZ_TF_PROVIDER_MIRROR, or found in the usual places).

Options:
${COMMON_OPTIONS}`,
  summary: `dms-lz summary --env NAME --plan FILE [--vars DIR] [--out DIR]
  Policy checks and plan-summary.md over a plan made elsewhere (terraform show -json of a plan of
  the synthesized stack, e.g. against AWS in CI). Exits 1 on an error-level policy finding.

Options:
${COMMON_OPTIONS}  --plan FILE  the plan JSON
`,
  schema: `dms-lz schema [--check]
  Write variables/schema.json and the config reference (docs/config-reference.md).
  --check  only verify that both are up to date (exit 1 when not)
`,
};

const USAGE = `dms-lz <command> [options]

Commands:
  synth      synthesize environments to cdktf.out/stacks/<env>/cdk.tf.json
             --module --env NAME --out DIR: a Terraform module for an existing root module
  plan       synth, then terraform init/validate/plan offline, policy checks and plan-summary.md
             per environment; exits 1 on an error-level policy finding
  summary    policy checks and plan-summary.md over a plan made elsewhere: --env NAME --plan FILE
             (terraform show -json of a plan of the synthesized stack, e.g. against AWS in CI)
  schema     write variables/schema.json and the config reference (--check: verify only)
  preflight  check a source (and target) PostgreSQL before DMS runs
  verify     compare source and target tables after a migration
  cutover    before the application writes to the target: sequences, slots and publications left
             on the source, disabled triggers, NOT VALID constraints, invalid indexes (--apply)

\`dms-lz <command> --help\` describes a command.

Common options:
${COMMON_OPTIONS}`;

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
  if (command && COMMAND_HELP[command] && (rest.includes("--help") || rest.includes("-h"))) {
    io.stdout(COMMAND_HELP[command]);
    return 0;
  }
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
    if (error instanceof TerraformSetupError) {
      io.stderr(`dms-lz ${command}: ${error.message}\n`);
      return 1;
    }
    const line = describeUserError(error);
    if (line !== undefined) {
      io.stderr(`${line}\n`);
      return 1;
    }
    if (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`dms-lz ${command}: ${error.message} (see: dms-lz ${command} --help)\n`);
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
  for (const stack of result.stacks) io.stdout(`synthesized ${stack} -> ${join(result.outdir, "stacks", stack, "cdk.tf.json")}\n`);
  return 0;
}

function schemaCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...argv], options: { check: { type: "boolean" } }, strict: true });
  const stale = writeSchemaFiles({ check: values.check ?? false });
  if (values.check && stale.length > 0) {
    io.stderr(`out of date: ${stale.join(", ")} (run: npm run schema)\n`);
    return 1;
  }
  io.stdout(values.check ? "schema and config reference are up to date\n" : "wrote variables/schema.json and the config reference\n");
  return 0;
}

/** A user error's text (one line per problem, no stack trace); undefined for a bug, which keeps its trace. */
export function describeUserError(error: unknown): string | undefined {
  return error instanceof ConfigError || error instanceof TerraformError || error instanceof ConstructError ? error.message : undefined;
}
