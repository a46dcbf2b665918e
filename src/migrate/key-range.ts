// Primary-key ranges (lower, upper] as SQL conditions. Bounds are key values in text form, cast
// back to the key columns' types, so any orderable key type (and composite keys) works; row
// comparisons such as (a, b) > ($1, $2) use the primary key's index.
import { quoteIdent } from "./sql.js";

export interface KeyColumn {
  readonly name: string;
  /** The type to cast a bound's text to, e.g. `bigint`. */
  readonly castType: string;
}

/** A bound is one text value per key column; null means unbounded. */
export type KeyBound = readonly string[] | null;

export interface KeyRange {
  readonly lower: KeyBound;
  readonly upper: KeyBound;
}

export const WHOLE_RANGE: KeyRange = { lower: null, upper: null };

export function keyList(key: readonly KeyColumn[]): string {
  return key.map((c) => quoteIdent(c.name)).join(", ");
}

/** The key columns as text, aliased k0, k1, ... */
export function keyTextSelect(key: readonly KeyColumn[]): string {
  return key.map((c, i) => `${quoteIdent(c.name)}::text AS k${i}`).join(", ");
}

export function keyFromRow(key: readonly KeyColumn[], row: Record<string, unknown>): string[] {
  return key.map((_, i) => row[`k${i}`] as string);
}

/** `WHERE` condition and parameters for a range; parameters are numbered from `firstParam`. */
export function rangeCondition(key: readonly KeyColumn[], range: KeyRange, firstParam = 1): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const tuple = (values: readonly string[]) => {
    const placeholders = values.map((value, i) => {
      params.push(value);
      return `$${firstParam + params.length - 1}::${key[i].castType}`;
    });
    return key.length === 1 ? placeholders[0] : `(${placeholders.join(", ")})`;
  };
  const columns = key.length === 1 ? quoteIdent(key[0].name) : `(${keyList(key)})`;
  if (range.lower) parts.push(`${columns} > ${tuple(range.lower)}`);
  if (range.upper) parts.push(`${columns} <= ${tuple(range.upper)}`);
  return { sql: parts.length > 0 ? parts.join(" AND ") : "true", params };
}
