// The test suite's on-disk cache (.cache/ at the project root, outside node_modules so `npm ci`
// keeps it; gitignored). Synthesized reference stacks and Terraform plans are slow to make and
// needed by many test files at once, so each is made once per input hash, by whichever process
// asks first, while the others wait on its lock: a cold run plans every environment exactly once.
import { createHash } from "node:crypto";
import { Dirent, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");
export const TEST_CACHE = process.env.LZ_TEST_CACHE ?? join(PROJECT_ROOT, ".cache");

/** sha256 over every file under the given paths (directories recursively), names included. */
export function hashFiles(paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) {
    if (!existsSync(path)) {
      hash.update(`missing:${path}\0`);
      continue;
    }
    const files = statSync(path).isFile()
      ? [path]
      : (readdirSync(path, { withFileTypes: true, recursive: true }) as Dirent[]).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    for (const file of files.sort()) hash.update(relative(path, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 20);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The entry `name` of the cache: `make(dir)` fills a fresh directory the first time; afterwards
 * (in this process or any other) the finished directory is returned. Concurrent callers wait for
 * the first one; a lock left by a dead process is taken over.
 */
export function cachedDir(name: string, make: (dir: string) => void): string {
  const dir = join(TEST_CACHE, name);
  if (existsSync(dir)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (existsSync(dir)) return dir;
      if (!ownerAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(sleeper, 0, 0, 250);
    }
  }
  try {
    writeFileSync(join(lock, "pid"), String(process.pid));
    if (existsSync(dir)) return dir;
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    try {
      make(partial);
      renameSync(partial, dir);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A JSON value computed once per key, through cachedDir. */
export function cachedJson<T>(name: string, compute: () => T): T {
  const dir = cachedDir(name, (partial) => writeFileSync(join(partial, "value.json"), JSON.stringify(compute())));
  return JSON.parse(readFileSync(join(dir, "value.json"), "utf8")) as T;
}

function ownerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // Just created (its owner is writing the pid), or its owner died before it could.
    try {
      return Date.now() - statSync(lock).mtimeMs < 30_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
