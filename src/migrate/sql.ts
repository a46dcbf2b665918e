// Identifier quoting for SQL this tool runs. Names come from the catalog or from users, so they
// are always quoted (PostgreSQL's quote_ident rules: wrap in double quotes, double any inside),
// never interpolated raw.

export function quoteIdent(name: string): string {
  if (name.includes("\0")) throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
