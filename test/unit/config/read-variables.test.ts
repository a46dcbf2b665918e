// Reading variables files as hostile input: what is read at all (regular files only), encoding
// (UTF-8 only, no NUL), strict JSON with the line and column of each problem, duplicate keys
// anywhere in the tree, and every problem of every file and environment in one report with
// nothing written. Fixtures are made here, in temp dirs: symlinks, directories and bad bytes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli.js";
import { formatIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { parseVariablesText, readVariablesFile } from "../../../src/config/read-variables.js";
import { loadIssues, validSingleVpc, validThreeVpc } from "../../helpers/config-fixtures.js";

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-read-"));
  dirs.push(dir);
  return dir;
}

/** One problem's full text, as the CLI prints it after the file name. */
function problemsOf(bytes: string | Buffer): string[] {
  const result = parseVariablesText(typeof bytes === "string" ? Buffer.from(bytes) : bytes);
  if (result.problems.length === 0) throw new Error(`expected problems, parsed ${JSON.stringify(result.value)}`);
  return result.problems.map((problem) => formatIssue({ file: "f", ...problem }).slice("f: ".length));
}

const good = JSON.stringify(validThreeVpc(), null, 2);

describe("which files are read", () => {
  it.each([
    ["a directory", (file: string) => mkdirSync(file), /is a directory.*a directory.*a regular file/],
    ["a broken symbolic link", (file: string) => symlinkSync("missing.json", file), /broken symbolic link.*"missing\.json", which does not exist/],
    ["a symbolic link loop", (file: string) => symlinkSync(file, file), /loops/],
    ["a named pipe", (file: string) => execFileSync("mkfifo", [file]), /not a regular file.*named pipe/],
  ])("refuses %s named *.tfvars.json in one line, without reading it", (_name, make, says) => {
    const dir = tempDir();
    mkdirSync(join(dir, "dev"));
    writeFileSync(join(dir, "dev", "common.tfvars.json"), good);
    make(join(dir, "dev", "extra.tfvars.json"));
    const issues = loadIssues(dir);
    expect(issues).toHaveLength(1);
    expect(issues[0].file).toMatch(/dev[\\/]extra\.tfvars\.json$/);
    expect([issues[0].path, issues[0].message, issues[0].found, issues[0].expected].join(" ")).toMatch(says);
  });

  it("reads a symbolic link to a regular file, and skips hidden names (editor lock files) as Terraform does", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "dev"));
    writeFileSync(join(dir, "shared.json"), good);
    symlinkSync(join(dir, "shared.json"), join(dir, "dev", "common.tfvars.json"));
    symlinkSync("nowhere", join(dir, "dev", ".#common.tfvars.json"));
    const [environment] = loadEnvironments(dir);
    expect(environment.config.region).toBe("us-east-1");
  });

  it("says so when a file cannot be read", () => {
    if (process.getuid?.() === 0) return expect(readVariablesFile("/proc/self/mem", "mem")).toMatchObject({ issues: [expect.objectContaining({ message: expect.stringMatching(/cannot be read \(E[A-Z]+\)/) })] });
    const dir = tempDir();
    writeFileSync(join(dir, "x.tfvars.json"), good, { mode: 0 });
    expect(readVariablesFile(join(dir, "x.tfvars.json"), "x")).toMatchObject({ issues: [expect.objectContaining({ message: "cannot be read (EACCES)" })] });
  });
});

describe("encoding", () => {
  it.each([
    ["a lone 0xff", [0xff], "0xff"],
    ["a lead byte without its continuation", [0xc3, 0x28], "the byte 0xc3;"],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], "0xed 0xa0 0x80"],
    ["an overlong encoding", [0xc0, 0xaf], "0xc0"],
    ["a sequence cut short", [0xe2, 0x82], "0xe2 0x82"],
  ])("refuses invalid UTF-8 (%s) at its line and column instead of turning it into U+FFFD", (_name, bytes, shown) => {
    const text = Buffer.concat([Buffer.from('{\n  "region": "eu-\u00e9'), Buffer.from(bytes), Buffer.from('west-1"\n}')]);
    const [problem] = problemsOf(text);
    expect(problem).toContain("invalid UTF-8 at line 2, column 18");
    expect(problem).toContain(shown);
  });

  it("refuses a UTF-16 file by name, and accepts a UTF-8 byte order mark", () => {
    expect(problemsOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]))[0]).toMatch(/UTF-16 encoded.*expected a UTF-8/);
    expect(parseVariablesText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]))).toEqual({ value: { a: 1 }, problems: [] });
  });

  it("refuses a NUL byte anywhere, at its line and column", () => {
    expect(problemsOf('{\n  "a": "x\u0000y"\n}')[0]).toContain("NUL byte at line 2, column 10");
    expect(problemsOf('{\n\n \u0000 "a": 1}')[0]).toContain("NUL byte at line 3, column 2");
  });
});

describe("strict JSON with positions", () => {
  it.each([
    ["a token JSON.parse names without a place", '{\n  "region": "us-east-1",\n  "vpc_cidr": 10.0.0.0/16\n}', /^\$\.vpc_cidr: invalid JSON at line 3, column 15: "10\.0\.0\.0" is not a JSON number; found "10\.0\.0\.0"/],
    ["a file cut short", '{\n  "dms": {\n    "tasks": {', /^\$\.dms\.tasks: invalid JSON at line 3, column 15: the file ends too early; found the end of the file/],
    ["a string never closed", '{"a": "abc', /invalid JSON at line 1, column 7: a string that is never closed/],
    ["a trailing comma", '{\n  "a": [1, 2,\n  ]\n}', /^\$\.a: invalid JSON at line 2, column 13: a comma before \]/],
    ["a comment", '{\n  // settings\n  "a": 1\n}', /invalid JSON at line 2, column 3: a comment/],
    ["single quotes", "{'a': 1}", /line 1, column 2: a single-quoted string/],
    ["an unknown escape", '{"a": "C:\\dir"}', /line 1, column 10: an invalid escape/],
    ["a raw line break in a string", '{"a": "one\ntwo"}', /line 1, column 11: a control character inside a string; found the control character U\+000A; expected the escape \\n/],
    ["a leading zero", '{"port": 05432}', /^\$\.port: invalid JSON at line 1, column 10: "05432" is not a JSON number/],
    ["more after the object", '{"a": 1} {"b": 2}', /line 1, column 10: there is more after the end/],
    ["a missing colon", '{"a" 1}', /line 1, column 6: unexpected character; found "1"; expected : after the key "a"/],
    ["a lone surrogate escape", '{"a": "\\ud800"}', /an escaped lone surrogate/],
    ["a missing value", '{"a": }', /^\$\.a: invalid JSON at line 1, column 7: unexpected character; found "\}"; expected a JSON value/],
  ])("reports %s at its line and column", (_name, text, says) => {
    expect(problemsOf(text)[0]).toMatch(says);
  });

  it("reports every duplicate key anywhere in the tree, with both places", () => {
    const text = ['{', '  "region": "us-east-1",', '  "dms": { "tasks": { "a": {}, "b": {}, "a": {} } },', '  "loads": [{ "table": "t", "table": "u" }],', '  "region": "eu-west-1"', '}'].join("\n");
    expect(problemsOf(text)).toEqual([
      '$.dms.tasks.a: duplicate key "a" at line 3, column 41 (first at line 3, column 23); found the key twice in one object; expected each key once per object (JSON keeps only the last, silently dropping the first)',
      '$.loads[0].table: duplicate key "table" at line 4, column 29 (first at line 4, column 15); found the key twice in one object; expected each key once per object (JSON keeps only the last, silently dropping the first)',
      '$.region: duplicate key "region" at line 5, column 3 (first at line 2, column 3); found the key twice in one object; expected each key once per object (JSON keeps only the last, silently dropping the first)',
    ]);
  });

  it("refuses numbers it cannot hold exactly, each at its place", () => {
    const problems = problemsOf('{\n  "a": 1e400,\n  "b": [18446744073709551616]\n}');
    expect(problems[0]).toMatch(/^\$\.a: number too large at line 2, column 8.*found 1e400/);
    expect(problems[1]).toMatch(/^\$\.b\[0\]: number too large at line 3, column 9/);
  });

  it("survives deep nesting and keeps __proto__ an ordinary key", () => {
    expect(problemsOf(`{"a": ${"[".repeat(100_000)}`)[0]).toMatch(/nested more than 128 levels deep/);
    const parsed = parseVariablesText(Buffer.from('{"__proto__": {"polluted": true}}'));
    expect(parsed).toEqual({ value: JSON.parse('{"__proto__": {"polluted": true}}'), problems: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("agrees with JSON.parse on every document JSON.stringify writes (property, seeded)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const text = JSON.stringify(object, null, 1);
        const result = parseVariablesText(Buffer.from(text));
        for (const problem of result.problems) expect(problem.message).toMatch(/^number too large/);
        if (result.problems.length === 0) expect(result.value).toEqual(JSON.parse(text));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe("every problem at once, nothing written", () => {
  it("checks the rest of a file with a duplicate key, and reports the duplicated value once", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "dev"));
    const text = good.replace('"region": "us-east-1",', '"region": "us-east-1",\n  "region": "mars",').replace('"vpc_cidr": "192.168.0.0/16"', '"vpc_cidr": "192.168.0.0/33"');
    writeFileSync(join(dir, "dev", "common.tfvars.json"), text);
    writeFileSync(join(dir, "dev", "extra.tfvars.json"), '{"protected": "yes"}');
    const issues = loadIssues(dir).map((issue) => `${issue.file.split(/[\\/]/).pop()} ${issue.path} ${issue.message}`);
    expect(issues).toHaveLength(3);
    expect(issues).toEqual(expect.arrayContaining([
      'common.tfvars.json $.region duplicate key "region" at line 3, column 3 (first at line 2, column 3)',
      expect.stringMatching(/^common\.tfvars\.json \$\.vpc_cidr /),
      expect.stringMatching(/^extra\.tfvars\.json \$\.protected wrong type/),
    ]));
  });

  it("reports broken files of several environments together, each at its place, and leaves the output as it was", async () => {
    const dir = tempDir();
    const out = join(dir, "cdktf.out");
    mkdirSync(join(out, "stacks", "earlier"), { recursive: true });
    writeFileSync(join(out, "manifest.json"), "{}");
    for (const env of ["a", "b", "c"]) mkdirSync(join(dir, "vars", env), { recursive: true });
    writeFileSync(join(dir, "vars", "a", "common.tfvars.json"), good);
    writeFileSync(join(dir, "vars", "a", "extra.tfvars.json"), '{\n  "protected": true,\n  "protected": false\n}');
    mkdirSync(join(dir, "vars", "a", "zz.tfvars.json"));
    writeFileSync(join(dir, "vars", "b", "common.tfvars.json"), Buffer.concat([Buffer.from('{"region": "eu-central-1\xff"}', "latin1")]));
    writeFileSync(join(dir, "vars", "c", "common.tfvars.json"), JSON.stringify(validSingleVpc()));
    symlinkSync("gone.json", join(dir, "vars", "c", "dangling.tfvars.json"));
    let stderr = "";
    const code = await runCli(["synth", "--vars", join(dir, "vars"), "--out", out], { stdout: () => undefined, stderr: (text) => (stderr += text) });
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toBe("4 configuration problems:");
    expect(lines.slice(1).join("\n")).toMatch(/a[\\/]extra\.tfvars\.json: \$\.protected: duplicate key "protected" at line 3, column 3/);
    expect(stderr).toMatch(/a[\\/]zz\.tfvars\.json: \$: is a directory/);
    expect(stderr).toMatch(/b[\\/]common\.tfvars\.json: \$: invalid UTF-8 at line 1, column 25; found the byte 0xff/);
    expect(stderr).toMatch(/c[\\/]dangling\.tfvars\.json: \$: is a broken symbolic link/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe("{}");
    expect(existsSync(join(out, "stacks", "a"))).toBe(false);
  });
});
