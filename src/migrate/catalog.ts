// Reads what preflight and verify need to know about tables and columns from the system catalog,
// in one query each, whatever the number of tables.
import type pg from "pg";
import { toLikePattern, type TableSelector } from "./scope.js";

export type ReplicaIdentity = "default" | "nothing" | "full" | "index";

export interface TableInfo {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** `schema.table` quoted as the server's quote_ident quotes it: for messages and fix text. */
  readonly displayName: string;
  /** The schema name quoted by quote_ident, for fix text. */
  readonly schemaDisplayName: string;
  readonly partitioned: boolean;
  /** For a partitioned table, how many partitions it has. */
  readonly partitionCount: number;
  /** For a partition, its parent table's oid. */
  readonly parentOid: number | null;
  readonly unlogged: boolean;
  readonly replicaIdentity: ReplicaIdentity;
  /** Primary key columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  readonly sizeBytes: number;
  /** The planner's estimate; negative when the table was never analyzed. */
  readonly rowEstimate: number;
  readonly canSelect: boolean;
  readonly schemaUsage: boolean;
}

export interface ColumnInfo {
  readonly name: string;
  /** The declared type as SQL (format_type), e.g. `character varying(20)`. */
  readonly typeSql: string;
  /** The type without modifiers, for casts: `character varying`. */
  readonly castType: string;
  /** pg_type.typname of the type, or of a domain's base type. */
  readonly typeName: string;
  /** pg_type.typtype: b base, c composite, e enum, r range, m multirange, d domain, p pseudo. */
  readonly typeKind: string;
  /** pg_type.typcategory: A for arrays. */
  readonly typeCategory: string;
  readonly typmod: number;
  readonly collation: string | null;
}

const REPLICA_IDENTITIES: Record<string, ReplicaIdentity> = { d: "default", n: "nothing", f: "full", i: "index" };

/** Schemas and tables that are never part of a migration: the system's and DMS's own. */
const EXCLUDED = String.raw`
  n.nspname NOT IN ('pg_catalog', 'information_schema', 'pglogical')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.nspname NOT LIKE 'awsdms%' AND c.relname NOT LIKE 'awsdms\_%'`;

export interface TableFilter {
  /** Tables matching any of these (`%` wildcards). @default every user table */
  readonly include?: readonly TableSelector[];
  /** Minus tables matching any of these. @default none */
  readonly exclude?: readonly TableSelector[];
  /** Take names literally (no wildcards), to find the same tables in another database. @default false */
  readonly exact?: boolean;
}

/** User tables (ordinary and partitioned) that pass the filter, by schema and name. */
export async function listTables(client: pg.Client, filter: TableFilter = {}): Promise<TableInfo[]> {
  const like = (name: string) => (filter.exact ? name.replace(/[\\_%]/g, "\\$&") : toLikePattern(name));
  const patterns = (selectors: readonly TableSelector[] | undefined) =>
    selectors ? JSON.stringify(selectors.map((s) => ({ schema: like(s.schema), table: like(s.table) }))) : null;
  const serverVersion = Number((await client.query("SHOW server_version_num")).rows[0].server_version_num);
  const isPartition = serverVersion >= 100_000 ? "c.relispartition" : "false";
  const { rows } = await client.query(
    String.raw`
    SELECT c.oid, n.nspname AS schema, c.relname AS name,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS display_name,
           quote_ident(n.nspname) AS schema_display_name,
           c.relkind = 'p' AS partitioned,
           (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)::int AS partition_count,
           CASE WHEN ${isPartition} THEN (SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid) END AS parent_oid,
           c.relpersistence = 'u' AS unlogged, c.relreplident AS replica_identity,
           COALESCE((SELECT array_agg(a.attname::text ORDER BY k.ord)
                       FROM pg_index i
                       CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                      WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS primary_key,
           pg_total_relation_size(c.oid)::float8 AS size_bytes,
           c.reltuples::float8 AS row_estimate,
           has_schema_privilege(n.oid, 'USAGE') AS schema_usage,
           has_table_privilege(c.oid, 'SELECT') AS can_select
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${EXCLUDED}
       AND ($1::text IS NULL OR EXISTS (
             SELECT 1 FROM json_to_recordset($1::json) AS s(schema text, "table" text)
              WHERE n.nspname LIKE s.schema ESCAPE '\' AND c.relname LIKE s."table" ESCAPE '\'))
       AND ($2::text IS NULL OR NOT EXISTS (
             SELECT 1 FROM json_to_recordset($2::json) AS s(schema text, "table" text)
              WHERE n.nspname LIKE s.schema ESCAPE '\' AND c.relname LIKE s."table" ESCAPE '\'))
     ORDER BY n.nspname, c.relname`,
    [patterns(filter.include), patterns(filter.exclude)],
  );
  return rows.map((row) => ({
    oid: row.oid,
    schema: row.schema,
    name: row.name,
    displayName: row.display_name,
    schemaDisplayName: row.schema_display_name,
    partitioned: row.partitioned,
    partitionCount: row.partition_count,
    parentOid: row.parent_oid,
    unlogged: row.unlogged,
    replicaIdentity: REPLICA_IDENTITIES[row.replica_identity] ?? "default",
    primaryKey: row.primary_key,
    sizeBytes: row.size_bytes,
    rowEstimate: row.row_estimate,
    canSelect: row.can_select,
    schemaUsage: row.schema_usage,
  }));
}

/** Columns of the given tables in column order, keyed by table oid. Domains resolve to their base type. */
export async function listColumns(client: pg.Client, tableOids: readonly number[]): Promise<Map<number, ColumnInfo[]>> {
  const { rows } = await client.query(
    `SELECT a.attrelid AS table_oid, a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type_sql,
            format_type(a.atttypid, NULL) AS cast_type,
            COALESCE(bt.typname, t.typname) AS type_name,
            COALESCE(bt.typtype, t.typtype) AS type_kind,
            COALESCE(bt.typcategory, t.typcategory) AS type_category,
            CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
            co.collname AS collation
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [tableOids],
  );
  const columns = new Map<number, ColumnInfo[]>();
  for (const row of rows) {
    const list = columns.get(row.table_oid) ?? [];
    list.push({
      name: row.name,
      typeSql: row.type_sql,
      castType: row.cast_type,
      typeName: row.type_name,
      typeKind: row.type_kind,
      typeCategory: row.type_category,
      typmod: row.typmod,
      collation: row.collation,
    });
    columns.set(row.table_oid, list);
  }
  return columns;
}
