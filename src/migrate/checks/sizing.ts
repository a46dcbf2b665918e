// Table sizes, with a suggested full-load parallelism and replication instance class.
import type { Finding } from "../findings.js";
import { formatBytes, PARALLEL_LOAD_THRESHOLD_BYTES, suggestSizing } from "../sizing.js";
import { plural } from "../text-table.js";
import { storedTables, type SourceContext } from "./context.js";

export function sizingFindings(context: SourceContext): Finding[] {
  const tables = storedTables(context).sort((a, b) => b.sizeBytes - a.sizeBytes);
  if (tables.length === 0) return [];
  const total = tables.reduce((sum, t) => sum + t.sizeBytes, 0);
  const rows = tables.reduce((sum, t) => sum + Math.max(t.rowEstimate, 0), 0);
  const neverAnalyzed = tables.filter((t) => t.rowEstimate < 0).length;
  const rowNote = neverAnalyzed > 0 ? `; ${plural(neverAnalyzed, "table")} never analyzed, not counted` : "";
  const largest = tables
    .slice(0, 3)
    .map((t) => `${t.displayName} ${formatBytes(t.sizeBytes)}`)
    .join(", ");
  const { tier, maxFullLoadSubTasks } = suggestSizing(tables.map((t) => t.sizeBytes));
  const findings: Finding[] = [
    {
      check: "table-sizes",
      severity: "info",
      object: "source",
      detail: `${plural(tables.length, "table")} holding rows, ${formatBytes(total)} with indexes, about ${rows.toLocaleString("en-US")} rows (planner estimate${rowNote}); largest: ${largest}`,
      fix: "",
    },
    {
      check: "full-load-parallelism",
      severity: "info",
      object: "source",
      detail: `suggested MaxFullLoadSubTasks = ${maxFullLoadSubTasks} (one table loads per subtask; ${plural(tables.length, "table")} in scope)`,
      fix: `Set FullLoadSettings.MaxFullLoadSubTasks = ${maxFullLoadSubTasks} in the task settings`,
    },
    {
      check: "instance-size",
      severity: "info",
      object: "source",
      detail: `suggested replication instance ${tier.instanceClass} (${tier.vcpus} vCPU, ${tier.memoryGib} GiB) for ${formatBytes(total)}; a starting point to test with, more memory if LOBs are large`,
      fix: "",
    },
  ];
  for (const table of tables.filter((t) => t.sizeBytes >= PARALLEL_LOAD_THRESHOLD_BYTES)) {
    findings.push({
      check: "parallel-load",
      severity: "info",
      object: table.displayName,
      detail: `${formatBytes(table.sizeBytes)}: one subtask would load it alone`,
      fix: "Split it with a table-settings rule: parallel-load type ranges on the primary key (or partitions-auto for a partitioned table)",
    });
  }
  return findings;
}
