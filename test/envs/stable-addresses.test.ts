// The Terraform addresses of each reference environment, checked in: a change that would destroy
// and recreate a resource (a renamed construct, a moved resource) shows up in review as a diff of
// test/fixtures/addresses/<env>.txt. Pair an intended rename with a `moved` block
// (modules/core/moved-blocks.ts), then rewrite the lists with UPDATE_ADDRESSES=1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentNames } from "../../src/config/load.js";
import { REFERENCE_VARIABLES, referenceStack, SynthJson } from "../helpers/synth.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "addresses");
const update = process.env.UPDATE_ADDRESSES === "1";

function addressesOf(json: SynthJson): string[] {
  const managed = Object.entries(json.resource ?? {}).flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`));
  const data = Object.entries(json.data ?? {}).flatMap(([type, sources]) => Object.keys(sources).map((name) => `data.${type}.${name}`));
  return [...managed, ...data].sort();
}

describe("stable Terraform addresses", () => {
  for (const name of environmentNames(REFERENCE_VARIABLES)) {
    it(`${name} keeps the addresses in test/fixtures/addresses/${name}.txt`, () => {
      const { json } = referenceStack(name);
      const current = addressesOf(json);
      const file = join(FIXTURES, `${name}.txt`);
      if (update || !existsSync(file)) {
        mkdirSync(FIXTURES, { recursive: true });
        writeFileSync(file, `${current.join("\n")}\n`);
        if (!update) throw new Error(`wrote ${file}; review and commit it`);
        return;
      }
      const expected = readFileSync(file, "utf8").split("\n").filter(Boolean);
      const moved = new Set(((json.moved as { from: string }[] | undefined) ?? []).map((block) => block.from));
      const gone = expected.filter((address) => !current.includes(address) && !moved.has(address));
      const added = current.filter((address) => !expected.includes(address));
      expect(
        { destroyedOrRenamed: gone, added },
        `addresses changed for ${name}: a resource no longer at its address is destroyed and recreated unless a moved block says where it went. If intended, rerun with UPDATE_ADDRESSES=1 and commit test/fixtures/addresses/${name}.txt.`,
      ).toEqual({ destroyedOrRenamed: [], added: [] });
    });
  }
});
