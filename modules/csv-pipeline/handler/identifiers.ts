// SQL identifiers from configuration and CSV headers never reach SQL text unquoted.

/** PostgreSQL truncates longer names silently (NAMEDATALEN - 1 bytes), so longer ones are rejected. */
const MAX_IDENTIFIER_BYTES = 63;

/** A schema-qualified or bare table name, as stored in the catalog (case-sensitive). */
export interface TableName {
  readonly schema?: string;
  readonly name: string;
}

/** Returns why `name` cannot be a PostgreSQL identifier, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.includes("\u0000")) return "contains a NUL character";
  if (Buffer.byteLength(name, "utf8") > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  return undefined;
}

/** Quotes one identifier so any name (mixed case, spaces, quotes) is taken literally. */
export function quoteIdent(name: string): string {
  const problem = identifierProblem(name);
  if (problem) throw new Error(`identifier ${JSON.stringify(name)} ${problem}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string as a SQL literal (for COPY options, which take no bind parameters). */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new Error(`literal ${JSON.stringify(value)} contains a NUL character`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** Parses "schema.table" or "table"; names are exact catalog names, so "Accounts" is not "accounts". */
export function parseTableName(text: string): TableName {
  const parts = text.split(".");
  if (parts.length > 2) throw new Error(`table ${JSON.stringify(text)} has more than one "." (write schema.table)`);
  for (const part of parts) {
    const problem = identifierProblem(part);
    if (problem) throw new Error(`table ${JSON.stringify(text)}: name part ${JSON.stringify(part)} ${problem}`);
  }
  return parts.length === 2 ? { schema: parts[0], name: parts[1] } : { name: parts[0] };
}

export function quoteTableName(table: TableName): string {
  return table.schema === undefined ? quoteIdent(table.name) : `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

export function formatTableName(table: TableName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}
