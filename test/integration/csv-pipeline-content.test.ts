// What the CSV pipeline's handler makes of an object's bytes: blank lines, gzip (by name or by
// Content-Encoding), other compressions, empty objects, near-miss header names. Real PostgreSQL and s3rver.
import { createReadStream, createWriteStream, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { writeAccountsCsv } from "../helpers/csv-fixtures.js";
import { csvPipelineHarness } from "../helpers/csv-pipeline-harness.js";
import { putObjectAndEvent } from "../helpers/s3-server.js";

const harness = csvPipelineHarness("csv-content");
const BUCKET = harness.bucket;
const { handlerFor, createAccounts, rows, ledger } = harness;

describe("blank lines", () => {
  it("skips blank lines anywhere, keeps those inside quoted fields, and records how many it skipped", async () => {
    await createAccounts("blank_accounts");
    const handler = handlerFor([{ prefix: "blank/", table: "blank_accounts", mode: "append" }]);
    const lf = '\n\nid,name\n1,a\n\n2,"two\n\nlines"\n\n\n';
    const crlf = "id,name\r\n3,c\r\n\r\n4,d\r\n\r\n";

    const results = [await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "blank/lf.csv", lf)), await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "blank/crlf.csv", crlf))];

    expect(results.map((r) => r.results[0])).toEqual([
      expect.objectContaining({ status: "loaded", rows: 2, blankLinesSkipped: 5 }),
      expect.objectContaining({ status: "loaded", rows: 2, blankLinesSkipped: 2 }),
    ]);
    expect(await rows("SELECT id, name FROM blank_accounts ORDER BY id")).toEqual([
      { id: "1", name: "a" },
      { id: "2", name: "two\n\nlines" },
      { id: "3", name: "c" },
      { id: "4", name: "d" },
    ]);
    expect(await ledger("blank/lf.csv")).toEqual([expect.objectContaining({ status: "loaded", rows_loaded: "2", blank_lines_skipped: "5" })]);
  });

  it("loads no NULL rows for the blank lines of a one-column file", async () => {
    await harness.admin.query("CREATE TABLE one_column (code text)");
    const handler = handlerFor([{ prefix: "one/", table: "one_column", mode: "append" }]);

    const result = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "one/o.csv", 'code\na\n\nb\n""\n\n'));

    expect(result.results[0]).toMatchObject({ status: "loaded", rows: 3, blankLinesSkipped: 2 });
    expect(await rows("SELECT code FROM one_column ORDER BY code NULLS FIRST")).toEqual([{ code: "" }, { code: "a" }, { code: "b" }]);
  });

  it("reports a bad value at the file's line, counting the blank lines it skipped", async () => {
    await createAccounts("blank_bad_accounts");
    const handler = handlerFor([{ prefix: "blankbad/", table: "blank_bad_accounts", mode: "append" }]);

    await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "blankbad/b.csv", "id,name,balance\n\n\n1,a,1\n\n2,b,x\n"));

    expect(await ledger("blankbad/b.csv")).toEqual([
      expect.objectContaining({ status: "failed", error_line: "6", error_context: 'COPY blank_bad_accounts, line 6, column balance: "x"', blank_lines_skipped: "3" }),
    ]);
  });
});

describe("compressed objects", () => {
  it("decompresses .csv.gz and Content-Encoding: gzip as they stream, blank lines and all", async () => {
    await createAccounts("gzip_accounts");
    const handler = handlerFor([{ prefix: "gz/", table: "gzip_accounts", mode: "append" }]);
    const byName = await putObjectAndEvent(harness.s3.client, BUCKET, "gz/a.csv.gz", gzipSync("id,name\n1,by name\n\n"));
    const byEncoding = await putObjectAndEvent(harness.s3.client, BUCKET, "gz/b.csv", gzipSync("id,name\n2,by encoding\n"), { contentEncoding: "gzip" });

    expect((await handler(byName)).results[0]).toMatchObject({ status: "loaded", rows: 1, blankLinesSkipped: 1 });
    expect((await handler(byEncoding)).results[0]).toMatchObject({ status: "loaded", rows: 1 });
    expect(await rows("SELECT id, name FROM gzip_accounts ORDER BY id")).toEqual([
      { id: "1", name: "by name" },
      { id: "2", name: "by encoding" },
    ]);
  });

  it("streams a 200,000-row gzip file, and fails its truncated copy as a data error without loading a row", async () => {
    await createAccounts("gzip_big_accounts");
    const handler = handlerFor([{ prefix: "gzbig/", table: "gzip_big_accounts", mode: "append" }]);
    const csv = join(harness.workDir, "big.csv");
    const gz = join(harness.workDir, "big.csv.gz");
    await writeAccountsCsv(csv, 200_000);
    await pipeline(createReadStream(csv), createGzip(), createWriteStream(gz));
    const truncated = readFileSync(gz).subarray(0, Math.floor(statSync(gz).size / 2));

    const broken = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "gzbig/half.csv.gz", truncated));
    const whole = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "gzbig/whole.csv.gz", { file: gz }));

    expect(broken.results[0]).toMatchObject({ status: "failed", retryable: false, error: expect.stringContaining("gzip data is corrupt or truncated") });
    expect(whole.results[0]).toMatchObject({ status: "loaded", rows: 200_000 });
    expect(await rows("SELECT count(*)::int AS n FROM gzip_big_accounts")).toEqual([{ n: 200_000 }]);
  });

  it.each([
    { name: "zip", bytes: [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x21] },
    { name: "bzip2", bytes: [...Buffer.from("BZh91AY&SY"), 0x12, 0x34] },
    { name: "zstd", bytes: [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x05, 0x29, 0x00, 0x00, 0x69, 0x64] },
  ])("refuses a $name-compressed object by its magic bytes, naming it", async ({ name, bytes }) => {
    await createAccounts(`${name}_accounts`);
    const handler = handlerFor([{ prefix: `${name}/`, table: `${name}_accounts`, mode: "append" }]);

    const result = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, `${name}/data.csv`, Buffer.from(bytes)));

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false, error: expect.stringContaining(`is ${name}-compressed`) });
  });

  it("refuses an object declared gzip whose bytes are not", async () => {
    await createAccounts("fake_gzip_accounts");
    const handler = handlerFor([{ prefix: "fakegz/", table: "fake_gzip_accounts", mode: "append" }]);

    const result = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "fakegz/x.csv.gz", "id,name\n1,a\n"));

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false, error: expect.stringContaining("declared gzip") });
  });
});

describe("empty objects and header names", () => {
  it.each([
    { name: "empty", body: "" },
    { name: "BOM-only", body: "\uFEFF" },
    { name: "newline-only", body: "\n\r\n\n" },
    { name: "gzip of nothing", body: gzipSync(""), key: "empty/nothing.csv.gz" },
  ])("fails an $name object with the empty message", async ({ name, body, key }) => {
    const table = `empty_${name.toLowerCase().replace(/\W/g, "_")}`;
    await createAccounts(table, [1]);
    const handler = handlerFor([{ prefix: `${table}/`, table, mode: "replace" }]);

    const result = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, key ? `${table}/${key}` : `${table}/e.csv`, body));

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false, error: expect.stringContaining("the object is empty") });
    expect(await rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 1 }]);
  });

  it("stays strict on header names but suggests the column a name differs from only in case or spaces", async () => {
    await createAccounts("near_accounts");
    const handler = handlerFor([{ prefix: "near/", table: "near_accounts", mode: "append" }]);

    const result = await handler(await putObjectAndEvent(harness.s3.client, BUCKET, "near/n.csv", 'ID," Name ",mail\n1,a,b\n'));

    expect(result.results[0]).toMatchObject({ status: "failed", retryable: false });
    expect(result.results[0].error).toContain('unknown columns "ID" (did you mean "id"?), " Name " (did you mean "name"?), "mail"');
    expect(await rows("SELECT count(*)::int AS n FROM near_accounts")).toEqual([{ n: 0 }]);
  });
});
