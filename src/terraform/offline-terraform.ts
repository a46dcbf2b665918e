// Runs real Terraform with the real AWS provider against a synthesized stack without reaching
// AWS or the registry: the provider comes from a filesystem mirror, credentials are fake, and
// the provider is told to skip every call it would make before a resource is created. The
// stack directory is copied to a scratch directory first, so the offline overrides never sit
// next to the configuration a user deploys.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AWS_PROVIDER_REQUIREMENT, TERRAFORM_MINIMUM_VERSION, TERRAFORM_REQUIRED_VERSION } from "../../modules/core/aws-provider.js";

const MIRROR_CANDIDATES = ["/opt/tf-plugins", join(homedir(), ".terraform.d", "plugins"), "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];

/**
 * A problem with the local Terraform setup that the user fixes (binary, version, provider mirror):
 * one line that says what was found, what is needed and how to fix it.
 */
export class TerraformSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerraformSetupError";
  }
}

const MIRROR_LAYOUT = "registry.terraform.io/hashicorp/aws/<version>/<os_arch>/";

/** The provider mirror: LZ_TF_PROVIDER_MIRROR, or the first known location that holds hashicorp/aws. */
export function findProviderMirror(): string {
  const explicit = process.env.LZ_TF_PROVIDER_MIRROR;
  if (explicit) {
    if (!hasAwsProvider(explicit)) throw new TerraformSetupError(`LZ_TF_PROVIDER_MIRROR=${explicit} holds no hashicorp/aws provider: point it at a directory laid out as ${MIRROR_LAYOUT}, or unset it to search ${MIRROR_CANDIDATES.join(", ")}`);
    return explicit;
  }
  const found = MIRROR_CANDIDATES.find(hasAwsProvider);
  if (!found) {
    throw new TerraformSetupError(`no offline provider mirror with hashicorp/aws in ${MIRROR_CANDIDATES.join(", ")}: set LZ_TF_PROVIDER_MIRROR to a directory laid out as ${MIRROR_LAYOUT} (terraform providers mirror DIR writes one)`);
  }
  return found;
}

function hasAwsProvider(dir: string): boolean {
  const aws = join(dir, "registry.terraform.io", "hashicorp", "aws");
  return existsSync(aws) && readdirSync(aws).length > 0;
}

/** LZ_TERRAFORM or `terraform` on PATH, checked to be TERRAFORM_MINIMUM_VERSION or later. */
export function terraformBinary(): string {
  const binary = process.env.LZ_TERRAFORM ?? "terraform";
  const named = process.env.LZ_TERRAFORM ? `LZ_TERRAFORM=${binary}` : `"terraform" on PATH`;
  const probe = spawnSync(binary, ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const fix = `install Terraform ${TERRAFORM_REQUIRED_VERSION} on PATH or set LZ_TERRAFORM to its path`;
  if (probe.error || probe.status !== 0) throw new TerraformSetupError(`Terraform not found (${named}${probe.error ? `: ${probe.error.message}` : ""}): ${fix}`);
  let version: string | undefined;
  try {
    version = JSON.parse(probe.stdout).terraform_version;
  } catch {
    // Not Terraform (or a wrapper printing something else): reported below.
  }
  if (!version) throw new TerraformSetupError(`${named} did not report a Terraform version (terraform version -json): ${fix}`);
  if (compareVersions(version, TERRAFORM_MINIMUM_VERSION) < 0) {
    throw new TerraformSetupError(`Terraform ${version} found (${named}), ${TERRAFORM_REQUIRED_VERSION} needed (write-only arguments, S3-native state locking): ${fix}`);
  }
  return binary;
}

function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.-]/).slice(0, 3).map((part) => Number.parseInt(part, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Provider and backend overrides for an offline run: never written next to user config. */
const OFFLINE_OVERRIDE = {
  terraform: { backend: { local: { path: "offline.tfstate" } } },
  provider: {
    aws: {
      access_key: "offline-plan",
      secret_key: "offline-plan",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      // The account is never asked for offline, so the stack's account pin cannot be checked.
      allowed_account_ids: null,
    },
  },
};

/** The override, repeated for every aliased aws provider of the stack (the us-east-1 one of a custom domain). */
function offlineOverride(root: string): typeof OFFLINE_OVERRIDE | Record<string, unknown> {
  const stackFile = join(root, "cdk.tf.json");
  if (!existsSync(stackFile)) return OFFLINE_OVERRIDE;
  const providers = (JSON.parse(readFileSync(stackFile, "utf8")) as { provider?: { aws?: { alias?: string }[] } }).provider?.aws ?? [];
  const aliases = providers.flatMap((provider) => (provider.alias ? [provider.alias] : []));
  if (aliases.length === 0) return OFFLINE_OVERRIDE;
  const settings = OFFLINE_OVERRIDE.provider.aws;
  return { ...OFFLINE_OVERRIDE, provider: { aws: [settings, ...aliases.map((alias) => ({ alias, ...settings }))] } };
}

export interface TerraformDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export class TerraformError extends Error {
  constructor(readonly step: string, readonly output: string) {
    super(`terraform ${step} failed:\n${output}`);
    this.name = "TerraformError";
  }
}

export interface OfflineWorkspace {
  readonly dir: string;
  run(args: readonly string[], step?: string): string;
  dispose(): void;
}

/**
 * A packed mirror (zip files, as `terraform providers mirror` writes) is extracted once into a
 * shared cache. An unpacked one is linked to directly: a cache in front of it only adds a symlink
 * that every fresh `terraform init` re-creates, while a plan in another process may be reading it.
 */
function pluginCacheSetting(mirror: string): string[] {
  const aws = join(mirror, "registry.terraform.io", "hashicorp", "aws");
  if (!readdirSync(aws).some((entry) => entry.endsWith(".zip"))) return [];
  const pluginCache = join(tmpdir(), "dms-lz-tf-plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  return [`plugin_cache_dir = ${JSON.stringify(pluginCache)}`];
}

/** A scratch copy of a synthesized stack (or any Terraform root), initialised offline. */
export function openOfflineWorkspace(stackDir: string, options: { override?: boolean } = {}): OfflineWorkspace {
  const terraform = terraformBinary();
  const mirror = findProviderMirror();
  const dir = mkdtempSync(join(tmpdir(), "dms-lz-tf-"));
  const cliConfig = join(dir, ".terraformrc");
  writeFileSync(
    cliConfig,
    [
      ...pluginCacheSetting(mirror),
      "provider_installation {",
      `  filesystem_mirror {\n    path    = ${JSON.stringify(resolve(mirror))}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }',
      "}",
    ].join("\n"),
  );
  const root = join(dir, "root");
  cpSync(stackDir, root, { recursive: true, filter: (source) => !/[\\/](\.terraform|plan\.json|plan-summary\.md|terraform\.tfstate.*)$/.test(source) });
  if (options.override ?? true) writeFileSync(join(root, "zz_offline_override.tf.json"), JSON.stringify(offlineOverride(root), null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ACCESS_KEY_ID: "offline-plan",
    AWS_SECRET_ACCESS_KEY: "offline-plan",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  delete env.TF_WORKSPACE;

  const workspace: OfflineWorkspace = {
    dir: root,
    run(args, step = args[0]) {
      const result = spawnSync(terraform, ["-chdir=" + root, ...args], { env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
      if (result.status !== 0) throw new TerraformError(step, `${result.stderr}\n${result.stdout}`.trim());
      return result.stdout;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    workspace.run(["init", "-input=false", "-no-color"]);
  } catch (error) {
    workspace.dispose();
    // A mirror without a usable hashicorp/aws is a setup problem, not a stack problem.
    if (error instanceof TerraformError && /hashicorp\/aws/.test(error.output) && /provider|package/i.test(error.output)) {
      const reason = error.output.split("\n").find((line) => /Error:/.test(line))?.replace(/^[\s│╷╵]*Error:\s*/, "") ?? "no usable package";
      throw new TerraformSetupError(`terraform init could not install hashicorp/aws from the mirror ${mirror} (${reason}): set LZ_TF_PROVIDER_MIRROR to a mirror holding hashicorp/aws ${AWS_PROVIDER_REQUIREMENT.version} for this platform`);
    }
    throw error;
  }
  return workspace;
}

export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  readonly import: number;
}

export interface OfflinePlanResult {
  /** `terraform show -json` of the saved plan. */
  readonly planJson: PlanJson;
  readonly counts: PlanCounts;
  /** Warnings `terraform plan` reported (it validates the configuration first). */
  readonly warnings: readonly TerraformDiagnostic[];
}

export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly planned_values?: unknown;
  readonly configuration?: unknown;
  readonly [key: string]: unknown;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: string;
  readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly before?: unknown; readonly importing?: unknown; readonly after_unknown?: unknown };
}

/**
 * init, plan and show -json, offline. `plan` validates the configuration itself, so there is no
 * separate `validate` (a provider start of ~600 MB fewer); with -json its diagnostics, warnings
 * included, come back structured and an invalid configuration fails with one line per problem.
 */
export function offlinePlan(stackDir: string): OfflinePlanResult {
  const workspace = openOfflineWorkspace(stackDir);
  try {
    let output: string;
    try {
      output = workspace.run(["plan", "-json", "-input=false", "-lock=false", "-refresh=false", "-out=offline.tfplan"], "plan");
    } catch (error) {
      const errors = error instanceof TerraformError ? planDiagnostics(error.output).filter((d) => d.severity === "error") : [];
      if (errors.length === 0) throw error;
      throw new TerraformError("plan", errors.map(formatDiagnostic).join("\n"));
    }
    const planJson = JSON.parse(workspace.run(["show", "-json", "offline.tfplan"], "show")) as PlanJson;
    return { planJson, counts: countChanges(planJson), warnings: planDiagnostics(output).filter((d) => d.severity === "warning") };
  } finally {
    workspace.dispose();
  }
}

/** The diagnostics in `terraform plan -json` output (one JSON message per line). */
function planDiagnostics(output: string): TerraformDiagnostic[] {
  const diagnostics: TerraformDiagnostic[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: { type?: string; diagnostic?: { severity: string; summary: string; detail?: string; address?: string; range?: { filename: string; start: { line: number } } } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    const d = message.type === "diagnostic" ? message.diagnostic : undefined;
    if (d) diagnostics.push({ severity: d.severity, summary: d.summary, detail: d.detail, address: d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : undefined) });
  }
  return diagnostics;
}

function formatDiagnostic(d: TerraformDiagnostic): string {
  return `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ""}: ${d.detail ?? ""}`;
}

export function countChanges(plan: PlanJson): PlanCounts {
  const counts = { add: 0, change: 0, replace: 0, destroy: 0, import: 0 };
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const actions = change.change.actions.join(",");
    if (change.change.importing) counts.import++;
    if (actions === "create") counts.add++;
    else if (actions === "update") counts.change++;
    else if (actions === "delete") counts.destroy++;
    else if (actions === "delete,create" || actions === "create,delete") counts.replace++;
  }
  return counts;
}
