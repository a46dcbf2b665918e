// json-stable-stringify as cdktf 0.21 calls it, `stringify(value, { space: 2 })`, for every stack,
// manifest and test snapshot it writes: keys sorted, two-space indent, and the package's quirks kept
// (an empty object or array still breaks its line: "{\n}"; toJSON called without a key). The
// package returns a string per level that its parent joins again, which made it a tenth of a
// synth. This makes a copy with sorted keys and lets JSON.stringify write it; empty objects and
// arrays go through as marker strings that are then rewritten the package's way. Where that cannot
// be exact (an object with array-index keys, which JavaScript always enumerates first, or text that
// contains the marker) it writes part by part instead. build.mjs bundles it in the package's place,
// and test/unit/stable-json.test.ts holds the two to the same output.
const SPACE = "  ";
const MARK = "\u0000dms-lz-empty\u0000";
const EMPTY_OBJECT = `${MARK}{}`;
const EMPTY_ARRAY = `${MARK}[]`;
// A marker as JSON.stringify writes it: the brackets follow.
const WRITTEN_MARK = `"${JSON.stringify(MARK).slice(1, -1)}`;
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

class NotExact extends Error {}

export function stableStringify(value: unknown, options: { space: number }): string | undefined {
  if (options?.space !== 2 || Object.keys(options).length !== 1) {
    throw new Error(`src/stable-json.ts writes what json-stable-stringify writes with { space: 2 } only, not ${JSON.stringify(options)}`);
  }
  try {
    const written = JSON.stringify(sortedCopy(value, []), null, SPACE) as string | undefined;
    return written === undefined ? undefined : unmark(written);
  } catch (error) {
    if (!(error instanceof NotExact)) throw error;
    return writeInParts(value);
  }
}

/** Each marker becomes its brackets, the closing one on a line of its own at the marker's indent. */
function unmark(written: string): string {
  const pieces = written.split(WRITTEN_MARK);
  for (let index = 1; index < pieces.length; index++) {
    const before = pieces[index - 1];
    const lineStart = before.lastIndexOf("\n") + 1;
    let indentEnd = lineStart;
    while (before.charCodeAt(indentEnd) === 32) indentEnd++;
    // The piece starts with the brackets and the marker's closing quote: `{}"` or `[]"`.
    const piece = pieces[index];
    pieces[index] = `${piece[0]}\n${before.slice(lineStart, indentEnd)}${piece[1]}${piece.slice(3)}`;
  }
  return pieces.join("");
}

function jsonValue(node: unknown): unknown {
  const toJSON = (node as { toJSON?: unknown } | null | undefined)?.toJSON;
  return node && typeof toJSON === "function" ? toJSON.call(node) : node;
}

/** Whether JSON has a value for this (undefined has none, nor have functions and symbols unless they have a toJSON). */
function emits(node: unknown): boolean {
  if (typeof node === "function" || typeof node === "symbol") return JSON.stringify(node) !== undefined;
  return node !== undefined;
}

/** What JSON.stringify should write: keys in the package's order, empty containers as markers. */
function sortedCopy(node: unknown, seen: object[]): unknown {
  node = jsonValue(node);
  if (typeof node === "string" && node.includes(MARK)) throw new NotExact();
  if (typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) {
    if (node.length === 0) return EMPTY_ARRAY;
    const copy: unknown[] = [];
    for (let index = 0; index < node.length; index++) copy.push(sortedCopy(node[index], seen));
    return copy;
  }
  if (seen.includes(node)) throw new TypeError("Converting circular structure to JSON");
  seen.push(node);
  // No prototype, so that a "__proto__" key is a key like any other.
  const copy: Record<string, unknown> = Object.create(null);
  let empty = true;
  for (const key of Object.keys(node).sort()) {
    if (ARRAY_INDEX.test(key) || key.includes(MARK)) throw new NotExact();
    const item = sortedCopy((node as Record<string, unknown>)[key], seen);
    if (!emits(item)) continue;
    copy[key] = item;
    empty = false;
  }
  seen.pop();
  return empty ? EMPTY_OBJECT : copy;
}

/** The package's algorithm, writing one list of parts. */
function writeInParts(value: unknown): string | undefined {
  const root = jsonValue(value);
  if (!emits(root)) return undefined;
  const parts: string[] = [];
  const seen: object[] = [];

  function write(node: unknown, level: number): void {
    if (typeof node !== "object" || node === null) {
      parts.push(JSON.stringify(node));
      return;
    }
    const close = `\n${SPACE.repeat(level)}`;
    const open = close + SPACE;
    const next = `,${open}`;
    if (Array.isArray(node)) {
      parts.push("[");
      for (let index = 0; index < node.length; index++) {
        parts.push(index === 0 ? open : next);
        const item = jsonValue(node[index]);
        if (emits(item)) write(item, level + 1);
        else parts.push("null");
      }
      parts.push(close, "]");
      return;
    }
    if (seen.includes(node)) throw new TypeError("Converting circular structure to JSON");
    seen.push(node);
    parts.push("{");
    let first = true;
    for (const key of Object.keys(node).sort()) {
      const item = jsonValue((node as Record<string, unknown>)[key]);
      if (!emits(item)) continue;
      parts.push(first ? open : next, JSON.stringify(key), ": ");
      first = false;
      write(item, level + 1);
    }
    seen.pop();
    parts.push(close, "}");
  }

  write(root, 0);
  return parts.join("");
}
