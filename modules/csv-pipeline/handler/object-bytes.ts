// Turns an S3 object's body into the CSV bytes COPY reads, as a stream: gzip is decompressed on the
// fly, other compressions are refused by name (their magic bytes), blank lines are dropped. The
// object is never held in memory: backpressure runs from COPY's socket back to S3's.
import { Readable, pipeline, type Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { BlankLineFilter } from "./blank-lines.js";
import { CsvDataError } from "./failures.js";

/** Compressions recognised by their first bytes; only gzip is read. */
const MAGIC: readonly { readonly name: string; readonly bytes: readonly (readonly number[])[] }[] = [
  { name: "gzip", bytes: [[0x1f, 0x8b]] },
  { name: "zip", bytes: [[0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06], [0x50, 0x4b, 0x07, 0x08]] },
  // "BZh", a block size digit, then the first block's or the end-of-stream marker (so a header "BZh9" is still text).
  ...["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((digit) => ({
    name: "bzip2",
    bytes: [
      [0x42, 0x5a, 0x68, digit.charCodeAt(0), 0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
      [0x42, 0x5a, 0x68, digit.charCodeAt(0), 0x17, 0x72, 0x45, 0x38, 0x50, 0x90],
    ],
  })),
  { name: "zstd", bytes: [[0x28, 0xb5, 0x2f, 0xfd]] },
  { name: "xz", bytes: [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]] },
];
const SNIFF_BYTES = 10;

export interface ObjectDescription {
  readonly bucket: string;
  readonly key: string;
  /** GetObject's Content-Encoding. */
  readonly contentEncoding?: string;
  /** Drop a leading UTF-8 byte-order mark (the file is UTF-8). */
  readonly utf8: boolean;
}

export interface CsvBytes {
  /** The CSV's bytes, decompressed and without blank lines. Iterate once. */
  readonly bytes: AsyncIterable<Buffer>;
  /** "gzip" when the object was decompressed. */
  readonly compression?: "gzip";
  /** Blank lines dropped so far, and the file's line number of a COPY line. */
  readonly blankLines: BlankLineFilter;
}

export async function openCsvBytes(body: AsyncIterable<Uint8Array>, object: ObjectDescription): Promise<CsvBytes> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    head.push(chunk);
    headLength += chunk.length;
  }
  const start = Buffer.concat(head);
  const format = MAGIC.find((magic) => magic.bytes.some((bytes) => bytes.every((byte, i) => start[i] === byte)))?.name;
  const declaredGzip = /\.gz$/i.test(object.key) || /\bgzip\b/i.test(object.contentEncoding ?? "");
  const where = `s3://${object.bucket}/${object.key}`;
  if (format !== undefined && format !== "gzip") {
    await iterator.return?.();
    throw new CsvDataError(`${where} is ${format}-compressed; the pipeline reads plain CSV and gzip (.csv.gz, or Content-Encoding: gzip): upload it uncompressed or as gzip`);
  }
  if (declaredGzip && format !== "gzip" && start.length > 0) {
    await iterator.return?.();
    throw new CsvDataError(`${where} is declared gzip (${object.contentEncoding ? `Content-Encoding: ${object.contentEncoding}` : "its name ends in .gz"}) but does not start with gzip's magic bytes 1f 8b`);
  }

  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (start.length > 0) yield start;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
    } finally {
      // Stops the download when the load ends early (a bad header, a failed COPY).
      await iterator.return?.();
    }
  }
  const blankLines = new BlankLineFilter(object.utf8);
  const stages: (Readable | Transform)[] = [Readable.from(all(), { objectMode: false }), ...(format === "gzip" ? [createGunzip()] : []), blankLines];
  // pipeline destroys every stage when one fails or the consumer stops early, and the last stage
  // (the one iterated) then throws that stage's error.
  const out = pipeline(stages as [Readable, ...Transform[]], () => undefined) as BlankLineFilter;
  return { bytes: format === "gzip" ? gzipErrorsAsDataErrors(out, where) : out, compression: format === "gzip" ? "gzip" : undefined, blankLines };
}

/** A corrupt or truncated gzip stream is the object's fault: no retry can fix it. */
async function* gzipErrorsAsDataErrors(source: AsyncIterable<Buffer>, where: string): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new CsvDataError(`${where}: the gzip data is corrupt or truncated (${(error as Error).message})`);
    throw error;
  }
}
