// Placing synthesized stacks (src/stack-placement.ts) on a real file system: a stack ends up exactly
// as it would in an empty output, a previous synth's identical asset is kept (same inode) and any
// other is replaced, and symbolic links are removed without being followed.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileAsset, placeStacks } from "../../src/stack-placement.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-placement-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ZIP_A = "assets/fn_a/AAAA/function.zip";
const ZIP_B = "assets/fn_b/BBBB/function.zip";
const LONG_AGO = new Date("2001-02-03T04:05:06Z");

function write(path: string, content: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A stack folder as synthesis leaves it in the scratch: its Terraform and nothing else. */
function synthesized(json: string): string {
  const dir = mkdtempSync(join(root, "synth-"));
  write(join(dir, "cdk.tf.json"), json);
  return dir;
}

function sources(): FileAsset[] {
  return [
    { path: ZIP_A, sourcePath: write(join(root, "cache", "a.zip"), "zip a") },
    { path: ZIP_B, sourcePath: write(join(root, "cache", "b.zip"), "zip b, longer") },
  ];
}

/** Every path under `dir` with its kind and, for files, content. */
function tree(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const path of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, path);
    const stats = lstatSync(full);
    entries[relative(dir, full)] = stats.isSymbolicLink() ? "link" : stats.isDirectory() ? "dir" : readFileSync(full, "utf8");
  }
  return entries;
}

const expected = (json: string) => ({
  "cdk.tf.json": json,
  assets: "dir",
  "assets/fn_a": "dir",
  "assets/fn_a/AAAA": "dir",
  [ZIP_A]: "zip a",
  "assets/fn_b": "dir",
  "assets/fn_b/BBBB": "dir",
  [ZIP_B]: "zip b, longer",
});

describe("placeStacks", () => {
  it("moves a new stack into place with its assets", () => {
    const target = join(root, "out", "stacks", "dev");
    mkdirSync(join(target, ".."), { recursive: true });
    placeStacks([{ synthesized: synthesized("{1}"), target, assets: sources() }]);
    expect(tree(target)).toEqual(expected("{1}"));
  });

  it("keeps a previous synth's identical assets and removes everything the new synth did not write", () => {
    const target = join(root, "out", "stacks", "dev");
    mkdirSync(join(target, ".."), { recursive: true });
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target, assets }]);
    // Kept means untouched: the same file, not rewritten in place.
    for (const path of [ZIP_A, ZIP_B]) utimesSync(join(target, path), LONG_AGO, LONG_AGO);
    const identities = () => [ZIP_A, ZIP_B].map((path) => `${statSync(join(target, path)).ino} ${statSync(join(target, path)).mtimeMs}`);
    const before = identities();
    const outside = write(join(root, "outside", "keep.txt"), "not the output's");
    write(join(target, "stale", "deeper", "old.zip"), "old");
    write(join(target, "assets", "fn_a", "OLDHASH", "function.zip"), "older zip a");
    write(join(target, "assets", "gone", "CCCC", "function.zip"), "a function removed since");
    write(join(target, "assets", "fn_b", "BBBB", "extra.txt"), "extra");
    symlinkSync(join(root, "outside"), join(target, "assets", "linked"));
    placeStacks([{ synthesized: synthesized("{2}"), target, assets }]);
    expect(tree(target)).toEqual(expected("{2}"));
    expect(identities()).toEqual(before);
    expect(statSync(join(target, ZIP_A)).mtime).toEqual(LONG_AGO);
    expect(readFileSync(outside, "utf8")).toBe("not the output's");
  });

  it("replaces an asset whose bytes differ, whatever its size, and one that is not a plain file", () => {
    const target = join(root, "out", "stacks", "dev");
    mkdirSync(join(target, ".."), { recursive: true });
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target, assets }]);
    writeFileSync(join(target, ZIP_A), "zip A");
    writeFileSync(join(target, ZIP_B), "tampered");
    placeStacks([{ synthesized: synthesized("{1}"), target, assets }]);
    expect(tree(target)).toEqual(expected("{1}"));

    rmSync(join(target, ZIP_A));
    mkdirSync(join(target, ZIP_A));
    rmSync(join(target, ZIP_B));
    const outsideZip = write(join(root, "outside", "b.zip"), "zip b, longer");
    symlinkSync(outsideZip, join(target, ZIP_B));
    placeStacks([{ synthesized: synthesized("{1}"), target, assets }]);
    expect(tree(target)).toEqual(expected("{1}"));
    expect(readFileSync(outsideZip, "utf8")).toBe("zip b, longer");
  });

  it("replaces a symbolic link or a file in a stack's place without following it", () => {
    const outside = write(join(root, "outside", "keep.txt"), "not the output's");
    const linked = join(root, "out", "stacks", "linked");
    const file = join(root, "out", "stacks", "file");
    mkdirSync(join(root, "out", "stacks"), { recursive: true });
    symlinkSync(join(root, "outside"), linked);
    writeFileSync(file, "not a folder");
    placeStacks([
      { synthesized: synthesized("{1}"), target: linked, assets: sources() },
      { synthesized: synthesized("{2}"), target: file, assets: [] },
    ]);
    expect(tree(linked)).toEqual(expected("{1}"));
    expect(tree(file)).toEqual({ "cdk.tf.json": "{2}" });
    expect(readdirSync(join(root, "outside"))).toEqual(["keep.txt"]);
    expect(readFileSync(outside, "utf8")).toBe("not the output's");
  });

  it("replaces the stack whole when synthesis wrote into an asset's top folder itself", () => {
    const target = join(root, "out", "stacks", "dev");
    mkdirSync(join(target, ".."), { recursive: true });
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target, assets }]);
    const next = synthesized("{2}");
    write(join(next, "assets", "folder_asset", "DDDD", "data.txt"), "a folder asset cdktf copied");
    placeStacks([{ synthesized: next, target, assets }]);
    expect(tree(target)).toEqual({ ...expected("{2}"), "assets/folder_asset": "dir", "assets/folder_asset/DDDD": "dir", "assets/folder_asset/DDDD/data.txt": "a folder asset cdktf copied" });
    expect(existsSync(next)).toBe(false);
  });
});
