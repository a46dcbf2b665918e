// What every source check reads: the connection, the server, the scope and the tables in it.
import type pg from "pg";
import type { ColumnInfo, TableInfo } from "../catalog.js";
import type { MigrationScope } from "../scope.js";
import type { ServerFacts } from "../server-facts.js";

export interface SourceContext {
  readonly client: pg.Client;
  readonly facts: ServerFacts;
  readonly scope: MigrationScope;
  readonly tables: readonly TableInfo[];
  readonly columns: ReadonlyMap<number, readonly ColumnInfo[]>;
}

/**
 * Tables whose columns are checked: a partition is covered by its parent when the parent is in
 * scope too, so a table with 100 partitions yields one finding, not 101.
 */
export function tablesWithOwnColumns(context: SourceContext): TableInfo[] {
  const inScope = new Set(context.tables.map((t) => t.oid));
  return context.tables.filter((t) => t.parentOid === null || !inScope.has(t.parentOid));
}

/** Tables that hold rows themselves (partitioned parents hold none). */
export function storedTables(context: SourceContext): TableInfo[] {
  return context.tables.filter((t) => !t.partitioned);
}
