// Bad `csv_pipeline` sections fail at config time with the load's JSON path, using the same
// rules the handler applies to CSV_LOADS at run time.
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../../src/config/errors.js";
import { loadIssues, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

function issues(csvPipeline: unknown, extra: Record<string, unknown> = {}): ConfigIssue[] {
  tree = variablesTree({ dev: { "common.tfvars.json": { ...validThreeVpc(), ...extra }, "csv.tfvars.json": { csv_pipeline: csvPipeline } } });
  return loadIssues(tree.dir);
}

const load = (overrides: Record<string, unknown> = {}) => ({ prefix: "in/", table: "public.t", mode: "append", ...overrides });

describe("csv_pipeline config", () => {
  it("accepts a valid pipeline", () => {
    expect(issues({ enabled: true, loads: [load(), load({ prefix: "up/", mode: "upsert", key: ["id"] })] })).toEqual([]);
  });

  it.each([
    ["an upsert without key columns", [load({ mode: "upsert" })], "$.csv_pipeline.loads[0].key", /key columns of the upsert/],
    ["key columns on an append", [load({ key: ["id"] })], "$.csv_pipeline.loads[0].key", /only an upsert has key columns/],
    ["a NULL text holding the delimiter", [load({ null: "a,b" })], "$.csv_pipeline.loads[0].null", /neither a line break nor the delimiter/],
    ["an encoding the handler cannot decode", [load({ encoding: "EBCDIC" })], "$.csv_pipeline.loads[0].encoding", /one of UTF8, LATIN1/],
    ["a table name with three parts", [load({ table: "db.public.t" })], "$.csv_pipeline.loads[0].table", /more than one "."/],
    ["overlapping prefixes", [load(), load({ prefix: "in/sub/" })], "$.csv_pipeline.loads[1].prefix", /overlaps the prefix of load 0/],
    ["a prefix without a trailing slash", [load({ prefix: "in" })], "$.csv_pipeline.loads[0].prefix", /ending in '\/'/],
    ["an unknown mode", [load({ mode: "merge" })], "$.csv_pipeline.loads[0].mode", /"replace", "append", "upsert"/],
    ["a two-character delimiter", [load({ delimiter: ";;" })], "$.csv_pipeline.loads[0].delimiter", /single-byte character/],
  ])("rejects %s", (_name, loads, path, says) => {
    const found = issues({ enabled: true, loads });
    const issue = found.find((i) => i.path.startsWith(path) && says.test([i.message, i.found, i.expected].join(" | ")));
    expect(issue, JSON.stringify(found, null, 2)).toBeDefined();
    expect(issue!.file).toMatch(/csv\.tfvars\.json$/);
  });

  it("rejects an enabled pipeline with no loads, and one without the database", () => {
    expect(issues({ enabled: true }).map((i) => i.path)).toContain("$.csv_pipeline.loads");
    expect(issues({ enabled: true, loads: [load()] }, { database: { enabled: false } }).map((i) => i.message).join()).toMatch(/target database, which is not enabled/);
  });

  it("refuses force_destroy in a protected environment", () => {
    expect(issues({ enabled: true, force_destroy: true, loads: [load()] }, { protected: true }).map((i) => i.path)).toContain("$.csv_pipeline.force_destroy");
  });
});
