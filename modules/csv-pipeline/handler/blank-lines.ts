// Drops blank lines from a CSV byte stream as it passes, the way PostgreSQL splits lines: a line
// break inside a quoted field is data, every quote toggles the quoted state ("" toggles twice), and
// a line ends at LF, CR or CRLF. Blank lines are an export artifact, not rows: COPY would fail on
// them ("missing data") or, in a one-column table, load each as a NULL row.
import { Transform, type TransformCallback } from "node:stream";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class BlankLineFilter extends Transform {
  /** Blank lines dropped so far. */
  blankLines = 0;
  private inQuotes = false;
  private atLineStart = true;
  /** The previous byte was a CR ending a line: an LF now belongs to the same line break. */
  private afterCr = false;
  /** That CR ended a blank line, so its LF is dropped too. */
  private afterCrDropped = false;
  /** Records passed on (ended by a line break), to turn PostgreSQL's line numbers back into the file's. */
  private records = 0;
  /** Runs of dropped lines: [records passed before the run, lines in the run], in file order. */
  private readonly runs: number[] = [];
  /** Bytes held back at the start while deciding whether they are a UTF-8 byte-order mark. */
  private head: Buffer | undefined;

  /** @param stripUtf8Bom drop a leading UTF-8 byte-order mark (only for UTF-8 files: in LATIN1 those bytes are text) */
  constructor(stripUtf8Bom: boolean) {
    super();
    this.head = stripUtf8Bom ? Buffer.alloc(0) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.head !== undefined) {
      const head = Buffer.concat([this.head, chunk]);
      const prefix = UTF8_BOM.subarray(0, Math.min(3, head.length));
      if (head.length < 3 && head.equals(prefix)) {
        this.head = head;
        return callback();
      }
      this.head = undefined;
      chunk = head.subarray(0, 3).equals(UTF8_BOM) ? head.subarray(3) : head;
    }
    this.dropBlankLines(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    // A stream shorter than a byte-order mark that is a prefix of one: pass it on as it is.
    if (this.head?.length) this.dropBlankLines(this.head);
    this.head = undefined;
    callback();
  }

  /** The file's line (record) number of PostgreSQL's `line`, which counts only the records passed on. */
  fileLine(copyLine: number): number {
    let line = copyLine;
    for (let i = 0; i < this.runs.length && this.runs[i] < copyLine; i += 2) line += this.runs[i + 1];
    return line;
  }

  private dropBlankLines(chunk: Buffer): void {
    const length = chunk.length;
    if (length === 0) return;
    // Most chunks have no blank line: they are passed on whole, and sliced only around dropped bytes.
    let keptFrom = 0;
    const kept: Buffer[] = [];
    const drop = (at: number) => {
      if (at > keptFrom) kept.push(chunk.subarray(keptFrom, at));
      keptFrom = at + 1;
    };
    // Only quotes and line breaks matter: jump between them with indexOf (memchr) instead of visiting
    // every byte. A position found stays valid until passed (length means "none in this chunk").
    let nextQuote = -1;
    let nextLf = -1;
    let nextCr = -1;
    let i = 0;
    while (i < length) {
      if (this.afterCr) {
        this.afterCr = false;
        if (chunk[i] === LF) {
          if (this.afterCrDropped) drop(i);
          i++;
          continue;
        }
      }
      if (nextQuote < i) nextQuote = indexOf(chunk, QUOTE, i);
      if (this.inQuotes) {
        // Inside quotes only the closing quote matters; line breaks are data.
        this.atLineStart = false;
        if (nextQuote === length) break;
        this.inQuotes = false;
        i = nextQuote + 1;
        continue;
      }
      const byte = chunk[i];
      if (this.atLineStart && (byte === LF || byte === CR)) {
        drop(i);
        this.countBlankLine();
        if (byte === CR) {
          this.afterCr = true;
          this.afterCrDropped = true;
        }
        i++;
        continue;
      }
      if (nextLf < i) nextLf = indexOf(chunk, LF, i);
      if (nextCr < i) nextCr = indexOf(chunk, CR, i);
      const stop = Math.min(nextQuote, nextLf, nextCr);
      if (stop > i) this.atLineStart = false;
      if (stop === length) break;
      if (chunk[stop] === QUOTE) {
        this.inQuotes = true;
        this.atLineStart = false;
      } else {
        // The line break of a line with something on it.
        this.records++;
        this.atLineStart = true;
        if (chunk[stop] === CR) {
          this.afterCr = true;
          this.afterCrDropped = false;
        }
      }
      i = stop + 1;
    }
    if (keptFrom === 0) {
      this.push(chunk);
      return;
    }
    if (keptFrom < length) kept.push(chunk.subarray(keptFrom));
    if (kept.length > 0) this.push(kept.length === 1 ? kept[0] : Buffer.concat(kept));
  }

  private countBlankLine(): void {
    this.blankLines++;
    const last = this.runs.length - 2;
    if (last >= 0 && this.runs[last] === this.records) this.runs[last + 1]++;
    else this.runs.push(this.records, 1);
  }
}

/** The position of `byte` in `chunk` from `from`, or the chunk's length when there is none. */
function indexOf(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at < 0 ? chunk.length : at;
}
