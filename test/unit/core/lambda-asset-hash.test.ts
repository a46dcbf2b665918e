// bundledLambdaFunction hands TerraformAsset the zip's hash (zipAssetHash, computed once per zip)
// instead of letting every environment re-read and re-hash the same zip: it must be the hash
// cdktf computes itself, or asset paths and source_code_hash would change.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { afterAll, expect, it } from "vitest";
import { zipAssetHash } from "../../../modules/core/lambda-bundle.js";

const dir = mkdtempSync(join(tmpdir(), "lz-asset-hash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("is the hash cdktf gives the same file", () => {
  const zip = join(dir, "function.zip");
  writeFileSync(zip, Buffer.from(Array.from({ length: 5000 }, (_, index) => (index * 7) % 256)));
  const stack = new TerraformStack(new App({ outdir: join(dir, "out") }), "hash");
  const computedByCdktf = new TerraformAsset(stack, "asset", { path: zip, type: AssetType.FILE }).assetHash;
  expect(zipAssetHash(zip)).toBe(computedByCdktf);
  expect(computedByCdktf).toMatch(/^[0-9A-F]{32}$/);
});
