// The preflight report as a readable table (the --json form is the findings array itself).
import { countBySeverity, type Finding } from "./findings.js";
import type { PreflightReport } from "./preflight.js";
import type { MigrationScope } from "./scope.js";
import { plural, renderTable } from "./text-table.js";

const REPORT_WIDTH = 120;

export function renderPreflightText(report: PreflightReport): string {
  const { scope } = report;
  const header = [
    "dms-lz preflight",
    `source  ${report.source.connection}  PostgreSQL ${report.source.version}, user ${report.source.user}`,
    ...(report.target ? [`target  ${report.target.connection}  PostgreSQL ${report.target.version}, user ${report.target.user}`] : []),
    `scope   ${scope.migrationType}, ${plural(report.tablesInScope, "table")}${scope.tables ? ` matching ${scope.tables.map((t) => `${t.schema}.${t.table}`).join(", ")}` : ""}, ${lobSettings(scope)}`,
  ];
  return `${header.join("\n")}\n\n${renderFindings(report.findings)}\n${summaryLine(report.findings)}\n`;
}

function lobSettings(scope: MigrationScope): string {
  const mode = scope.lobMode ?? "limited";
  return mode === "limited" ? `LobMaxSize ${scope.lobMaxSizeKb} KB` : `LOB mode ${mode}`;
}

/** The findings as a table: severity, check, object, detail with its fix. Shared by preflight and cutover. */
export function renderFindings(findings: readonly Finding[]): string {
  const checkWidth = Math.max(5, ...findings.map((f) => f.check.length));
  const objectWidth = Math.min(34, Math.max(6, ...findings.map((f) => f.object.length)));
  const detailWidth = REPORT_WIDTH - 8 - checkWidth - objectWidth - 6;
  return renderTable(
    [
      { header: "SEVERITY", width: 8 },
      { header: "CHECK", width: checkWidth },
      { header: "OBJECT", width: objectWidth },
      { header: "DETAIL", width: detailWidth },
    ],
    findings.map((f) => [f.severity, f.check, f.object, f.fix ? `${f.detail}\nfix: ${f.fix}` : f.detail]),
  );
}

export function summaryLine(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  const verdict = counts.blocker > 0 ? "fix the blockers before starting DMS" : "no blockers";
  return `${plural(counts.blocker, "blocker")}, ${plural(counts.warning, "warning")}, ${counts.info} info: ${verdict}`;
}
