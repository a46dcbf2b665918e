// Reads a CSV's header record off the front of a byte stream without consuming the stream:
// the bytes read stay in front of the rest, so COPY ... HEADER true sees the file whole and
// PostgreSQL's line numbers are the file's.
import { CsvDataError } from "./failures.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** A header longer than this is not a header (or has an unterminated quote): stop before buffering the file. */
const MAX_HEADER_BYTES = 1024 * 1024;

export interface PeekedCsv {
  /** The header's field names; empty when the object is empty. */
  readonly columns: readonly string[];
  /** The object's bytes from the first one, header included. Iterate it once. */
  readonly bytes: AsyncIterable<Buffer>;
  /** Stops reading the object (when the load ends before `bytes` is consumed). */
  close(): Promise<void>;
}

export async function peekCsvHeader(source: AsyncIterable<Uint8Array>, options: { delimiter: string; encodingLabel: string }): Promise<PeekedCsv> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    await iterator.return?.();
  };
  const buffered: Buffer[] = [];
  let size = 0;
  let inQuotes = false;
  let headerEnd: number | undefined;
  let ended = false;
  try {
    while (headerEnd === undefined) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      // Quotes toggle as in PostgreSQL's own line splitter ("" toggles twice), so a quoted
      // header name may hold the delimiter or a line break.
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === QUOTE) inQuotes = !inQuotes;
        else if (!inQuotes && (byte === LF || byte === CR)) {
          headerEnd = size + i;
          break;
        }
      }
      buffered.push(chunk);
      size += chunk.length;
      if (headerEnd === undefined && size > MAX_HEADER_BYTES) {
        throw new CsvDataError(`the header line is longer than ${MAX_HEADER_BYTES} bytes (is a quote left open?)`);
      }
    }
  } catch (error) {
    await close();
    throw error;
  }

  const all = Buffer.concat(buffered);
  const headerBytes = all.subarray(0, headerEnd ?? all.length);
  if (headerEnd === undefined && inQuotes) throw new CsvDataError("the header line has an unterminated quoted field");
  // TextDecoder drops a UTF-8 byte-order mark, which PostgreSQL would otherwise take as part of the first name.
  const text = new TextDecoder(options.encodingLabel).decode(headerBytes);
  const columns = text.length === 0 && all.length === 0 ? [] : parseCsvRecord(text, options.delimiter);

  async function* bytes(): AsyncGenerator<Buffer> {
    yield all;
    if (ended) return;
    for await (const chunk of { [Symbol.asyncIterator]: () => iterator }) yield chunk as Buffer;
  }
  return { columns, bytes: bytes(), close };
}

/** Splits one CSV record (no line terminator) into fields, undoing quotes and doubled quotes. */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else inQuotes = false;
    } else if (char === '"') inQuotes = true;
    else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}
