// Compares one table between source and target without pulling it to the client.
//
// 1. Walk the source's primary key in ranges of `chunkRows` rows, and compute each range's row
//    count and hash sum on both sides: the target works on range i while the source already
//    works on range i + 1. The last range is open-ended, so target rows past the source's last
//    key are counted too.
// 2. For each chunk whose count or sum differs, bisect: split the range at its median key,
//    compare the left half (the right half is the parent minus the left, as counts and sums add
//    up), and recurse into halves that differ, down to ranges of a few dozen rows, which are
//    compared row by row to name keys missing in the target, extra in the target, or changed.
// Tables without a primary key get one whole-table count and (order-independent) hash sum.
import type pg from "pg";
import { keyFromRow, keyList, keyTextSelect, rangeCondition, WHOLE_RANGE, type KeyBound, type KeyColumn, type KeyRange } from "./key-range.js";
import { rowHashSql, type HashMethod } from "./row-hash.js";

export interface RowDifference {
  readonly kind: "missing" | "extra" | "changed";
  /** Primary key column name to value (as text). */
  readonly key: Readonly<Record<string, string>>;
}

export interface TableComparison {
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly chunks: number;
  readonly mismatchedChunks: number;
  readonly samples: readonly RowDifference[];
}

export interface TableSides {
  readonly source: pg.Client;
  readonly target: pg.Client;
  /** The table, quoted and schema-qualified, on each side. */
  readonly sourceRelation: string;
  readonly targetRelation: string;
  /** Columns compared (present on both sides), in source order. */
  readonly columns: readonly string[];
  /** Primary key columns; empty for a whole-table comparison. */
  readonly key: readonly KeyColumn[];
  readonly hashMethod: HashMethod;
}

export interface CompareOptions {
  readonly chunkRows: number;
  readonly samples: number;
  /** Called with the number of source rows compared so far. */
  readonly onRows?: (rows: number) => void;
}

/** Ranges at most this large (on both sides) are compared row by row. */
const LEAF_ROWS = 64;

interface Aggregate {
  readonly rows: number;
  readonly hashSum: bigint;
}

interface Chunk {
  readonly range: KeyRange;
  /** The source side's aggregate over the range. */
  readonly aggregate: Aggregate;
}

const same = (a: Aggregate, b: Aggregate) => a.rows === b.rows && a.hashSum === b.hashSum;

export async function compareTable(sides: TableSides, options: CompareOptions): Promise<TableComparison> {
  if (sides.key.length === 0) {
    const [source, target] = await Promise.all([
      aggregate(sides.source, sides.sourceRelation, sides, WHOLE_RANGE),
      aggregate(sides.target, sides.targetRelation, sides, WHOLE_RANGE),
    ]);
    options.onRows?.(source.rows);
    return { sourceRows: source.rows, targetRows: target.rows, chunks: 1, mismatchedChunks: same(source, target) ? 0 : 1, samples: [] };
  }

  const mismatched: { range: KeyRange; source: Aggregate; target: Aggregate }[] = [];
  let sourceRows = 0;
  let targetRows = 0;
  let chunks = 0;
  const compareWithTarget = async ({ range, aggregate: source }: Chunk): Promise<void> => {
    const target = await aggregate(sides.target, sides.targetRelation, sides, range);
    targetRows += target.rows;
    if (!same(source, target)) mismatched.push({ range, source, target });
  };
  // The target compares chunk i while the source reads chunk i + 1.
  let current = await sourceChunk(sides, null, options.chunkRows);
  for (;;) {
    const upper = current.range.upper;
    const [next]: [Chunk | undefined, void] = await Promise.all([
      upper === null ? undefined : sourceChunk(sides, upper, options.chunkRows),
      compareWithTarget(current),
    ]);
    chunks++;
    sourceRows += current.aggregate.rows;
    options.onRows?.(sourceRows);
    if (!next) break;
    current = next;
  }

  const samples: RowDifference[] = [];
  for (const { range, source, target } of mismatched) {
    if (samples.length >= options.samples) break;
    await narrow(sides, range, source, target, samples, options.samples);
  }
  return { sourceRows, targetRows, chunks, mismatchedChunks: mismatched.length, samples };
}

/**
 * The next `limit` source rows after `lower`: first the key that ends them (an index-only walk;
 * null when fewer rows remain, making this the last, open-ended range), then their aggregate.
 */
async function sourceChunk(sides: TableSides, lower: KeyBound, limit: number): Promise<Chunk> {
  const where = rangeCondition(sides.key, { lower, upper: null }, 2);
  const { rows } = await sides.source.query(
    `SELECT ${keyTextSelect(sides.key)} FROM ${sides.sourceRelation} WHERE ${where.sql} ORDER BY ${keyList(sides.key)} OFFSET $1 LIMIT 1`,
    [limit - 1, ...where.params],
  );
  const range: KeyRange = { lower, upper: rows.length > 0 ? keyFromRow(sides.key, rows[0]) : null };
  return { range, aggregate: await aggregate(sides.source, sides.sourceRelation, sides, range) };
}

async function aggregate(client: pg.Client, relation: string, sides: TableSides, range: KeyRange): Promise<Aggregate> {
  const where = rangeCondition(sides.key, range);
  const { rows } = await client.query(
    `SELECT count(*)::int8::text AS n, COALESCE(sum(${rowHashSql(sides.hashMethod, sides.columns)}), 0)::text AS s
       FROM ${relation} WHERE ${where.sql}`,
    where.params,
  );
  return { rows: Number(rows[0].n), hashSum: BigInt(rows[0].s) };
}

async function narrow(
  sides: TableSides,
  range: KeyRange,
  source: Aggregate,
  target: Aggregate,
  samples: RowDifference[],
  limit: number,
): Promise<void> {
  if (samples.length >= limit) return;
  if (Math.max(source.rows, target.rows) <= LEAF_ROWS) {
    for (const difference of await diffRows(sides, range)) {
      if (samples.length >= limit) return;
      samples.push(difference);
    }
    return;
  }
  // Split at the median key of the side with more rows, so both halves shrink.
  const [client, relation, rows] =
    source.rows >= target.rows ? [sides.source, sides.sourceRelation, source.rows] : [sides.target, sides.targetRelation, target.rows];
  const middle = await keyAt(client, relation, sides.key, range, Math.floor(rows / 2) - 1);
  const left: KeyRange = { lower: range.lower, upper: middle };
  const right: KeyRange = { lower: middle, upper: range.upper };
  const [leftSource, leftTarget] = await Promise.all([
    aggregate(sides.source, sides.sourceRelation, sides, left),
    aggregate(sides.target, sides.targetRelation, sides, left),
  ]);
  const rightSource = minus(source, leftSource);
  const rightTarget = minus(target, leftTarget);
  if (!same(leftSource, leftTarget)) await narrow(sides, left, leftSource, leftTarget, samples, limit);
  if (!same(rightSource, rightTarget)) await narrow(sides, right, rightSource, rightTarget, samples, limit);
}

function minus(whole: Aggregate, part: Aggregate): Aggregate {
  return { rows: whole.rows - part.rows, hashSum: whole.hashSum - part.hashSum };
}

async function keyAt(client: pg.Client, relation: string, key: readonly KeyColumn[], range: KeyRange, offset: number): Promise<string[]> {
  const where = rangeCondition(key, range, 2);
  const { rows } = await client.query(
    `SELECT ${keyTextSelect(key)} FROM ${relation} WHERE ${where.sql} ORDER BY ${keyList(key)} OFFSET $1 LIMIT 1`,
    [offset, ...where.params],
  );
  return keyFromRow(key, rows[0]);
}

/**
 * Row-by-row comparison of a small range: keys and row hashes from both sides, each in key order,
 * merged so the differences come out in key order too.
 */
async function diffRows(sides: TableSides, range: KeyRange): Promise<RowDifference[]> {
  const read = async (client: pg.Client, relation: string) => {
    const where = rangeCondition(sides.key, range);
    const { rows } = await client.query(
      `SELECT ${keyTextSelect(sides.key)}, ${rowHashSql(sides.hashMethod, sides.columns)}::text AS h
         FROM ${relation} WHERE ${where.sql} ORDER BY ${keyList(sides.key)}`,
      where.params,
    );
    return rows.map((row) => ({ key: keyFromRow(sides.key, row), id: JSON.stringify(keyFromRow(sides.key, row)), hash: row.h as string }));
  };
  const [source, target] = await Promise.all([read(sides.source, sides.sourceRelation), read(sides.target, sides.targetRelation)]);
  const sourceIds = new Set(source.map((r) => r.id));
  const targetById = new Map(target.map((r) => [r.id, r]));
  const compared = new Set<string>();
  const named = (key: readonly string[]) => Object.fromEntries(sides.key.map((c, i) => [c.name, key[i]]));
  const differences: RowDifference[] = [];
  let i = 0;
  let j = 0;
  while (i < source.length || j < target.length) {
    const a = source[i];
    const b = target[j];
    if (b && compared.has(b.id)) {
      j++;
    } else if (a && !targetById.has(a.id)) {
      differences.push({ kind: "missing", key: named(a.key) });
      i++;
    } else if (b && !sourceIds.has(b.id)) {
      differences.push({ kind: "extra", key: named(b.key) });
      j++;
    } else if (a) {
      // Present on both sides; usually a === b, unless the sides order keys differently.
      if ((targetById.get(a.id) as { hash: string }).hash !== a.hash) differences.push({ kind: "changed", key: named(a.key) });
      compared.add(a.id);
      i++;
    } else {
      j++;
    }
  }
  return differences;
}
