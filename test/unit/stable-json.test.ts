// src/stable-json.ts stands in for json-stable-stringify in the bundle (build.mjs): for everything
// cdktf hands it, it must write what the package writes, byte for byte.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stableStringify } from "../../src/stable-json.js";
import { referenceStack } from "../helpers/synth.js";

// The package cdktf itself loads (a dependency of cdktf's, not of this project).
const packageStringify = createRequire(createRequire(import.meta.url).resolve("cdktf"))("json-stable-stringify") as (value: unknown, options: { space: number }) => string | undefined;

function same(value: unknown): void {
  const expected = (() => {
    try {
      return packageStringify(value, { space: 2 });
    } catch (error) {
      return `throws ${(error as Error).name}: ${(error as Error).message}`;
    }
  })();
  const actual = (() => {
    try {
      return stableStringify(value, { space: 2 });
    } catch (error) {
      return `throws ${(error as Error).name}: ${(error as Error).message}`;
    }
  })();
  expect(actual).toBe(expected);
}

describe("stable JSON", () => {
  it("writes every reference stack as json-stable-stringify does", () => {
    for (const name of ["dev", "prod", "single-vpc"]) {
      const { stackDir } = referenceStack(name);
      const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
      same(stack);
      expect(stableStringify(stack, { space: 2 })).toBe(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    }
  });

  it("keeps the package's edge cases", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = { back: circular };
    const shared = { x: 1 };
    const cases: unknown[] = [
      {},
      [],
      { empty: {}, list: [], nested: [[], [{}], { deeper: [] }] },
      { b: 1, a: 2, "10": "ten", "9": "nine", Z: 0, _: 1, é: "e", "": "blank", "a b": [1, "two", null, true] },
      { skipped: undefined, fn: () => 1, sym: Symbol("s"), kept: null },
      [undefined, () => 1, Symbol("s"), Number.NaN, Infinity, -0, 1e21, 0.1],
      { when: new Date(0), custom: { toJSON: () => ({ z: 1, a: [2] }) }, text: 'quote " backslash \\ newline \n tab \t ${x} \u2028' },
      { twice: [shared, shared] },
      JSON.parse('{"__proto__": {"k": 1}, "b": 2}'),
      { viaFunction: { toJSON: () => Object.assign(() => 1, { toJSON: () => "function's own" }) }, inList: [Object.assign(() => 1, { toJSON: () => ({ z: 1 }) })] },
      { text: "{}", list: ["[]", {}, [[]]], deep: { a: { b: { c: {} } } }, onlyUndefined: { gone: undefined } },
      { marker: "\u0000dms-lz-empty\u0000{}", escaped: "\\u0000dms-lz-empty\\u0000{}", empty: {} },
      { "\u0000dms-lz-empty\u0000[]": [], empty: [] },
      { "0": "index key", nested: { "4294967294": 1, "4294967295": 2, "01": 3 } },
      circular,
      undefined,
      "top-level string",
      42,
      null,
      () => 1,
    ];
    for (const value of cases) same(value);
  });

  it("refuses options cdktf does not pass", () => {
    expect(() => stableStringify({}, { space: 4 })).toThrow(/space: 2/);
  });
});
