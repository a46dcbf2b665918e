// Moves synthesized stacks from the scratch folder into the output, each with its file assets
// (the Lambda zips), which synthesis left to us (src/cdktf-overrides.ts). Every environment
// deploys the same few zips, and creating files and folders is most of a synth's system time on
// ext4 without a journal (each new inode is found by scanning past every recently deleted one), so
// a re-synth keeps each asset that a previous synth left where it belongs with the same bytes,
// rather than deleting it and copying it again. Everything else in the stack's folder is replaced
// or removed: a stack ends up exactly as a synth into an empty output leaves it. Symbolic links
// are removed, never followed.
import { closeSync, copyFileSync, Dirent, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmdirSync, unlinkSync } from "node:fs";
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

export function placeStacks(stacks: readonly SynthesizedStack[]): void {
  // Asset files are read at most once for all the stacks that keep a copy.
  const sourceBytes = memoize((path: string) => readFileSync(path));
  for (const stack of stacks) placeStack(stack, sourceBytes);
}

function placeStack({ synthesized, target, assets }: SynthesizedStack, sourceBytes: (path: string) => Buffer): void {
  const written = readdirSync(synthesized);
  const wanted = new Map(assets.map((asset) => [asset.path, asset.sourcePath]));
  const kept = new Set<string>();
  // Synthesis never writes into an asset's top folder here; if it did, its folder replaces the
  // target whole and every asset is copied anew.
  const reusable = lstatSync(target, { throwIfNoEntry: false })?.isDirectory() && !assets.some((asset) => written.includes(asset.path.split("/")[0]));
  if (reusable) {
    for (const entry of readdirSync(target, { withFileTypes: true })) {
      if (written.includes(entry.name)) removeTree(join(target, entry.name));
      else keepWanted(target, entry.name, entry);
    }
    for (const name of written) renameSync(join(synthesized, name), join(target, name));
  } else {
    removeTree(target);
    renameSync(synthesized, target);
  }
  for (const [path, sourcePath] of wanted) {
    if (kept.has(path)) continue;
    const destination = join(target, ...path.split("/"));
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(sourcePath, destination);
  }

  /** Keeps `relative` if it is a wanted asset with the right bytes, or a folder on the way to one. */
  function keepWanted(root: string, relative: string, entry: Dirent): void {
    const path = join(root, ...relative.split("/"));
    const sourcePath = wanted.get(relative);
    if (entry.isFile() && sourcePath !== undefined && sameBytes(path, sourceBytes(sourcePath))) {
      kept.add(relative);
    } else if (entry.isDirectory() && [...wanted.keys()].some((wantedPath) => wantedPath.startsWith(`${relative}/`))) {
      for (const child of readdirSync(path, { withFileTypes: true })) keepWanted(root, posix.join(relative, child.name), child);
    } else {
      removeTree(path);
    }
  }
}

// Compared a chunk at a time into one buffer: reading whole zips for every stack would leave
// megabytes of buffers outside the heap per environment for the collector to notice late.
const chunk = Buffer.alloc(64 * 1024);

function sameBytes(path: string, bytes: Buffer): boolean {
  if (lstatSync(path).size !== bytes.length) return false;
  const fd = openSync(path, "r");
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, bytes.length - offset), offset);
      if (read === 0 || !chunk.subarray(0, read).equals(bytes.subarray(offset, offset + read))) return false;
      offset += read;
    }
    return true;
  } finally {
    closeSync(fd);
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
