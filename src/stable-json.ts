// json-stable-stringify as cdktf 0.21 calls it, `stringify(value, { space: 2 })`, for every stack,
// manifest and test snapshot it writes: keys sorted, two-space indent, and the package's quirks kept
// (an empty object or array still breaks its line: "{\n}"; toJSON called without a key). The
// package returns a string per level that its parent joins again, which made it a tenth of a
// synth; this writes one list of parts and joins it once. build.mjs bundles it in the package's
// place, and test/unit/stable-json.test.ts holds the two to the same output.
const SPACE = "  ";
// The line break and indent before a value at each depth, and the same after a comma.
const breaks: string[] = [];
const commaBreaks: string[] = [];
function lineBreak(level: number): string {
  return (breaks[level] ??= `\n${SPACE.repeat(level)}`);
}
function commaBreak(level: number): string {
  return (commaBreaks[level] ??= `,${lineBreak(level)}`);
}

export function stableStringify(value: unknown, options: { space: number }): string | undefined {
  if (options?.space !== 2 || Object.keys(options).length !== 1) {
    throw new Error(`src/stable-json.ts writes what json-stable-stringify writes with { space: 2 } only, not ${JSON.stringify(options)}`);
  }
  const root = jsonValue(value);
  if (!emits(root)) return undefined;
  const parts: string[] = [];
  const seen: object[] = [];

  function write(node: unknown, level: number): void {
    if (typeof node !== "object" || node === null) {
      parts.push(JSON.stringify(node));
      return;
    }
    const close = lineBreak(level);
    const open = lineBreak(level + 1);
    const next = commaBreak(level + 1);
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

function jsonValue(node: unknown): unknown {
  const toJSON = (node as { toJSON?: unknown } | null | undefined)?.toJSON;
  return node && typeof toJSON === "function" ? toJSON.call(node) : node;
}

/** Whether JSON has a value for this (undefined, functions and symbols have none). */
function emits(node: unknown): boolean {
  return node !== undefined && typeof node !== "function" && typeof node !== "symbol";
}
