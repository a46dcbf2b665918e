// The per-row hash both databases compute for verify, and the session settings that make a row's
// text form the same on both sides.
//
// A row is hashed from its text form, ROW(c1, c2, ...)::text, over the source's column list in
// the source's column order, so a target that orders its columns differently still compares
// equal. Record text output tells NULL from '' (NULL prints as nothing, '' as ""), and quotes
// commas, quotes and parentheses, so no two different rows share a text form. Hashes are 64-bit
// and summed (as numeric, exactly) per key range: sums don't depend on row order, so the same
// aggregate also serves tables without a primary key.
import type pg from "pg";
import { quoteIdent } from "./sql.js";

/**
 * hashtextextended (PostgreSQL 11+) is fast; md5 of the UTF-8 bytes is the fallback when either
 * side is older, or the two servers hash a probe string differently (another server encoding).
 */
export type HashMethod = "hashtextextended" | "md5";

/** Settings whose values change how values print as text. */
const TEXT_OUTPUT_SETTINGS = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, MDY'",
  "SET IntervalStyle = 'postgres'",
  "SET extra_float_digits = 3",
  "SET bytea_output = 'hex'",
  "SET lc_monetary = 'C'",
  "SET statement_timeout = 0",
];

export async function prepareSession(client: pg.Client): Promise<void> {
  for (const statement of TEXT_OUTPUT_SETTINGS) await client.query(statement);
}

const PROBE = "dms-lz verify probe: é, ü, ß";

export async function chooseHashMethod(source: pg.Client, target: pg.Client): Promise<HashMethod> {
  const probe = async (client: pg.Client) => {
    const version = Number((await client.query("SHOW server_version_num")).rows[0].server_version_num);
    if (version < 110_000) return undefined;
    return (await client.query("SELECT hashtextextended($1, 0)::text AS h", [PROBE])).rows[0].h as string;
  };
  try {
    const [a, b] = await Promise.all([probe(source), probe(target)]);
    return a !== undefined && a === b ? "hashtextextended" : "md5";
  } catch {
    return "md5";
  }
}

/** SQL for one row's 64-bit hash (a bigint) over the given columns. */
export function rowHashSql(method: HashMethod, columns: readonly string[]): string {
  const rowText = `ROW(${columns.map(quoteIdent).join(", ")})::text`;
  return method === "hashtextextended"
    ? `hashtextextended(${rowText}, 0)`
    : `('x' || left(md5(convert_to(${rowText}, 'UTF8')), 16))::bit(64)::bigint`;
}
