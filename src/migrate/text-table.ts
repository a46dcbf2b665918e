// Plain-text tables for terminal reports: fixed column widths, cells wrapped at word boundaries.

export interface Column {
  readonly header: string;
  readonly width: number;
  readonly align?: "left" | "right";
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const lines = [formatRow(columns, columns.map((c) => c.header))];
  for (const row of rows) lines.push(formatRow(columns, row));
  return `${lines.join("\n")}\n`;
}

function formatRow(columns: readonly Column[], cells: readonly string[]): string {
  const wrapped = columns.map((column, i) => wrap(cells[i] ?? "", column.width));
  const height = Math.max(...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = columns.map((column, i) => {
      const text = wrapped[i][line] ?? "";
      return column.align === "right" ? text.padStart(column.width) : text.padEnd(column.width);
    });
    lines.push(parts.join("  ").trimEnd());
  }
  return lines.join("\n");
}

/** Splits text into lines of at most `width` characters, breaking at spaces (and inside overlong words). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      let rest = word;
      while (rest.length > width) {
        if (line) lines.push(line);
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
        line = "";
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** "1 table", "2 tables". */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}
