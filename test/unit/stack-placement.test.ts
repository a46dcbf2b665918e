// Placing synthesized stacks (src/stack-placement.ts) on a real file system: a stack ends up exactly
// as it would in an empty output (names, contents and modes), a previous synth's identical asset is
// kept untouched and any other (or one it cannot read) is replaced, a failed copy leaves the
// output as it was, and symbolic links are removed without being followed.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileAsset, placeStacks } from "../../src/stack-placement.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-placement-"));
  mkdirSync(join(root, "out", "stacks"), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ZIP_A = "assets/fn_a/AAAA/function.zip";
const ZIP_B = "assets/fn_b/BBBB/function.zip";
const LONG_AGO = new Date("2001-02-03T04:05:06Z");
const NOBODY = 65534;
const REPOSITORY = join(import.meta.dirname, "..", "..");

function write(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

let synthesizedCount = 0;
/** A stack folder as synthesis leaves it in the scratch: its Terraform and nothing else. */
function synthesized(json: string): string {
  const dir = join(root, "scratch", `stack-${synthesizedCount++}`);
  return dirname(write(join(dir, "cdk.tf.json"), json));
}

function sources(): FileAsset[] {
  return [
    { path: ZIP_A, sourcePath: write(join(root, "cache", "a.zip"), "zip a") },
    { path: ZIP_B, sourcePath: write(join(root, "cache", "b.zip"), "zip b, longer") },
  ];
}

/** `dir` and every path under it with its kind, mode and, for files, content. */
function tree(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const path of [".", ...(readdirSync(dir, { recursive: true }) as string[])]) {
    const full = join(dir, path);
    const stats = lstatSync(full);
    const kind = stats.isSymbolicLink() ? "link" : stats.isDirectory() ? "dir" : `file ${readFileSync(full, "utf8")}`;
    entries[relative(dir, full) || "."] = `${kind} ${(stats.mode & 0o7777).toString(8)}`;
  }
  return entries;
}

/** The stack as a synth into an empty output leaves it. */
function fresh(json: string, assets: FileAsset[]): Record<string, string> {
  const target = join(root, "fresh", `stack-${synthesizedCount}`);
  mkdirSync(dirname(target), { recursive: true });
  placeStacks([{ synthesized: synthesized(json), target, assets }]);
  return tree(target);
}

const target = () => join(root, "out", "stacks", "dev");

describe("placeStacks", () => {
  it("moves a new stack into place with its assets", () => {
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets: sources() }]);
    expect(Object.fromEntries(Object.entries(tree(target())).map(([path, entry]) => [path, entry.replace(/ \d+$/, "")]))).toEqual({
      ".": "dir",
      "cdk.tf.json": "file {1}",
      assets: "dir",
      "assets/fn_a": "dir",
      "assets/fn_a/AAAA": "dir",
      [ZIP_A]: "file zip a",
      "assets/fn_b": "dir",
      "assets/fn_b/BBBB": "dir",
      [ZIP_B]: "file zip b, longer",
    });
  });

  it("keeps a previous synth's identical assets untouched and removes everything the new synth did not write", () => {
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    // Kept means the same file, not one rewritten in place.
    for (const path of [ZIP_A, ZIP_B]) utimesSync(join(target(), path), LONG_AGO, LONG_AGO);
    const identities = () => [ZIP_A, ZIP_B].map((path) => `${statSync(join(target(), path)).ino} ${statSync(join(target(), path)).mtimeMs}`);
    const before = identities();
    const outside = write(join(root, "outside", "keep.txt"), "not the output's");
    write(join(target(), "stale", "deeper", "old.zip"), "old");
    write(join(target(), "assets", "fn_a", "OLDHASH", "function.zip"), "older zip a");
    write(join(target(), "assets", "gone", "CCCC", "function.zip"), "a function removed since");
    write(join(target(), "assets", "fn_b", "BBBB", "extra.txt"), "extra");
    symlinkSync(join(root, "outside"), join(target(), "assets", "linked"));
    placeStacks([{ synthesized: synthesized("{2}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{2}", assets));
    expect(identities()).toEqual(before);
    expect(statSync(join(target(), ZIP_A)).mtime).toEqual(LONG_AGO);
    expect(readFileSync(outside, "utf8")).toBe("not the output's");
  });

  it("replaces an asset whose bytes or mode differ, or that is not a plain file, and a folder whose mode differs", () => {
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    writeFileSync(join(target(), ZIP_A), "zip A");
    writeFileSync(join(target(), ZIP_B), "tampered");
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{1}", assets));

    chmodSync(assets[0].sourcePath, 0o600);
    chmodSync(join(target(), "assets", "fn_b"), 0o700);
    chmodSync(target(), 0o700);
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{1}", assets));
    expect(statSync(join(target(), ZIP_A)).mode & 0o777).toBe(0o600);

    rmSync(join(target(), ZIP_A));
    mkdirSync(join(target(), ZIP_A));
    rmSync(join(target(), ZIP_B));
    const outsideZip = write(join(root, "outside", "b.zip"), "zip b, longer");
    symlinkSync(outsideZip, join(target(), ZIP_B));
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{1}", assets));
    expect(readFileSync(outsideZip, "utf8")).toBe("zip b, longer");
  });

  it("replaces a symbolic link on the way to an asset without following it", () => {
    const assets = sources();
    // Outside folders laid out as the links' targets would need, holding the right zips.
    const outside = join(root, "outside");
    write(join(outside, "assets-like", "fn_a", "AAAA", "function.zip"), "zip a");
    write(join(outside, "assets-like", "other.txt"), "not the output's");
    write(join(outside, "fn-like", "BBBB", "function.zip"), "zip b, longer");
    const before = tree(outside);
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    rmSync(join(target(), "assets", "fn_b"), { recursive: true });
    symlinkSync(join(outside, "fn-like"), join(target(), "assets", "fn_b"));
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{1}", assets));
    rmSync(join(target(), "assets"), { recursive: true });
    symlinkSync(join(outside, "assets-like"), join(target(), "assets"));
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    expect(tree(target())).toEqual(fresh("{1}", assets));
    expect(tree(outside)).toEqual(before);
  });

  it("replaces a symbolic link or a file in a stack's place without following it", () => {
    const outside = write(join(root, "outside", "keep.txt"), "not the output's");
    const linked = join(root, "out", "stacks", "linked");
    const file = join(root, "out", "stacks", "file");
    symlinkSync(join(root, "outside"), linked);
    writeFileSync(file, "not a folder");
    const assets = sources();
    placeStacks([
      { synthesized: synthesized("{1}"), target: linked, assets },
      { synthesized: synthesized("{2}"), target: file, assets: [] },
    ]);
    expect(tree(linked)).toEqual(fresh("{1}", assets));
    expect(tree(file)).toEqual(fresh("{2}", []));
    expect(readdirSync(join(root, "outside"))).toEqual(["keep.txt"]);
    expect(readFileSync(outside, "utf8")).toBe("not the output's");
  });

  it("replaces the stack whole when synthesis wrote into an asset's top folder itself", () => {
    const assets = sources();
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    write(join(target(), "assets", "stale.txt"), "stale");
    const withFolderAsset = () => {
      const next = synthesized("{2}");
      write(join(next, "assets", "folder_asset", "DDDD", "data.txt"), "a folder asset cdktf copied");
      return next;
    };
    const next = withFolderAsset();
    placeStacks([{ synthesized: next, target: target(), assets }]);
    const freshTarget = join(root, "fresh", "folder-asset");
    mkdirSync(dirname(freshTarget), { recursive: true });
    placeStacks([{ synthesized: withFolderAsset(), target: freshTarget, assets }]);
    expect(tree(target())).toEqual(tree(freshTarget));
    expect(tree(target())["assets/folder_asset/DDDD/data.txt"]).toMatch(/^file a folder asset cdktf copied/);
    expect(existsSync(next)).toBe(false);
  });

  // Run where the suite runs as root (this project's machines): an old zip only a different user
  // can read, with the mode and size of the new one, is placed by an unprivileged user.
  it.skipIf(process.getuid?.() !== 0)("replaces an old asset the placing user cannot read rather than failing", () => {
    const assets = sources();
    chmodSync(assets[0].sourcePath, 0o600);
    placeStacks([{ synthesized: synthesized("{1}"), target: target(), assets }]);
    const next = synthesized("{2}");
    for (const path of [root, ...(readdirSync(root, { recursive: true }) as string[]).map((path) => join(root, path))]) chownSync(path, NOBODY, NOBODY);
    chownSync(join(target(), ZIP_A), 0, 0);
    const placement = JSON.stringify([{ synthesized: next, target: target(), assets }]);
    const script = `const { placeStacks } = await import(${JSON.stringify(join(REPOSITORY, "src", "stack-placement.ts"))}); placeStacks(${placement});`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { uid: NOBODY, gid: NOBODY, encoding: "utf8", cwd: REPOSITORY });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(statSync(join(target(), ZIP_A)).uid).toBe(NOBODY);
    expect(tree(target())).toEqual(fresh("{2}", assets));
  });

  it("changes no stack when an asset cannot be copied for any of them", () => {
    const assets = sources();
    const other = join(root, "out", "stacks", "other");
    placeStacks([
      { synthesized: synthesized("{1}"), target: target(), assets },
      { synthesized: synthesized("{1}"), target: other, assets },
    ]);
    const before = [tree(target()), tree(other)];
    const missing = { path: "assets/fn_c/CCCC/function.zip", sourcePath: join(root, "cache", "missing.zip") };
    expect(() =>
      placeStacks([
        { synthesized: synthesized("{2}"), target: target(), assets },
        { synthesized: synthesized("{2}"), target: other, assets: [...assets, missing] },
      ]),
    ).toThrow(/ENOENT/);
    expect([tree(target()), tree(other)]).toEqual(before);
  });
});
