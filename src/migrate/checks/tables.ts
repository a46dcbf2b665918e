// Table shapes DMS handles badly: no primary key, arrays without one, partitioned and unlogged
// tables, and names that differ only by case.
import { typeKey } from "../column-types.js";
import type { Finding } from "../findings.js";
import { includesCdc } from "../../../modules/dms/replication-task.js";
import { tablesWithOwnColumns, type SourceContext } from "./context.js";

export function tableFindings(context: SourceContext): Finding[] {
  return [
    ...primaryKeyFindings(context),
    ...arrayWithoutKeyFindings(context),
    ...partitionedFindings(context),
    ...unloggedFindings(context),
    ...caseOnlyNameFindings(context),
  ];
}

function primaryKeyFindings(context: SourceContext): Finding[] {
  const cdc = includesCdc(context.scope.migrationType);
  return tablesWithOwnColumns(context)
    .filter((table) => table.primaryKey.length === 0)
    .map((table) => {
      const identity = `replica identity ${table.replicaIdentity}`;
      const addKey = `ALTER TABLE ${table.displayName} ADD PRIMARY KEY (<columns>);`;
      if (!cdc) {
        return {
          check: "primary-key",
          severity: "info" as const,
          object: table.displayName,
          detail: `no primary key (${identity}): fine for a full load, but CDC would skip its UPDATEs and DELETEs, and verify can only compare whole-table checksums`,
          fix: addKey,
        };
      }
      if (table.replicaIdentity === "full" || table.replicaIdentity === "index") {
        return {
          check: "primary-key",
          severity: "warning" as const,
          object: table.displayName,
          detail: `no primary key (${identity}): DMS applies UPDATE and DELETE only through a primary key; the replica identity is the user guide's workaround, at the cost of more WAL`,
          fix: `Prefer ${addKey} Otherwise test UPDATE and DELETE replication on this table before cutover`,
        };
      }
      return {
        check: "primary-key",
        severity: "blocker" as const,
        object: table.displayName,
        detail: `no primary key (${identity}): DMS does not replicate UPDATE and DELETE on this table`,
        fix: `${addKey} or, if no key exists, ALTER TABLE ${table.displayName} REPLICA IDENTITY FULL;`,
      };
    });
}

function arrayWithoutKeyFindings(context: SourceContext): Finding[] {
  return tablesWithOwnColumns(context).flatMap((table) => {
    if (table.primaryKey.length > 0) return [];
    const arrays = (context.columns.get(table.oid) ?? []).filter((c) => typeKey(c) === "array").map((c) => c.name);
    if (arrays.length === 0) return [];
    return [
      {
        check: "array-without-primary-key",
        severity: "blocker" as const,
        object: table.displayName,
        detail: `array columns (${arrays.join(", ")}) in a table without a primary key: DMS suspends such a table during full load`,
        fix: `ALTER TABLE ${table.displayName} ADD PRIMARY KEY (<columns>);`,
      },
    ];
  });
}

function partitionedFindings(context: SourceContext): Finding[] {
  return context.tables
    .filter((table) => table.partitioned)
    .map((table) => ({
      check: "partitioned-table",
      severity: "warning" as const,
      object: table.displayName,
      detail: `partitioned table with ${table.partitionCount} partitions: DMS does not replicate partitioned tables as such, and selecting the parent together with its partitions loads rows twice`,
      fix: "Create the parent and its partitions on the target first, select only the partitions in the table mapping, and use TargetTablePrepMode TRUNCATE_BEFORE_LOAD",
    }));
}

function unloggedFindings(context: SourceContext): Finding[] {
  const cdc = includesCdc(context.scope.migrationType);
  return context.tables
    .filter((table) => table.unlogged)
    .map((table) =>
      cdc
        ? {
            check: "unlogged-table",
            severity: "blocker" as const,
            object: table.displayName,
            detail: "UNLOGGED: its changes are not written to WAL, so CDC never sees them (only the full load copies it)",
            fix: `ALTER TABLE ${table.displayName} SET LOGGED; (or leave it out of the task)`,
          }
        : {
            check: "unlogged-table",
            severity: "info" as const,
            object: table.displayName,
            detail: "UNLOGGED: the full load copies it; it is emptied after a source crash, so load it from a quiet source",
            fix: "",
          },
    );
}

function caseOnlyNameFindings(context: SourceContext): Finding[] {
  const byFoldedName = new Map<string, string[]>();
  for (const table of context.tables) {
    const folded = `${table.schema.toLowerCase()}.${table.name.toLowerCase()}`;
    byFoldedName.set(folded, [...(byFoldedName.get(folded) ?? []), table.displayName]);
  }
  return [...byFoldedName.values()]
    .filter((names) => names.length > 1)
    .map((names) => ({
      check: "case-only-names",
      severity: "blocker" as const,
      object: names.join(", "),
      detail: "table names that differ only by case: DMS does not support replicating them (unpredictable behaviour)",
      fix: "Rename all but one so the names differ by more than case (ALTER TABLE ... RENAME TO ...)",
    }));
}
