// The handler's pure parts: the environment contract, event keys, identifiers, headers and failure records.
import { describe, expect, it } from "vitest";
import { ConfigError, readHandlerConfig } from "../../modules/csv-pipeline/handler/config.js";
import { BlankLineFilter } from "../../modules/csv-pipeline/handler/blank-lines.js";
import { parseCsvRecord, peekCsvHeader } from "../../modules/csv-pipeline/handler/csv-header.js";
import { settingsFromSecret, tlsForSslMode } from "../../modules/csv-pipeline/handler/db-settings.js";
import { CsvDataError, describeFailure, isRetryable, withFileLine } from "../../modules/csv-pipeline/handler/failures.js";
import { parseTableName, quoteIdent, quoteTableName } from "../../modules/csv-pipeline/handler/identifiers.js";
import { matchLoadRule } from "../../modules/csv-pipeline/handler/load-rules.js";
import { createdObjects, decodeS3Key, normalizeSequencer } from "../../modules/csv-pipeline/handler/s3-event.js";
import { encodeS3EventKey, s3Event } from "../helpers/s3-server.js";

describe("readHandlerConfig", () => {
  it("reads a valid contract with defaults", () => {
    const config = readHandlerConfig({ CSV_LOADS: JSON.stringify([{ prefix: "in/", table: "public.accounts", mode: "upsert", key: ["id"] }]) });
    expect(config).toMatchObject({ postLoadAction: "tag", dbConnectTimeoutMs: 10000, dbSecretArn: undefined });
    expect(config.loads[0]).toEqual({
      prefix: "in/",
      table: { schema: "public", name: "accounts" },
      mode: "upsert",
      key: ["id"],
      delimiter: ",",
      null: "",
      encoding: "UTF8",
      headerEncodingLabel: "utf-8",
      allowEmpty: false,
    });
  });

  it("reports every problem at once, each with its JSON path", () => {
    const env = {
      CSV_LOADS: JSON.stringify([
        { prefix: "a/", table: "a.b.c", mode: "merge", delimeter: ";" },
        { prefix: "b/", table: "t", mode: "upsert" },
        { prefix: "c/", table: "t", mode: "append", key: ["id"], delimiter: "||", encoding: "EBCDIC" },
        { prefix: "c/", table: "t", mode: "append" },
      ]),
      POST_LOAD_ACTION: "archive",
      DB_CONNECT_TIMEOUT_MS: "soon",
      DB_SECRET_ARN: "my-secret",
    };
    let error: unknown;
    try {
      readHandlerConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'CSV_LOADS[0].table: expected a table name such as public.accounts: table "a.b.c" has more than one "." (write schema.table)',
      "CSV_LOADS[0].mode: expected one of replace, append, upsert",
      "CSV_LOADS[0].delimeter: unknown property (known: prefix, table, mode, key, delimiter, null, encoding, allow_empty)",
      "CSV_LOADS[1].key: expected the key columns of the upsert (a non-empty list)",
      "CSV_LOADS[2].delimiter: expected one single-byte character other than a quote or a line break",
      "CSV_LOADS[2].encoding: expected one of UTF8, LATIN1, LATIN2, LATIN9, WIN1250, WIN1251, WIN1252",
      "CSV_LOADS[2].key: expected no key: only an upsert has key columns",
      'CSV_LOADS[3].prefix: "c/" is also the prefix of CSV_LOADS[2]',
      'POST_LOAD_ACTION: must be "tag" or "move", not "archive"',
      'DB_CONNECT_TIMEOUT_MS: must be a positive integer of milliseconds, not "soon"',
      'DB_SECRET_ARN: must be a Secrets Manager ARN, not "my-secret"',
    ]);
  });

  it("rejects a missing or malformed CSV_LOADS and duplicate prefixes", () => {
    expect(() => readHandlerConfig({})).toThrow(/CSV_LOADS is not set/);
    expect(() => readHandlerConfig({ CSV_LOADS: "[{" })).toThrow(/CSV_LOADS is not valid JSON/);
    expect(() => readHandlerConfig({ CSV_LOADS: '[{"prefix":"x/","table":"t","mode":"append"},{"prefix":"x/","table":"u","mode":"append"}]' })).toThrow(
      /CSV_LOADS\[1\]\.prefix: "x\/" is also the prefix of CSV_LOADS\[0\]/,
    );
  });

  it("keeps moved objects out of the prefixes when POST_LOAD_ACTION=move", () => {
    expect(() => readHandlerConfig({ CSV_LOADS: '[{"prefix":"processed/x/","table":"t","mode":"append"}]', POST_LOAD_ACTION: "move" })).toThrow(/processed\/ and failed\/ hold moved objects/);
  });

  it("picks the longest matching prefix", () => {
    const { loads } = readHandlerConfig({
      CSV_LOADS: JSON.stringify([
        { prefix: "", table: "all", mode: "append" },
        { prefix: "in/", table: "in", mode: "append" },
        { prefix: "in/x/", table: "x", mode: "append" },
      ]),
    });
    expect(matchLoadRule(loads, "in/x/1.csv")?.table.name).toBe("x");
    expect(matchLoadRule(loads, "in/y.csv")?.table.name).toBe("in");
    expect(matchLoadRule(loads, "other.csv")?.table.name).toBe("all");
  });
});

describe("S3 event keys", () => {
  it("decodes '+' as a space before percent-decoding, so an encoded '+' stays a plus", () => {
    expect(decodeS3Key("a/My+File%2B%C3%A9+%281%29.csv")).toBe("a/My File+é (1).csv");
    const key = "dir/Ünïcode name+plus & (1).csv";
    expect(decodeS3Key(encodeS3EventKey(key))).toBe(key);
  });

  it("takes ObjectCreated records only", () => {
    const created = s3Event("b", "k 1.csv", { eTag: '"abc"', versionId: "v1", size: 5, sequencer: "0055aed6dcd90281e5" });
    const removed = s3Event("b", "k 2.csv", { eventName: "ObjectRemoved:Delete" });
    expect(createdObjects({ Records: [...created.Records, ...removed.Records] })).toEqual([
      { bucket: "b", key: "k 1.csv", versionId: "v1", eTag: "abc", size: 5, sequencer: "0055AED6DCD90281E5" },
    ]);
    expect(createdObjects({})).toEqual([]);
  });

  it("keeps a record whose key cannot be decoded apart, with the key as delivered and why", () => {
    const event = s3Event("b", "in/x.csv", { eTag: "abc" });
    const broken = { ...event.Records[0], s3: { ...event.Records[0].s3, object: { ...event.Records[0].s3.object, key: "in/bad%E0%A4%A.csv" } } };
    const [good, bad] = createdObjects({ Records: [event.Records[0], broken] });
    expect(good).toMatchObject({ key: "in/x.csv" });
    expect(bad).toMatchObject({ bucket: "b", rawKey: "in/bad%E0%A4%A.csv", eTag: "abc", problem: expect.stringMatching(/cannot be decoded: URI malformed/) });
  });
});

describe("identifiers", () => {
  it("quotes names and doubles embedded quotes", () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteTableName(parseTableName("Sales.Order Lines"))).toBe('"Sales"."Order Lines"');
    expect(() => quoteIdent("")).toThrow(/is empty/);
    expect(() => quoteIdent("x".repeat(64))).toThrow(/longer than 63 bytes/);
  });
});

describe("CSV header", () => {
  it("splits quoted fields, doubled quotes and delimiters inside quotes", () => {
    expect(parseCsvRecord('a,"b,c","d""e",,"f\ng"', ",")).toEqual(["a", "b,c", 'd"e', "", "f\ng"]);
    expect(parseCsvRecord("a;b", ";")).toEqual(["a", "b"]);
  });

  it("finds the header across chunk boundaries and hands back every byte", async () => {
    const chunks = ["\uFEFF\"i", 'd","na\r\nme"', "\r\n1,a\r\n", "2,b\r\n"].map((text) => Buffer.from(text));
    async function* source() {
      yield* chunks;
    }
    const peeked = await peekCsvHeader(source(), { delimiter: ",", encodingLabel: "utf-8" });
    expect(peeked.columns).toEqual(["id", "na\r\nme"]);
    const replayed: Buffer[] = [];
    for await (const chunk of peeked.bytes) replayed.push(chunk);
    expect(Buffer.concat(replayed).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("refuses a header that never ends", async () => {
    async function* endless() {
      for (;;) yield Buffer.alloc(64 * 1024, 0x61);
    }
    await expect(peekCsvHeader(endless(), { delimiter: ",", encodingLabel: "utf-8" })).rejects.toThrow(CsvDataError);
  });
});

describe("failures", () => {
  it("treats the file's content as non-retryable and everything else as retryable", () => {
    expect(isRetryable(new CsvDataError("bad header"))).toBe(false);
    expect(isRetryable(Object.assign(new Error("bad value"), { code: "22P02" }))).toBe(false);
    expect(isRetryable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isRetryable(Object.assign(new Error("deadlock"), { code: "40P01" }))).toBe(true);
    expect(isRetryable(new Error("read ECONNRESET"))).toBe(true);
  });

  it("keeps line, column and at most 40 characters of a value", () => {
    const error = Object.assign(new Error(`invalid input syntax for type numeric: "${"9".repeat(100)}"`), {
      code: "22P02",
      where: `COPY accounts, line 600001, column balance: "${"9".repeat(100)}"`,
    });
    expect(describeFailure(error)).toEqual({
      message: `invalid input syntax for type numeric: "${"9".repeat(40)}… (60 more characters)"`,
      sqlState: "22P02",
      line: 600001,
      column: "balance",
      context: `COPY accounts, line 600001, column balance: "${"9".repeat(40)}… (60 more characters)"`,
    });
  });
});

describe("blank lines", () => {
  /** Runs `input` through a filter in the given chunks; returns what comes out and the filter. */
  async function filtered(chunks: readonly Buffer[], utf8 = true) {
    const filter = new BlankLineFilter(utf8);
    const out: Buffer[] = [];
    filter.on("data", (chunk: Buffer) => out.push(chunk));
    const done = new Promise((resolve) => filter.on("end", resolve));
    for (const chunk of chunks) filter.write(chunk);
    filter.end();
    await done;
    return { text: Buffer.concat(out).toString("utf8"), filter };
  }

  const cases = [
    { name: "LF, leading, inner and trailing blank lines", input: "\n\nid,name\n1,a\n\n2,b\n\n\n", output: "id,name\n1,a\n2,b\n", blank: 5 },
    { name: "CRLF", input: "id,name\r\n\r\n1,a\r\n\r\n", output: "id,name\r\n1,a\r\n", blank: 2 },
    { name: "CR only", input: "id\r\r1\r", output: "id\r1\r", blank: 1 },
    { name: "a blank line inside a quoted field is data", input: 'id,t\n1,"a\n\nb"\n\n2,"x\r\n\r\ny"\n', output: 'id,t\n1,"a\n\nb"\n2,"x\r\n\r\ny"\n', blank: 1 },
    { name: "doubled quotes keep the quoted state", input: 'id,t\n1,"say ""hi""\n\n"\n\n', output: 'id,t\n1,"say ""hi""\n\n"\n', blank: 1 },
    { name: "a UTF-8 byte-order mark before blank lines", input: "\uFEFF\n\nid\n1\n", output: "id\n1\n", blank: 2 },
    { name: "only line breaks", input: "\n\r\n\r\n", output: "", blank: 3 },
    { name: "a byte-order mark alone", input: "\uFEFF", output: "", blank: 0 },
  ];

  it.each(cases)("$name: the same output and count for every way of splitting the input into two or three chunks", async ({ input, output, blank }) => {
    const bytes = Buffer.from(input, "utf8");
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { text, filter } = await filtered([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect({ i, j, text, blank: filter.blankLines }).toEqual({ i, j, text: output, blank });
      }
    }
  });

  it("keeps a leading EF BB BF in a non-UTF-8 file (there they are text)", async () => {
    expect((await filtered([Buffer.from([0xef, 0xbb, 0xbf, 0x0a, 0x0a, 0x41])], false)).text).toBe("\uFEFF\nA");
  });

  it("turns PostgreSQL's COPY line back into the file's line", async () => {
    // File lines: 1 header, 2-3 blank, 4 row, 5 blank, 6 row, 7 row.
    const { filter } = await filtered([Buffer.from("h\n\n\n1\n\n2\n3\n")]);
    expect([1, 2, 3, 4].map((line) => filter.fileLine(line))).toEqual([1, 4, 6, 7]);
    const failure = withFileLine({ message: "bad", line: 3, context: 'COPY t, line 3, column v: "2"' }, (line) => filter.fileLine(line));
    expect(failure).toEqual({ message: "bad", line: 6, context: 'COPY t, line 6, column v: "2"' });
  });
});

describe("sequencers", () => {
  it("keeps hex sequencers in uppercase and drops anything else", () => {
    expect(normalizeSequencer("0055aed6dcd90281e5")).toBe("0055AED6DCD90281E5");
    expect(normalizeSequencer("")).toBeUndefined();
    expect(normalizeSequencer("not-hex")).toBeUndefined();
  });
});

describe("database settings", () => {
  it("reads a secret, falling back to PG* variables for what it lacks, with TLS on by default", () => {
    const settings = settingsFromSecret(JSON.stringify({ username: "loader", password: "pw", host: "db.internal", port: 5433 }), { PGDATABASE: "app" });
    expect(settings).toEqual({ host: "db.internal", port: 5433, user: "loader", password: "pw", database: "app", ssl: { rejectUnauthorized: false } });
    expect(() => settingsFromSecret("not json", {})).toThrow(/not JSON/);
    expect(() => settingsFromSecret(JSON.stringify({ username: "u" }), {})).toThrow(/lacks password, host/);
  });

  it("maps sslmode as libpq does", () => {
    expect(tlsForSslMode("disable", undefined)).toBe(false);
    expect(tlsForSslMode(undefined, undefined)).toEqual({ rejectUnauthorized: false });
    expect(tlsForSslMode("verify-full", undefined)).toEqual({ rejectUnauthorized: true, ca: undefined });
    expect(() => tlsForSslMode("sometimes", undefined)).toThrow(/sslmode "sometimes"/);
  });
});
