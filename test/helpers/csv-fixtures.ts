// Large CSV files for the CSV pipeline's tests and benchmark, streamed to disk (never held whole in memory).
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** Six columns, about 90 bytes a row: the shape the benchmark anchors in DESIGN.md were measured with. */
export function accountsTableDdl(table: string): string {
  return `CREATE TABLE ${table} (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    email text,
    balance numeric(12,2),
    created_at timestamptz,
    active boolean
  )`;
}

export const ACCOUNTS_HEADER = "id,name,email,balance,created_at,active";

export function accountsRow(id: number): string {
  const cents = (id * 7919) % 10_000_000;
  const day = String((id % 28) + 1).padStart(2, "0");
  return `${id},Customer ${id},customer${id}@example.com,${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")},2024-03-${day}T10:20:30Z,${id % 3 === 0}`;
}

export interface AccountsCsvOptions {
  /** The first id. @default 1 */
  readonly firstId?: number;
  /** Replaces the balance of the n-th data row (1-based) with this text. */
  readonly badBalance?: { readonly row: number; readonly value: string };
}

/** Writes a header and `rows` data rows to `path`; returns the file's size in bytes. */
export async function writeAccountsCsv(path: string, rows: number, options: AccountsCsvOptions = {}): Promise<number> {
  const out = createWriteStream(path);
  const firstId = options.firstId ?? 1;
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${ACCOUNTS_HEADER}\n`);
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const lines: string[] = [];
    for (let row = start + 1; row <= Math.min(rows, start + batch); row++) {
      const line = accountsRow(firstId + row - 1);
      lines.push(options.badBalance?.row === row ? line.replace(/,[0-9.]+,(2024-)/, `,${options.badBalance.value},$1`) : line);
    }
    await write(`${lines.join("\n")}\n`);
  }
  out.end();
  await once(out, "finish");
  return bytes;
}
