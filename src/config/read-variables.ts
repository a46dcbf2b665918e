// Reads an environment's `*.tfvars.json` files (and the files config names: certificates, table
// mappings) as hostile input: only regular files, UTF-8 only
// (no silent U+FFFD), no NUL, strict JSON with the line and column of every syntax error and of
// every duplicate key (JSON.parse keeps the last silently, and Node 20 gives no position for
// "Unexpected token"). Each problem is one ConfigIssue; nothing here throws for bad input.
import { Dirent, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigIssue, describeValue, jsonPath } from "./errors.js";

export interface VariablesFile {
  readonly file: string;
  readonly value: Record<string, unknown>;
}

/**
 * `fatal`: files that could not be read or parsed, so the environment's settings are unknown.
 * `values`: problems with single values in files that did parse (a duplicate key, a number too
 * large to hold); the rest of the file is still checked, and nothing else is reported at their path.
 */
export interface VariablesFiles {
  readonly files: VariablesFile[];
  /** Every `*.tfvars.json` name, in merge order. */
  readonly names: string[];
  readonly fatal: ConfigIssue[];
  readonly values: ConfigIssue[];
}

const REGULAR_FILE = "a regular file (only regular files named *.tfvars.json are read)";

/**
 * The environment's `*.tfvars.json` files in name order, parsed. Names starting with "." are
 * skipped, as Terraform skips them (editor lock and swap files).
 */
export function readVariablesFiles(envDir: string, display: (file: string) => string): VariablesFiles {
  let entries: Dirent[];
  try {
    entries = readdirSync(envDir, { withFileTypes: true });
  } catch (error) {
    return { files: [], names: [], values: [], fatal: [{ file: display(envDir), path: "$", message: `cannot read the directory (${errorCode(error)})`, expected: "a readable directory of *.tfvars.json files" }] };
  }
  const names = entries.map((entry) => entry.name).filter((name) => name.endsWith(".tfvars.json") && !name.startsWith(".")).sort();
  const out: VariablesFiles = { files: [], names: names.map((name) => join(envDir, name)), fatal: [], values: [] };
  for (const file of out.names) {
    const result = readVariablesFile(file, display(file));
    if (result.value === undefined) out.fatal.push(...result.issues);
    else {
      out.files.push({ file, value: result.value });
      out.values.push(...result.issues);
    }
  }
  return out;
}

/** One variables file: a regular file holding a UTF-8 JSON object (no value: unusable). */
export function readVariablesFile(file: string, shown: string): { value?: Record<string, unknown>; issues: ConfigIssue[] } {
  const read = readRegularFile(file);
  if ("message" in read) return { issues: [{ file: shown, path: "$", message: read.message, found: read.found, expected: REGULAR_FILE }] };
  const parsed = parseVariablesText(read.bytes);
  return { value: parsed.value, issues: parsed.problems.map((problem) => ({ file: shown, ...problem })) };
}

/**
 * A file named in config (a certificate, a table-mapping document), read by the same rules: a
 * regular UTF-8 file without NUL. `problem` reads after the file's name ("is a directory, not a file").
 */
export function readReferencedFile(file: string): { text: string } | { problem: string } {
  const read = readRegularFile(file);
  if ("message" in read) return { problem: `${read.message}${read.found ? ` (${read.found})` : ""}` };
  const decoded = decodeText(read.bytes);
  return "problem" in decoded ? { problem: `${decoded.problem.message} (${decoded.problem.found})` } : decoded;
}

/** A JSON document named in config: strict JSON, duplicate keys refused, positions given. */
export function readReferencedJson(file: string): { value: unknown } | { problem: string } {
  const read = readReferencedFile(file);
  if ("problem" in read) return read;
  const result = new JsonParser(read.text).parseDocument();
  const [first] = result.problems;
  return first ? { problem: `${first.message}${first.found ? `; found ${first.found}` : ""}` } : { value: result.value };
}

/** The bytes of a regular file (symbolic links followed), or why it cannot be read. */
function readRegularFile(file: string): { bytes: Buffer } | { message: string; found?: string } {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { message: "is a directory, not a file", found: "a directory" };
    if (!stat.isFile()) return { message: "is not a regular file", found: stat.isFIFO() ? "a named pipe" : stat.isSocket() ? "a socket" : "a device" };
    return { bytes: readFileSync(file) };
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" && isSymlink(file)) return { message: "is a broken symbolic link", found: `a link to ${JSON.stringify(readlinkSync(file))}, which does not exist` };
    if (code === "ELOOP") return { message: "is a symbolic link that loops", found: "a link loop" };
    return { message: `cannot be read (${code})` };
  }
}

export type Problem = Omit<ConfigIssue, "file">;

/**
 * Decodes and parses a variables file's bytes into a JSON object, with every problem and its
 * position. No value: the file is unusable; a value with problems: some values in it are wrong.
 */
export function parseVariablesText(bytes: Uint8Array): { value?: Record<string, unknown>; problems: Problem[] } {
  const decoded = decodeText(bytes);
  if ("problem" in decoded) return { problems: [decoded.problem] };
  const text = decoded.text;
  if (text.trim() === "") return { problems: [{ path: "$", message: "empty file", expected: "a JSON object of settings" }] };
  const result = new JsonParser(text).parseDocument();
  if (result.fatal) return { problems: result.problems };
  const value = result.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [{ path: "$", message: "the file is not a JSON object", found: describeValue(value), expected: "a JSON object of settings" }] };
  }
  return { value: value as Record<string, unknown>, problems: result.problems };
}

/** Text: strict UTF-8 and no NUL, or the position of the first offending byte. */
function decodeText(bytes: Uint8Array): { text: string } | { problem: Problem } {
  const decoded = decodeUtf8(bytes);
  if ("problem" in decoded) return decoded;
  const nul = decoded.text.indexOf("\u0000");
  if (nul < 0) return decoded;
  return { problem: { path: "$", message: `NUL byte at ${where(decoded.text, nul)}`, found: "a NUL byte (U+0000)", expected: "a text file (a NUL usually means a binary or a corrupted file)" } };
}

/** Strict UTF-8 (a BOM is allowed), with the position of the first invalid byte. */
function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: Problem } {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { path: "$", message: "the file is UTF-16 encoded", found: "a UTF-16 byte order mark", expected: "a UTF-8 encoded file" } };
  }
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body) };
  } catch {
    const bad = firstInvalidUtf8(body);
    const text = new TextDecoder("utf-8").decode(body.subarray(0, bad));
    // The lead byte and the continuation bytes that follow it, as far as the sequence would go.
    const sequence = [body[bad]];
    for (let k = 1; k < sequenceLength(body[bad]) && body[bad + k] >= 0x80 && body[bad + k] <= 0xbf; k++) sequence.push(body[bad + k]);
    const shown = sequence.map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
    return { problem: { path: "$", message: `invalid UTF-8 at ${where(text, text.length)}`, found: `the byte${shown.includes(" ") ? "s" : ""} ${shown}`, expected: "a UTF-8 encoded file (save it as UTF-8; text is never guessed or replaced)" } };
  }
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) { i++; continue; }
    const length = sequenceLength(lead);
    if (length === 1 || i + length > bytes.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points over U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return i;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** "line L, column C" (1-based; columns count characters) of an offset in `text`. */
function where(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return `line ${line}, column ${[...text.slice(lineStart, offset)].length + 1}`;
}

const MAX_DEPTH = 128;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const VALUE = "a JSON value: a string, number, object, array, true, false or null";

class JsonSyntaxError extends Error {}

/**
 * RFC 8259 JSON, strictly: the first syntax error stops the parse; duplicate keys and numbers
 * that cannot be held exactly are collected and parsing goes on, so every one is reported.
 */
class JsonParser {
  private index = 0;
  private readonly path: (string | number)[] = [];
  readonly problems: Problem[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): { value: unknown; problems: Problem[]; fatal: boolean } {
    try {
      this.skipWhitespace();
      const value = this.parseValue(0);
      this.skipWhitespace();
      if (this.index < this.text.length) this.fail("there is more after the end of the JSON value", "nothing after the closing } of the file");
      return { value, problems: this.problems, fatal: false };
    } catch (error) {
      if (error instanceof JsonSyntaxError) return { value: undefined, problems: this.problems, fatal: true };
      throw error;
    }
  }

  private fail(message: string, expected: string, at = this.index, found = this.describeAt(at)): never {
    this.problems.push({ path: jsonPath(this.path), message: `invalid JSON at ${where(this.text, at)}: ${message}`, found, expected });
    throw new JsonSyntaxError(message);
  }

  private describeAt(at: number): string {
    if (at >= this.text.length) return "the end of the file";
    const c = String.fromCodePoint(this.text.codePointAt(at)!);
    return c < " " ? `the control character U+${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}` : JSON.stringify(c);
  }

  private unexpected(expected: string): never {
    const c = this.text[this.index];
    if (c === "/") this.fail("a comment (JSON has no comments)", expected);
    if (c === "'") this.fail("a single-quoted string (JSON strings use double quotes)", expected);
    this.fail(this.index >= this.text.length ? "the file ends too early" : "unexpected character", expected);
  }

  private skipWhitespace(): void {
    while (this.index < this.text.length && " \t\n\r".includes(this.text[this.index])) this.index++;
  }

  private parseValue(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`, "a shallower document");
    const c = this.text[this.index];
    if (c === "{") return this.parseObject(depth);
    if (c === "[") return this.parseArray(depth);
    if (c === '"') return this.parseString();
    if (c === "-" || (c >= "0" && c <= "9")) return this.parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    return this.unexpected(VALUE);
  }

  private parseObject(depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    this.index++;
    this.skipWhitespace();
    if (this.text[this.index] === "}") {
      this.index++;
      return object;
    }
    for (;;) {
      if (this.text[this.index] !== '"') this.unexpected('a key in double quotes, or } to end the object');
      const keyAt = this.index;
      const key = this.parseString();
      const first = seen.get(key);
      this.path.push(key);
      if (first !== undefined) {
        this.problems.push({
          path: jsonPath(this.path),
          message: `duplicate key ${JSON.stringify(key)} at ${where(this.text, keyAt)} (first at ${where(this.text, first)})`,
          found: "the key twice in one object",
          expected: "each key once per object (JSON keeps only the last, silently dropping the first)",
        });
      } else seen.set(key, keyAt);
      this.skipWhitespace();
      if (this.text[this.index] !== ":") this.unexpected(`: after the key ${JSON.stringify(key)}`);
      this.index++;
      this.skipWhitespace();
      // As JSON.parse does: an own property even for "__proto__".
      Object.defineProperty(object, key, { value: this.parseValue(depth + 1), enumerable: true, writable: true, configurable: true });
      this.path.pop();
      if (this.closes("}", "an object")) return object;
    }
  }

  /** After a member: true at the closing bracket (consumed); past a comma that another member follows otherwise. */
  private closes(close: "}" | "]", container: string): boolean {
    this.skipWhitespace();
    const c = this.text[this.index];
    if (c === close) {
      this.index++;
      return true;
    }
    if (c !== ",") this.unexpected(`, or ${close} after a value in ${container}`);
    const comma = this.index;
    this.index++;
    this.skipWhitespace();
    if (this.text[this.index] === close) this.fail(`a comma before ${close}`, `no comma after the last value of ${container}`, comma);
    return false;
  }

  private parseArray(depth: number): unknown[] {
    const array: unknown[] = [];
    this.index++;
    this.skipWhitespace();
    if (this.text[this.index] === "]") {
      this.index++;
      return array;
    }
    for (;;) {
      this.path.push(array.length);
      array.push(this.parseValue(depth + 1));
      this.path.pop();
      if (this.closes("]", "an array")) return array;
    }
  }

  private parseString(): string {
    const start = this.index;
    this.index++;
    let out = "";
    for (;;) {
      if (this.index >= this.text.length) this.fail("a string that is never closed", 'a closing "', start);
      const c = this.text[this.index];
      if (c === '"') {
        this.index++;
        return out;
      }
      if (c < " ") this.fail("a control character inside a string", `the escape ${JSON.stringify(c).slice(1, -1)} instead`);
      if (c !== "\\") {
        out += c;
        this.index++;
        continue;
      }
      const escape = this.text[this.index + 1];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (escape !== undefined && escape in simple) {
        out += simple[escape];
        this.index += 2;
        continue;
      }
      if (escape !== "u" || !/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.index + 2, this.index + 6))) {
        this.fail("an invalid escape in a string", 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
      }
      const unit = parseInt(this.text.slice(this.index + 2, this.index + 6), 16);
      const isHigh = unit >= 0xd800 && unit <= 0xdbff;
      const next = isHigh && this.text.startsWith("\\u", this.index + 6) ? parseInt(this.text.slice(this.index + 8, this.index + 12), 16) : NaN;
      if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
        out += String.fromCharCode(unit, next);
        this.index += 12;
        continue;
      }
      if (unit >= 0xd800 && unit <= 0xdfff) this.fail("an escaped lone surrogate, which is no character", "a \\uXXXX escape of a whole character");
      out += String.fromCharCode(unit);
      this.index += 6;
    }
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.index;
    const match = NUMBER.exec(this.text);
    if (!match || /^[0-9.eE+-]/.test(this.text[this.index + match[0].length] ?? "")) {
      // What JSON.parse would refuse too: 01, 1., .5, +1, 1e, -.
      const end = this.index + (/^[-+0-9.eE]*/.exec(this.text.slice(this.index))?.[0].length ?? 1);
      const text = JSON.stringify(this.text.slice(this.index, end));
      this.fail(`${text} is not a JSON number`, "a number such as 5, -1, 0.25 or 1e3 (no leading zeros, no trailing dot), or a string in double quotes", this.index, text);
    }
    const literal = match[0];
    const value = Number(literal);
    if (!Number.isFinite(value) || (!match[2] && !match[3] && !Number.isSafeInteger(value))) {
      this.problems.push({ path: jsonPath(this.path), message: `number too large at ${where(this.text, this.index)}: it cannot be held exactly`, found: literal.length > 40 ? `${literal.slice(0, 37)}...` : literal, expected: `a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` });
    }
    this.index += literal.length;
    return value;
  }
}
