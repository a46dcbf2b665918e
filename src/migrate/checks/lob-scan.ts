// The largest LOB value per column against the task's LobMaxSize (--scan-lobs): limited LOB mode
// truncates anything longer, silently. Without the scan, one warning says the sizes are unknown.
import { dmsTypeRule } from "../column-types.js";
import type { DmsLobType } from "../dms-type-support.js";
import type { Finding } from "../findings.js";
import { formatBytes } from "../sizing.js";
import { qualifiedName, quoteIdent } from "../sql.js";
import { plural } from "../text-table.js";
import { tablesWithOwnColumns, type SourceContext } from "./context.js";

/**
 * The size DMS counts for a value, as SQL (the user guide's rules for LobMaxSize): BLOB in bytes,
 * CLOB in UTF-8 bytes, NCLOB as two bytes per character.
 */
function lobSizeSql(column: string, lob: DmsLobType): string {
  const name = quoteIdent(column);
  switch (lob) {
    case "BLOB":
      return `octet_length(${name})`;
    case "CLOB":
      return `octet_length(${name}::text)`;
    case "NCLOB":
      return `2 * char_length(${name}::text)`;
  }
}

export async function lobSizeFindings(context: SourceContext, scan: boolean): Promise<Finding[]> {
  // Only limited LOB mode truncates; full mode moves values whole, and mode none is a blocker of its own.
  if ((context.scope.lobMode ?? "limited") !== "limited") return [];
  const limitKb = context.scope.lobMaxSizeKb;
  const tables = tablesWithOwnColumns(context)
    .map((table) => ({
      table,
      lobs: (context.columns.get(table.oid) ?? []).flatMap((c) => {
        const lob = dmsTypeRule(c).lob;
        return lob ? [{ name: c.name, lob }] : [];
      }),
    }))
    .filter(({ lobs }) => lobs.length > 0);
  if (tables.length === 0) return [];
  if (!scan) {
    return [
      {
        check: "lob-size",
        severity: "warning",
        object: "source",
        detail: `${plural(tables.length, "table")} with LOB columns whose largest values were not measured; limited LOB mode truncates values over ${limitKb} KB without an error`,
        fix: "Run again with --scan-lobs (reads every LOB column once), or use FullLobMode",
      },
    ];
  }

  const findings: Finding[] = [];
  for (const { table, lobs } of tables) {
    if (!table.canSelect) continue;
    const measures = lobs.map((c, i) => `max(${lobSizeSql(c.name, c.lob)})::float8 AS c${i}`).join(", ");
    const { rows } = await context.client.query(`SELECT ${measures} FROM ${qualifiedName(table.schema, table.name)}`);
    const sizes = lobs.map((c, i) => ({ ...c, bytes: (rows[0][`c${i}`] as number | null) ?? 0 }));
    const over = sizes.filter((c) => c.bytes > limitKb * 1024);
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    findings.push(
      over.length > 0
        ? {
            check: "lob-size",
            severity: "blocker",
            object: table.displayName,
            detail: `values larger than LobMaxSize = ${limitKb} KB would be truncated: ${over.map((c) => `${c.name} up to ${formatBytes(c.bytes)}`).join(", ")}`,
            fix: `Set LobMaxSize to at least ${Math.ceil(largest.bytes / 1024)} KB, or use FullLobMode for this table`,
          }
        : {
            check: "lob-size",
            severity: "info",
            object: table.displayName,
            detail: `largest LOB value ${formatBytes(largest.bytes)} (${largest.name}) fits LobMaxSize = ${limitKb} KB`,
            fix: "",
          },
    );
  }
  return findings;
}
