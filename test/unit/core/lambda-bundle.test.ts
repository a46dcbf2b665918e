// Cached Lambda zips are sealed (read-only, their hash recorded beside them), because stacks
// hard-link them: a zip whose bytes were changed after it was built is rebuilt, never handed out.
import { randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { isSealedZip, sealedZip, zipAssetHash } from "../../../modules/core/lambda-bundle.js";

const handlerDir = mkdtempSync(join(tmpdir(), "lz-bundle-handler-"));
const built: string[] = [];
afterAll(() => {
  for (const zip of built) rmSync(dirname(zip), { recursive: true, force: true });
  rmSync(handlerDir, { recursive: true, force: true });
});

it("hands out a read-only zip with its hash recorded, and rebuilds one changed after it was built", () => {
  const entryPoint = join(handlerDir, "index.ts");
  // A fresh cache key for every run: the handler's bytes are part of it.
  writeFileSync(entryPoint, `export const handler = async () => "${randomUUID()}";\n`);
  const zip = sealedZip("sealing-test", entryPoint);
  built.push(zip);
  const first = statSync(zip);
  expect(first.mode & 0o777).toBe(0o444);
  expect(readFileSync(`${zip}.md5`, "utf8")).toBe(zipAssetHash(zip));
  expect(isSealedZip(zip)).toBe(true);

  expect(sealedZip("sealing-test", entryPoint)).toBe(zip);
  expect(statSync(zip).ino).toBe(first.ino);

  const original = readFileSync(zip);
  chmodSync(zip, 0o644);
  writeFileSync(zip, Buffer.concat([original, Buffer.from("changed through a link")]));
  expect(sealedZip("sealing-test", entryPoint)).toBe(zip);
  expect(statSync(zip).ino).not.toBe(first.ino);
  expect(readFileSync(zip).equals(original)).toBe(true);
  expect(statSync(zip).mode & 0o777).toBe(0o444);
});
