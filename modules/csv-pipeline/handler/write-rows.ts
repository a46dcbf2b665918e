// Writes a CSV's rows into the target table, inside the caller's transaction, the way its mode says.
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import { quoteIdent, quoteLiteral } from "./identifiers.js";
import type { LoadRule } from "./load-rules.js";
import type { TableShape } from "./table-shape.js";

/** The session-local table an upsert copies into first; ON COMMIT DROP, and a rollback drops it too. */
const STAGING_TABLE = "csv_pipeline_staging";

/** Returns the number of data rows in the file. */
export async function writeRows(client: pg.Client, rule: LoadRule, table: TableShape, header: readonly string[], bytes: AsyncIterable<Buffer>): Promise<number> {
  const target = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  const columns = header.map(quoteIdent).join(", ");
  switch (rule.mode) {
    case "append":
      return copyInto(client, target, columns, rule, bytes);
    case "replace":
      // DELETE, unlike TRUNCATE, takes no lock that blocks readers and is MVCC-safe: until COMMIT every
      // reader keeps seeing the old rows, then sees the new ones. The new rows go straight into the
      // table; a key deleted earlier in this transaction may be inserted again.
      await client.query(`DELETE FROM ${target}`);
      return copyInto(client, target, columns, rule, bytes);
    case "upsert": {
      await client.query(`CREATE TEMP TABLE ${STAGING_TABLE} (LIKE ${target}) ON COMMIT DROP`);
      // Keeps the header's columns only, with their types and NOT NULLs, so COPY reports bad values by line.
      const extra = table.columns.filter((column) => !header.includes(column.name));
      if (extra.length) await client.query(`ALTER TABLE ${STAGING_TABLE} ${extra.map((column) => `DROP COLUMN ${quoteIdent(column.name)}`).join(", ")}`);
      const rows = await copyInto(client, `pg_temp.${STAGING_TABLE}`, columns, rule, bytes);
      await client.query(upsertStatement(target, header, rule.key));
      return rows;
    }
  }
}

async function copyInto(client: pg.Client, target: string, columns: string, rule: LoadRule, bytes: AsyncIterable<Buffer>): Promise<number> {
  const options = [
    "FORMAT csv",
    "HEADER true",
    `DELIMITER ${quoteLiteral(rule.delimiter)}`,
    `NULL ${quoteLiteral(rule.null)}`,
    `ENCODING ${quoteLiteral(rule.encoding)}`,
  ];
  const copy = client.query(copyStreams.from(`COPY ${target} (${columns}) FROM STDIN WITH (${options.join(", ")})`));
  // pipeline applies backpressure end to end (S3 socket -> COPY socket) and, if either side fails,
  // destroys the other: a failed S3 read sends CopyFail, so PostgreSQL aborts the COPY.
  await pipeline(bytes, copy);
  return copy.rowCount;
}

function upsertStatement(target: string, header: readonly string[], key: readonly string[]): string {
  const columns = header.map(quoteIdent).join(", ");
  const updates = header.filter((column) => !key.includes(column)).map((column) => `${quoteIdent(column)} = EXCLUDED.${quoteIdent(column)}`);
  const action = updates.length ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  // OVERRIDING SYSTEM VALUE lets the file set GENERATED ALWAYS identity columns, as COPY itself does.
  return `INSERT INTO ${target} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM pg_temp.${STAGING_TABLE} ON CONFLICT (${key.map(quoteIdent).join(", ")}) ${action}`;
}
