// Module mode: one environment's synthesized stack rewritten as a Terraform module that an
// existing HCL root module calls. The root keeps its backend and provider configuration, so both
// are removed here; `required_providers` stays. The few values that differ per workspace (IDs of
// existing VPCs, subnets and route tables, the application's role and group) become variables
// defaulting to the configured values, so the caller can pass its own resources' attributes.
// Import blocks are allowed only in a root module, so they are written out for the caller to copy.
// Lambda packages are copied into the module and referenced through `${path.module}`: Terraform
// resolves a relative path against the caller's working directory, not the module's.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadedEnvironment } from "../config/load.js";

export const DEFAULT_MODULE_NAME = "dms_landing_zone";
export const MODULE_FILE = "main.tf.json";
export const IMPORTS_EXAMPLE_FILE = "imports.tf.example";
/** Where cdktf writes a stack's assets (Lambda packages), and where the module keeps them. */
const ASSETS_DIR = "assets";

interface ModuleVariable {
  readonly name: string;
  readonly type: "string" | "list(string)";
  readonly description: string;
  readonly value: string | readonly string[];
}

export interface ModuleResult {
  readonly dir: string;
  readonly variables: readonly string[];
  readonly outputs: readonly string[];
  /** Import blocks for the caller's root module (addresses under `module.<name>.`). */
  readonly importBlocks: readonly string[];
}

/** The per-workspace values of an environment, as module variables. */
export function moduleVariables(environment: LoadedEnvironment): ModuleVariable[] {
  const variables: ModuleVariable[] = [];
  for (const role of ["source", "dms", "target"] as const) {
    const existing = environment.config.existing_network[role];
    if (!existing) continue;
    variables.push(
      { name: `${role}_vpc_id`, type: "string", description: `ID of the existing ${role} VPC.`, value: existing.vpc_id },
      { name: `${role}_private_subnet_ids`, type: "list(string)", description: `Private subnets of the ${role} VPC, in the AZs given in config (${existing.availability_zones.join(", ")}), in that order.`, value: existing.private_subnet_ids },
    );
    if (existing.route_table_ids.length > 0) {
      variables.push({ name: `${role}_route_table_ids`, type: "list(string)", description: `Route tables of the ${role} VPC's private subnets (S3 gateway endpoint).`, value: existing.route_table_ids });
    }
  }
  const application = environment.config.application;
  if (application.role_name) variables.push({ name: "application_role_name", type: "string", description: "IAM role the application runs as.", value: application.role_name });
  if (application.security_group_id) variables.push({ name: "application_security_group_id", type: "string", description: "Security group of the application's instances.", value: application.security_group_id });
  return variables;
}

/** Rewrites `stackDir/cdk.tf.json` into a module in `outDir` (replacing what was there). */
export function writeTerraformModule(environment: LoadedEnvironment, stackDir: string, outDir: string, moduleName = DEFAULT_MODULE_NAME): ModuleResult {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
  const terraform = { ...(stack.terraform as Record<string, unknown>) };
  delete terraform.backend;
  const imports = (stack.import as { to: string; id: string }[] | undefined) ?? [];
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stack)) {
    if (!["//", "provider", "terraform", "import"].includes(key)) body[key] = value;
  }

  const variables = moduleVariables(environment);
  const substituted = substitute(body, variables) as Record<string, unknown>;
  const region = environment.props.region;
  const module: Record<string, unknown> = {
    terraform,
    variable: Object.fromEntries(variables.map((variable) => [variable.name, { type: variable.type, description: variable.description, default: variable.value }])),
    ...(inModule(substituted, stackDir) as Record<string, unknown>),
    check: {
      ...((substituted.check as Record<string, unknown> | undefined) ?? {}),
      // Names and endpoints in the module embed the region it was synthesized for.
      dms_landing_zone_region: {
        data: { aws_region: { dms_landing_zone_region: {} } },
        assert: [{ condition: `\${data.aws_region.dms_landing_zone_region.name == "${region}"}`, error_message: `This module was synthesized for ${region}; call it with an aws provider for ${region}.` }],
      },
    },
  };

  // Terraform rejects an empty block (`"variable": {}`: "Missing block label").
  for (const [key, value] of Object.entries(module)) {
    if (value !== null && typeof value === "object" && Object.keys(value).length === 0) delete module[key];
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  if (existsSync(join(stackDir, ASSETS_DIR))) cpSync(join(stackDir, ASSETS_DIR), join(outDir, ASSETS_DIR), { recursive: true });
  writeFileSync(join(outDir, MODULE_FILE), `${JSON.stringify(module, null, 2)}\n`);
  const importBlocks = imports.map((block) => `import {\n  to = module.${moduleName}.${block.to}\n  id = ${JSON.stringify(block.id)}\n}\n`);
  if (importBlocks.length > 0) {
    writeFileSync(join(outDir, IMPORTS_EXAMPLE_FILE), `# Import blocks belong in the root module: copy these next to\n# module "${moduleName}" { source = "..." }\n\n${importBlocks.join("\n")}`);
  }
  return { dir: outDir, variables: variables.map((variable) => variable.name), outputs: Object.keys((stack.output as Record<string, unknown>) ?? {}), importBlocks };
}

/** The stack's asset paths (`assets/<bundle>/<hash>/function.zip`) made relative to the module. */
function inModule(value: unknown, stackDir: string): unknown {
  if (Array.isArray(value)) return value.map((item) => inModule(item, stackDir));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, nested]) => [key, inModule(nested, stackDir)]));
  if (typeof value === "string" && value.startsWith(`${ASSETS_DIR}/`) && existsSync(join(stackDir, value))) return `\${path.module}/${value}`;
  return value;
}

/** Replaces the configured literal values with references to their variables, everywhere. */
function substitute(value: unknown, variables: readonly ModuleVariable[]): unknown {
  if (Array.isArray(value)) {
    const list = variables.find((variable) => Array.isArray(variable.value) && sameList(variable.value, value));
    if (list) return `\${var.${list.name}}`;
    return value.map((item) => substitute(item, variables));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, nested]) => [key, key === "//" ? nested : substitute(nested, variables)]));
  }
  if (typeof value !== "string") return value;
  let text = value;
  for (const variable of variables) {
    const values = typeof variable.value === "string" ? [[variable.value, `var.${variable.name}`]] : variable.value.map((item, index) => [item, `var.${variable.name}[${index}]`]);
    for (const [literal, reference] of values) {
      text = text.replace(new RegExp(`(?<![\\w-])${escapeRegExp(literal)}(?![\\w-])`, "g"), `\${${reference}}`);
    }
  }
  return text;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
