// Verifies that the target holds the same rows as the source, table by table: row counts and
// content checksums computed inside each database (see verify-table.ts and row-hash.ts).
import type pg from "pg";
import { listColumns, listTables, type ColumnInfo, type TableInfo } from "./catalog.js";
import { connect, describeConnection, type ConnectionSpec } from "./connection.js";
import { chooseHashMethod, prepareSession, type HashMethod } from "./row-hash.js";
import type { TableSelector } from "./scope.js";
import { qualifiedName } from "./sql.js";
import { compareTable, type RowDifference } from "./verify-table.js";

export interface VerifyOptions {
  readonly source: ConnectionSpec;
  readonly target: ConnectionSpec;
  /** Tables to compare (`%` wildcards). @default every user table in the source */
  readonly tables?: readonly TableSelector[];
  /** Tables to leave out, same form. @default none */
  readonly excludedTables?: readonly TableSelector[];
  /** Rows per checksum range. @default 10000 */
  readonly chunkRows?: number;
  /** Differing keys to report per table, at most. @default 10 */
  readonly samples?: number;
  /** The row hash to use. @default hashtextextended when both servers compute it alike, else md5 */
  readonly hashMethod?: HashMethod;
  readonly onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyProgress {
  readonly table: string;
  /** Source rows compared so far, over all tables. */
  readonly rowsDone: number;
  /** Planner estimate of all source rows in scope (0 when unknown). */
  readonly rowsEstimated: number;
}

export type TableStatus = "match" | "mismatch" | "missing-in-target";

export interface TableVerification {
  /** `schema.table`, quoted where needed. */
  readonly table: string;
  readonly status: TableStatus;
  /** Primary key columns; null when the table has none and was compared by a whole-table checksum. */
  readonly primaryKey: readonly string[] | null;
  readonly sourceRows: number;
  /** Null when the table is missing in the target. */
  readonly targetRows: number | null;
  readonly chunks: number;
  readonly mismatchedChunks: number;
  /** Up to `samples` differing keys, found by bisecting mismatching ranges. */
  readonly samples: readonly RowDifference[];
  /** Column differences and other caveats. */
  readonly notes: readonly string[];
}

export interface VerifyReport {
  readonly source: string;
  readonly target: string;
  readonly hashMethod: HashMethod;
  readonly tables: readonly TableVerification[];
  readonly rowsCompared: number;
  readonly durationMs: number;
  /** True when every table matches. */
  readonly ok: boolean;
}

export const DEFAULT_CHUNK_ROWS = 10_000;
export const DEFAULT_SAMPLES = 10;

export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const source = await connect(options.source);
  let target: pg.Client | undefined;
  try {
    target = await connect(options.target);
    await Promise.all([prepareSession(source), prepareSession(target)]);
    const hashMethod = options.hashMethod ?? (await chooseHashMethod(source, target));
    const sourceTables = tablesToCompare(await listTables(source, { include: options.tables, exclude: options.excludedTables }));
    const targetTables = await listTables(target, { include: sourceTables.map((t) => ({ schema: t.schema, table: t.name })), exact: true });
    const [sourceColumns, targetColumns] = await Promise.all([
      listColumns(source, sourceTables.map((t) => t.oid)),
      listColumns(target, targetTables.map((t) => t.oid)),
    ]);
    const targetByName = new Map(targetTables.map((t) => [`${t.schema}.${t.name}`, t]));
    const rowsEstimated = sourceTables.reduce((sum, t) => sum + Math.max(0, t.rowEstimate), 0);

    const results: TableVerification[] = [];
    let rowsBefore = 0;
    for (const table of sourceTables) {
      const onRows = (rows: number) => options.onProgress?.({ table: table.displayName, rowsDone: rowsBefore + rows, rowsEstimated });
      const targetTable = targetByName.get(`${table.schema}.${table.name}`);
      const result = targetTable
        ? await verifyTable(source, target, {
            table,
            targetTable,
            sourceColumns: sourceColumns.get(table.oid) ?? [],
            targetColumns: targetColumns.get(targetTable.oid) ?? [],
            hashMethod,
            chunkRows: options.chunkRows ?? DEFAULT_CHUNK_ROWS,
            samples: options.samples ?? DEFAULT_SAMPLES,
            onRows,
          })
        : await missingTable(source, table);
      rowsBefore += result.sourceRows;
      onRows(0);
      results.push(result);
    }
    return {
      source: describeConnection(options.source),
      target: describeConnection(options.target),
      hashMethod,
      tables: results,
      rowsCompared: rowsBefore,
      durationMs: Math.round(performance.now() - started),
      ok: results.every((r) => r.status === "match"),
    };
  } finally {
    await Promise.all([source.end(), target?.end()]);
  }
}

/** Tables that hold rows; a partitioned parent only when none of its partitions is selected itself. */
function tablesToCompare(tables: readonly TableInfo[]): TableInfo[] {
  const parentsWithPartitions = new Set(tables.map((t) => t.parentOid).filter((oid) => oid !== null));
  return tables.filter((t) => !t.partitioned || !parentsWithPartitions.has(t.oid));
}

interface TablePair {
  readonly table: TableInfo;
  readonly targetTable: TableInfo;
  readonly sourceColumns: readonly ColumnInfo[];
  readonly targetColumns: readonly ColumnInfo[];
  readonly hashMethod: HashMethod;
  readonly chunkRows: number;
  readonly samples: number;
  readonly onRows: (rows: number) => void;
}

async function verifyTable(source: pg.Client, target: pg.Client, pair: TablePair): Promise<TableVerification> {
  const targetByName = new Map(pair.targetColumns.map((c) => [c.name, c]));
  const sourceNames = new Set(pair.sourceColumns.map((c) => c.name));
  const common = pair.sourceColumns.filter((c) => targetByName.has(c.name));
  const missing = pair.sourceColumns.filter((c) => !targetByName.has(c.name)).map((c) => c.name);
  const extra = pair.targetColumns.filter((c) => !sourceNames.has(c.name)).map((c) => c.name);
  const notes: string[] = [];
  if (missing.length > 0) notes.push(`columns missing in target: ${missing.join(", ")} (compared the others)`);
  if (extra.length > 0) notes.push(`columns only in target, not compared: ${extra.join(", ")}`);
  for (const column of common) {
    const other = targetByName.get(column.name) as ColumnInfo;
    if (other.typeSql !== column.typeSql) notes.push(`column ${column.name} is ${column.typeSql} in source, ${other.typeSql} in target`);
  }
  const keyNames = pair.table.primaryKey;
  const key = keyNames.map((name) => ({ name, castType: pair.sourceColumns.find((c) => c.name === name)?.castType ?? "text" }));
  if (keyNames.length === 0) notes.push("no primary key: compared row count and a whole-table checksum, so no sample keys");
  else if (pair.targetTable.primaryKey.join(",") !== keyNames.join(",")) {
    notes.push(`target primary key is (${pair.targetTable.primaryKey.join(", ")}), not (${keyNames.join(", ")}): key ranges are read without an index there`);
  }
  const keyCollations = keyNames.filter((name) => {
    const a = pair.sourceColumns.find((c) => c.name === name)?.collation;
    return a !== targetByName.get(name)?.collation;
  });
  if (keyCollations.length > 0) {
    notes.push(`key columns ${keyCollations.join(", ")} have another collation in target: ranges may split differently and report keys twice`);
  }

  // One snapshot per side for the whole table, so rows committed meanwhile don't skew the ranges.
  // (On an error the caller closes both connections, which ends the transactions.)
  await Promise.all([source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), target.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")]);
  const comparison = await compareTable(
    {
      source,
      target,
      sourceRelation: qualifiedName(pair.table.schema, pair.table.name),
      targetRelation: qualifiedName(pair.targetTable.schema, pair.targetTable.name),
      columns: common.map((c) => c.name),
      key,
      hashMethod: pair.hashMethod,
    },
    { chunkRows: pair.chunkRows, samples: pair.samples, onRows: pair.onRows },
  );
  await Promise.all([source.query("COMMIT"), target.query("COMMIT")]);
  const match = comparison.mismatchedChunks === 0 && missing.length === 0;
  return {
    table: pair.table.displayName,
    status: match ? "match" : "mismatch",
    primaryKey: keyNames.length > 0 ? keyNames : null,
    ...comparison,
    notes,
  };
}

async function missingTable(source: pg.Client, table: TableInfo): Promise<TableVerification> {
  const { rows } = await source.query(`SELECT count(*)::int8::text AS n FROM ${qualifiedName(table.schema, table.name)}`);
  return {
    table: table.displayName,
    status: "missing-in-target",
    primaryKey: table.primaryKey.length > 0 ? table.primaryKey : null,
    sourceRows: Number(rows[0].n),
    targetRows: null,
    chunks: 0,
    mismatchedChunks: 0,
    samples: [],
    notes: ["table does not exist in target"],
  };
}
