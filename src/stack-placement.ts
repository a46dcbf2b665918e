// Moves synthesized stacks from the scratch folder into the output, each with its file assets
// (the Lambda zips), which synthesis left to us (src/cdktf-overrides.ts). Every environment
// deploys the same few zips, and creating files and folders was about half of a synth's system
// time on ext4 without a journal (each new inode is found by scanning past every recently deleted
// one: ext4's recently_deleted, seen in perf). So a re-synth keeps each asset that a previous
// synth left where it belongs with the same bytes and mode, rather than deleting it and copying
// it again. Everything else in the stack's folder is replaced or removed: a stack ends up exactly
// as a synth into an empty output leaves it.
// Placing runs in two passes: the first reads the old assets and copies what is missing into the
// scratch, the second only removes and renames, so a failed read or copy of an asset leaves the
// output as it was (removing and renaming can still fail part way, as they could before). Symbolic
// links are removed, never followed.
import { closeSync, copyFileSync, Dirent, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, Stats, statSync, unlinkSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { memoize } from "../modules/core/memoize.js";

export interface FileAsset {
  /** Where the stack's Terraform expects the file, relative to the stack's folder (posix). */
  readonly path: string;
  /** The file to place there. */
  readonly sourcePath: string;
}

export interface SynthesizedStack {
  /** The stack's folder in the scratch, as synthesis wrote it (without its file assets). */
  readonly synthesized: string;
  /** The stack's folder in the output. */
  readonly target: string;
  readonly assets: readonly FileAsset[];
}

/** What the second pass does for a stack: the target's entries to remove, then the scratch moved in. */
interface Placement {
  readonly synthesized: string;
  readonly target: string;
  /** Whether the target is kept and merged into, rather than replaced whole. */
  readonly merge: boolean;
  readonly stale: readonly string[];
}

export function placeStacks(stacks: readonly SynthesizedStack[]): void {
  // An asset's source is read at most once, for all the stacks that may keep a copy of it.
  const source = memoize((path: string) => ({ stats: statSync(path), bytes: readFileSync(path) }));
  const placements = stacks.map((stack) => prepare(stack, source));
  for (const placement of placements) place(placement);
}

/** The first pass: finds what the target can keep, and copies every other asset into the scratch. */
function prepare({ synthesized, target, assets }: SynthesizedStack, source: (path: string) => { stats: Stats; bytes: Buffer }): Placement {
  const written = readdirSync(synthesized);
  const wanted = new Map(assets.map((asset) => [asset.path, asset.sourcePath]));
  // Every folder on the way to a wanted asset ("assets", "assets/x", "assets/x/HASH").
  const wantedFolders = new Set(assets.flatMap((asset) => asset.path.split("/").slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join("/"))));
  // A folder the second pass keeps must have the mode a new one gets, as synthesis gave its own.
  const folderMode = lstatSync(synthesized).mode;
  const kept = new Set<string>();
  const stale: string[] = [];
  // Synthesis never writes into an asset's top folder here; if it did, its folder replaces the
  // target whole.
  const merge = lstatSync(target, { throwIfNoEntry: false })?.mode === folderMode && !written.some((name) => wantedFolders.has(name));
  if (merge) {
    for (const entry of readdirSync(target, { withFileTypes: true })) {
      if (written.includes(entry.name)) stale.push(join(target, entry.name));
      else survey(entry.name, entry);
    }
  }
  for (const [path, sourcePath] of wanted) {
    if (kept.has(path)) continue;
    const destination = join(synthesized, ...path.split("/"));
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(sourcePath, destination);
  }
  return { synthesized, target, merge, stale };

  /** Keeps `relative` if it is a wanted asset as it would be copied, or a folder on the way to one. */
  function survey(relative: string, entry: Dirent): void {
    const path = join(target, ...relative.split("/"));
    const sourcePath = wanted.get(relative);
    if (entry.isFile() && sourcePath !== undefined && sameFile(path, source(sourcePath))) {
      kept.add(relative);
    } else if (entry.isDirectory() && wantedFolders.has(relative) && lstatSync(path).mode === folderMode) {
      for (const child of readdirSync(path, { withFileTypes: true })) survey(posix.join(relative, child.name), child);
    } else {
      stale.push(path);
    }
  }
}

/** The second pass: removes and renames only. */
function place({ synthesized, target, merge, stale }: Placement): void {
  if (!merge) {
    removeTree(target);
    renameSync(synthesized, target);
    return;
  }
  for (const path of stale) removeTree(path);
  moveInto(synthesized, target);
}

/** Moves each entry of `from` to the same place under `to`, into the folders `to` already has. */
function moveInto(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const destination = join(to, entry.name);
    if (entry.isDirectory() && lstatSync(destination, { throwIfNoEntry: false })?.isDirectory()) {
      moveInto(join(from, entry.name), destination);
    } else {
      removeTree(destination);
      renameSync(join(from, entry.name), destination);
    }
  }
}

// Compared a chunk at a time into one buffer: reading whole zips for every stack would leave
// megabytes of buffers outside the heap per environment for the collector to notice late.
const chunk = Buffer.alloc(64 * 1024);

/** Whether the file at `path` is what copying the source would make: the same mode and bytes. */
function sameFile(path: string, source: { stats: Stats; bytes: Buffer }): boolean {
  let fd: number | undefined;
  try {
    const stats = lstatSync(path);
    if (stats.mode !== source.stats.mode || stats.size !== source.bytes.length) return false;
    fd = openSync(path, "r");
    for (let offset = 0; offset < source.bytes.length; ) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, source.bytes.length - offset), offset);
      if (read === 0 || !chunk.subarray(0, read).equals(source.bytes.subarray(offset, offset + read))) return false;
      offset += read;
    }
    return true;
  } catch {
    // One the output cannot read is replaced, as any other.
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `rm -rf` for the output's own trees. fs.rmSync costs Node 20 about twice as much per tree (an
 * lstat of every entry, and a failed rmdir thrown and caught for every directory), and a
 * re-synth removes every stack it replaces. A symbolic link is removed, never followed.
 */
export function removeTree(path: string): void {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) removeDirectory(path);
  else if (stats) unlinkSync(path);
}

function removeDirectory(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeDirectory(join(dir, entry.name));
    else unlinkSync(join(dir, entry.name));
  }
  rmdirSync(dir);
}
