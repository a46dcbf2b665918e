// Columns whose type DMS migrates only partly or not at all, and the LOB columns DMS moves in
// LOB mode. The verdicts come from the data table in dms-type-support.ts.
import type { ColumnInfo, TableInfo } from "../catalog.js";
import { dmsTypeRule } from "../column-types.js";
import type { DmsTypeRule } from "../dms-type-support.js";
import type { Finding } from "../findings.js";
import type { MigrationScope } from "../scope.js";
import { tablesWithOwnColumns, type SourceContext } from "./context.js";

export function dataTypeFindings(context: SourceContext): Finding[] {
  return tablesWithOwnColumns(context).flatMap((table) => {
    const columns = context.columns.get(table.oid) ?? [];
    return [...unsupportedTypeFindings(table, columns), ...lobColumnFindings(table, columns, context.scope)];
  });
}

function unsupportedTypeFindings(table: TableInfo, columns: readonly ColumnInfo[]): Finding[] {
  // One finding per table and type, listing its columns: a table with ten timestamptz columns is one line.
  const byRule = new Map<DmsTypeRule, ColumnInfo[]>();
  for (const column of columns) {
    const rule = dmsTypeRule(column);
    if (rule.support !== "supported") byRule.set(rule, [...(byRule.get(rule) ?? []), column]);
  }
  return [...byRule].map(([rule, ruleColumns]) => {
    const names = ruleColumns.map((c) => `${c.name} ${c.typeSql}`).join(", ");
    const verdict = rule.support === "unsupported" ? "does not migrate with DMS" : "migrates only partly with DMS";
    return {
      check: "data-type",
      severity: rule.support === "unsupported" ? ("blocker" as const) : ("warning" as const),
      object: `${table.displayName} (${ruleColumns.map((c) => c.name).join(", ")})`,
      detail: `${rule.name} ${verdict} (DMS type ${rule.dmsType})${rule.note ? `: ${rule.note}` : ""}; columns: ${names}`,
      fix:
        rule.support === "unsupported"
          ? "Create the table on the target yourself with the native type (TargetTablePrepMode DO_NOTHING or TRUNCATE_BEFORE_LOAD) so DMS loads the text form into it, then compare with `dms-lz verify`; or leave the column out with a transformation rule"
          : "Create the table on the target yourself with the native type, and compare the data with `dms-lz verify` after the load",
    };
  });
}

function lobColumnFindings(table: TableInfo, columns: readonly ColumnInfo[], scope: MigrationScope): Finding[] {
  const lobs = columns.filter((c) => dmsTypeRule(c).lob);
  if (lobs.length === 0) return [];
  const listed = `LOB columns ${lobs.map((c) => `${c.name} (${c.typeSql} as ${dmsTypeRule(c).lob})`).join(", ")}`;
  const mode = scope.lobMode ?? "limited";
  if (mode === "none") {
    return [
      {
        check: "lob-columns",
        severity: "blocker",
        object: table.displayName,
        detail: `${listed}: the task's LOB mode is none, so DMS leaves these columns out`,
        fix: "Set the task's LOB mode to limited (with a large enough LobMaxSize) or full",
      },
    ];
  }
  return [
    {
      check: "lob-columns",
      severity: "info",
      object: table.displayName,
      detail:
        mode === "full"
          ? `${listed}: full LOB mode moves them whole, piece by piece (slower than limited mode)`
          : `${listed}: limited LOB mode truncates values over LobMaxSize = ${scope.lobMaxSizeKb} KB`,
      fix: table.primaryKey.length === 0 ? "LOB mode needs the same primary key on source and target: add one" : "",
    },
  ];
}
