// The verify report as a readable table (the --json form is the report object itself).
import { plural, renderTable } from "./text-table.js";
import type { TableVerification, VerifyReport } from "./verify.js";
import type { RowDifference } from "./verify-table.js";

const DIFFERENCE_LABELS: Record<RowDifference["kind"], string> = {
  missing: "missing in target",
  extra: "extra in target",
  changed: "changed",
};

export function renderVerifyText(report: VerifyReport): string {
  const header = ["dms-lz verify", `source  ${report.source}`, `target  ${report.target}`].join("\n");
  const tableWidth = Math.min(48, Math.max(5, ...report.tables.map((t) => t.table.length)));
  const body = renderTable(
    [
      { header: "TABLE", width: tableWidth },
      { header: "SOURCE ROWS", width: 12, align: "right" },
      { header: "TARGET ROWS", width: 12, align: "right" },
      { header: "RESULT", width: 110 - tableWidth - 30 },
    ],
    report.tables.map((t) => [t.table, count(t.sourceRows), t.targetRows === null ? "-" : count(t.targetRows), result(t)]),
  );
  const mismatched = report.tables.filter((t) => t.status !== "match").length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const summary = `${plural(report.tables.length, "table")} compared, ${mismatched} differ (${count(report.rowsCompared)} source rows in ${seconds} s, row hash ${report.hashMethod})`;
  return `${header}\n\n${body}\n${summary}\n`;
}

function result(table: TableVerification): string {
  const lines: string[] = [];
  if (table.status === "missing-in-target") lines.push("MISSING IN TARGET");
  else if (table.status === "match") lines.push(table.primaryKey ? `match (${plural(table.chunks, "range")})` : "match (whole-table checksum, no primary key)");
  else {
    lines.push(
      table.primaryKey
        ? `MISMATCH in ${table.mismatchedChunks} of ${plural(table.chunks, "range")}`
        : "MISMATCH (whole-table checksum, no primary key)",
    );
  }
  for (const sample of table.samples) {
    const key = Object.entries(sample.key)
      .map(([name, value]) => `${name}=${value}`)
      .join(", ");
    lines.push(`${DIFFERENCE_LABELS[sample.kind]}: ${key}`);
  }
  lines.push(...table.notes.map((note) => `note: ${note}`));
  return lines.join("\n");
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
