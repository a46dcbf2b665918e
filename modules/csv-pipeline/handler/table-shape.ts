// The target table as the catalog describes it, and whether a CSV header fits it.
import type pg from "pg";
import { CsvDataError } from "./failures.js";
import { formatTableName, quoteTableName, type TableName } from "./identifiers.js";

export interface TableColumn {
  readonly name: string;
  /** NOT NULL with no default, identity or generation: the header must supply it. */
  readonly required: boolean;
  /** GENERATED ALWAYS AS (...) STORED: PostgreSQL computes it, COPY cannot write it. */
  readonly generated: boolean;
}

export interface TableShape {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly TableColumn[];
  /** Column sets of the table's plain unique indexes (no expression, no predicate). */
  readonly uniqueKeys: readonly (readonly string[])[];
}

export async function readTableShape(client: pg.Client, table: TableName): Promise<TableShape> {
  const relation = await client.query<{ oid: string; schema: string; name: string; kind: string }>(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1)`,
    [quoteTableName(table)],
  );
  const found = relation.rows[0];
  if (!found) throw new Error(`table ${formatTableName(table)} does not exist (or is not visible to this user)`);
  if (found.kind !== "r" && found.kind !== "p") throw new Error(`${found.schema}.${found.name} is not a table (relkind ${found.kind})`);
  const oid = Number(found.oid);

  const columns = await client.query<{ name: string; required: boolean; generated: boolean }>(
    `SELECT attname AS name,
            attnotnull AND NOT atthasdef AND attidentity = '' AND attgenerated = '' AS required,
            attgenerated <> '' AS generated
       FROM pg_attribute
      WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped
      ORDER BY attnum`,
    [oid],
  );
  const keys = await client.query<{ columns: string[] }>(
    `SELECT array(SELECT a.attname FROM unnest(i.indkey) AS k(attnum)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)::text[] AS columns
       FROM pg_index i
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL`,
    [oid],
  );
  return { oid, schema: found.schema, name: found.name, columns: columns.rows, uniqueKeys: keys.rows.map((row) => row.columns) };
}

/** Throws a CsvDataError naming every way the header does not fit the table. */
export function checkHeader(header: readonly string[], table: TableShape): void {
  const qualified = `${table.schema}.${table.name}`;
  if (header.length === 0) throw new CsvDataError(`the object is empty: a CSV for ${qualified} needs at least a header line`);
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of header) (seen.has(name) ? duplicates : seen).add(name);
  const unknown = header.filter((name) => !byName.has(name));
  const generated = header.filter((name) => byName.get(name)?.generated);
  const missing = table.columns.filter((column) => column.required && !seen.has(column.name)).map((column) => column.name);

  const problems: string[] = [];
  if (unknown.length) problems.push(`unknown columns ${unknown.map((name) => JSON.stringify(name) + didYouMean(name, table.columns)).join(", ")}`);
  if (duplicates.size) problems.push(`columns named twice ${list([...duplicates])}`);
  if (generated.length) problems.push(`generated columns, which PostgreSQL computes, ${list(generated)}`);
  if (missing.length) problems.push(`missing NOT NULL columns without a default ${list(missing)}`);
  if (problems.length) {
    throw new CsvDataError(`the CSV header does not match ${qualified}: ${problems.join("; ")} (table columns: ${list(table.columns.map((column) => column.name))})`);
  }
}

/** Throws unless the upsert key is in the header and is exactly the column set of a unique index. */
export function checkUpsertKey(key: readonly string[], header: readonly string[], table: TableShape): void {
  const qualified = `${table.schema}.${table.name}`;
  const absent = key.filter((column) => !header.includes(column));
  if (absent.length) throw new CsvDataError(`the CSV header lacks the upsert key columns ${list(absent)} of ${qualified}`);
  const sameSet = (columns: readonly string[]) => columns.length === key.length && columns.every((column) => key.includes(column));
  if (!table.uniqueKeys.some(sameSet)) {
    throw new Error(`${qualified} has no unique index or primary key on exactly (${key.join(", ")}), which an upsert on that key needs`);
  }
}

/**
 * Matching stays exact (a quoted PostgreSQL name is case-sensitive), but a header name that differs
 * from a column only in case or surrounding spaces is almost always that column: say so.
 */
function didYouMean(name: string, columns: readonly TableColumn[]): string {
  const loose = (text: string) => text.trim().toLowerCase();
  const match = columns.find((column) => loose(column.name) === loose(name));
  return match ? ` (did you mean ${JSON.stringify(match.name)}?)` : "";
}

function list(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}
