// The review summary of one environment's plan, written as Markdown fit for a pull-request comment
// (GitHub and GitLab): stateful replacements and destroys first, counts by module, the policy
// results, the settings reviewers care about, and a diagram of the environment.
import { PolicyContext, PlannedResource, SynthesizedJson } from "../policy/plan-resources.js";
import { errorCount, PolicyReport } from "../policy/types.js";
import { LANDING_ZONE_MODULES, LandingZoneModule, moduleOfAddress } from "./address-modules.js";
import { environmentDiagram } from "./environment-diagram.js";
import type { PlanJson, ResourceChange } from "./offline-terraform.js";

/** The HTML comment a pull-request workflow finds its own comment by. */
export function summaryMarker(environment: string): string {
  return `<!-- dms-lz-plan-summary:${environment} -->`;
}

/** Resources whose loss loses data or access; replacing or destroying one is called out first. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "RDS database",
  aws_rds_cluster: "Aurora cluster",
  aws_rds_cluster_instance: "Aurora instance",
  aws_dms_replication_instance: "DMS replication instance",
  aws_dms_replication_task: "DMS task (restarts the migration)",
  aws_dms_replication_config: "DMS Serverless replication (restarts the migration)",
  aws_s3_bucket: "S3 bucket",
  aws_secretsmanager_secret: "Secrets Manager secret",
  aws_kms_key: "KMS key",
};

type Action = "add" | "change" | "replace" | "destroy" | "none";

export function actionOf(change: ResourceChange): Action {
  const actions = change.change.actions.join(",");
  if (actions === "create") return "add";
  if (actions === "update") return "change";
  if (actions === "delete") return "destroy";
  if (actions === "delete,create" || actions === "create,delete") return "replace";
  return "none";
}

export interface PlanSummaryInput {
  readonly environment: string;
  readonly plan: PlanJson;
  readonly synthesized?: SynthesizedJson;
  readonly policy: PolicyReport;
  /** Lines shown under the title (how the plan was made, what it could not show). */
  readonly notes?: readonly string[];
}

export function renderPlanSummary(input: PlanSummaryInput): string {
  const changes = (input.plan.resource_changes ?? []).filter((change) => change.mode === "managed");
  const context = new PolicyContext(input.plan, input.policy.protected, input.synthesized);
  const errors = errorCount(input.policy);
  const out: string[] = [summaryMarker(input.environment), `## dms-lz plan: \`${input.environment}\`${input.policy.protected ? " (protected)" : ""}`, ""];
  for (const note of input.notes ?? []) out.push(`> ${note}`);
  if (input.notes?.length) out.push("");

  const dangerous = changes.filter((change) => STATEFUL_TYPES[change.type] && ["replace", "destroy"].includes(actionOf(change)));
  if (dangerous.length > 0) {
    out.push(`**:warning: ${dangerous.length} stateful resource${dangerous.length === 1 ? "" : "s"} replaced or destroyed: data or access may be lost.**`, "");
    for (const change of dangerous) out.push(`- **${actionOf(change)}** \`${change.address}\` (${STATEFUL_TYPES[change.type]})`);
    out.push("");
  } else {
    out.push("No stateful resource (database, DMS instance, bucket, secret, KMS key) is replaced or destroyed.", "");
  }

  out.push(...countsTable(changes), "");
  out.push(...policySection(input.policy, errors), "");
  const settings = settingsTable(context, changes);
  if (settings.length > 0) out.push("### Settings reviewers care about", "", ...settings, "");
  out.push("### Environment", "", "```mermaid", environmentDiagram(context), "```", "");
  const listed = changes.filter((change) => actionOf(change) !== "none" || change.change.importing);
  if (listed.length > 0) {
    out.push(`<details><summary>All ${listed.length} resource changes</summary>`, "");
    for (const change of listed) out.push(`- ${change.change.importing ? "import" : actionOf(change)} \`${change.address}\``);
    out.push("", "</details>", "");
  }
  return out.join("\n");
}

function countsTable(changes: readonly ResourceChange[]): string[] {
  const columns = ["add", "change", "replace", "destroy", "import"] as const;
  const rows = new Map<LandingZoneModule, Record<(typeof columns)[number], number>>();
  for (const change of changes) {
    const module = moduleOfAddress(change.address);
    const row = rows.get(module) ?? { add: 0, change: 0, replace: 0, destroy: 0, import: 0 };
    const action = actionOf(change);
    if (action !== "none") row[action]++;
    if (change.change.importing) row.import++;
    rows.set(module, row);
  }
  const order: LandingZoneModule[] = [...LANDING_ZONE_MODULES, "other"];
  const total = { add: 0, change: 0, replace: 0, destroy: 0, import: 0 };
  const lines = ["| module | add | change | replace | destroy | import |", "| --- | ---: | ---: | ---: | ---: | ---: |"];
  for (const module of order.filter((candidate) => rows.has(candidate))) {
    const row = rows.get(module)!;
    for (const column of columns) total[column] += row[column];
    lines.push(`| ${module} | ${columns.map((column) => row[column]).join(" | ")} |`);
  }
  lines.push(`| **total** | ${columns.map((column) => `**${total[column]}**`).join(" | ")} |`);
  return lines;
}

function policySection(report: PolicyReport, errors: number): string[] {
  const warnings = report.findings.length - errors;
  const status = errors > 0 ? ":x:" : ":white_check_mark:";
  const lines = [
    `### Policy ${status} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${report.suppressed.length} suppressed`,
    "",
    `${report.evaluated.length} rules evaluated${report.protected ? " (protected environment: protected-only rules included)" : ""}.`,
  ];
  if (report.findings.length > 0) {
    lines.push("", "| | rule | resource | finding | fix |", "| --- | --- | --- | --- | --- |");
    for (const finding of report.findings) {
      const checkov = finding.checkov.length > 0 ? ` (${finding.checkov.join(", ")})` : "";
      lines.push(`| ${finding.severity === "error" ? ":x: error" : ":warning: warning"} | ${finding.rule}${checkov} | \`${finding.address}\` | ${cell(`${finding.title}: ${finding.message}`)} | ${cell(finding.fix)} |`);
    }
  }
  if (report.suppressed.length > 0) {
    lines.push("", "Suppressed in config (`policy.suppressions`):", "", "| rule | resource | finding | reason |", "| --- | --- | --- | --- |");
    for (const finding of report.suppressed) lines.push(`| ${finding.rule} | \`${finding.address}\` | ${cell(finding.message)} | ${cell(finding.reason)} |`);
  }
  if (report.unusedSuppressions.length > 0) {
    lines.push("", `Suppressions that matched nothing (delete them): ${report.unusedSuppressions.map((s) => `${s.rule} \`${s.address}\``).join(", ")}.`);
  }
  return lines;
}

/** Per resource type, the attributes a reviewer checks, as [label, path]. */
const REVIEWED: Readonly<Record<string, readonly (readonly [string, readonly (string | number)[]])[]>> = {
  aws_db_instance: [["instance class", ["instance_class"]], ["engine", ["engine"]], ["engine version", ["engine_version"]], ["Multi-AZ", ["multi_az"]], ["deletion protection", ["deletion_protection"]], ["publicly accessible", ["publicly_accessible"]], ["storage encrypted", ["storage_encrypted"]]],
  aws_rds_cluster: [["engine", ["engine"]], ["engine version", ["engine_version"]], ["deletion protection", ["deletion_protection"]], ["storage encrypted", ["storage_encrypted"]]],
  aws_rds_cluster_instance: [["instance class", ["instance_class"]], ["publicly accessible", ["publicly_accessible"]]],
  aws_dms_replication_instance: [["instance class", ["replication_instance_class"]], ["engine version", ["engine_version"]], ["Multi-AZ", ["multi_az"]], ["publicly accessible", ["publicly_accessible"]], ["storage (GB)", ["allocated_storage"]]],
  aws_dms_endpoint: [["engine", ["engine_name"]], ["TLS (ssl_mode)", ["ssl_mode"]]],
  aws_dms_replication_task: [["migration type", ["migration_type"]]],
  aws_dms_replication_config: [["replication type", ["replication_type"]], ["DCUs (min)", ["compute_config", 0, "min_capacity_units"]], ["DCUs (max)", ["compute_config", 0, "max_capacity_units"]], ["Multi-AZ", ["compute_config", 0, "multi_az"]]],
  // The operations view: what each alarm watches and when it fires.
  aws_cloudwatch_dashboard: [["dashboard", ["dashboard_name"]]],
  aws_cloudwatch_metric_alarm: [["metric", ["metric_name"]], ["statistic", ["statistic"]], ["comparison", ["comparison_operator"]], ["threshold", ["threshold"]], ["periods", ["evaluation_periods"]]],
  aws_lb: [["internal", ["internal"]], ["deletion protection", ["enable_deletion_protection"]]],
  aws_vpc_endpoint_service: [["acceptance required", ["acceptance_required"]], ["allowed principals", ["allowed_principals"]]],
  aws_cloudfront_distribution: [["viewer protocol", ["default_cache_behavior", 0, "viewer_protocol_policy"]], ["minimum TLS", ["viewer_certificate", 0, "minimum_protocol_version"]], ["default certificate", ["viewer_certificate", 0, "cloudfront_default_certificate"]]],
  aws_lambda_function: [["runtime", ["runtime"]], ["reserved concurrency", ["reserved_concurrent_executions"]]],
  aws_instance: [["public IP", ["associate_public_ip_address"]]],
};

function settingsTable(context: PolicyContext, changes: readonly ResourceChange[]): string[] {
  const before = new Map(changes.map((change) => [change.address, change.change.before as Record<string, unknown> | null | undefined]));
  const rows: string[] = [];
  for (const resource of context.resources) {
    const reviewed = REVIEWED[resource.type];
    if (!reviewed) continue;
    const values = reviewed.map(([label, path]) => `${label}: ${shown(resource, path, before.get(resource.address))}`);
    rows.push(`| \`${resource.address}\` | ${cell(values.join("; "))} |`);
  }
  return rows.length === 0 ? [] : ["| resource | settings |", "| --- | --- |", ...rows];
}

function shown(resource: PlannedResource, path: readonly (string | number)[], before: Record<string, unknown> | null | undefined): string {
  const planned = resource.get(...path);
  const after = planned.known ? format(planned.value) : "(known after apply)";
  if (!before) return after;
  let previous: unknown = before;
  for (const key of path) previous = previous !== null && typeof previous === "object" ? (previous as Record<string | number, unknown>)[key] : undefined;
  const was = format(previous);
  return was === after ? after : `${was} → **${after}**`;
}

function format(value: unknown): string {
  if (value === undefined || value === null) return "–";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
