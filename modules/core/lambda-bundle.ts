// Bundles a Lambda handler into a zip holding one self-contained CommonJS `index.js`, at synth
// time. Synthesis is synchronous, so this uses esbuild's buildSync and a synchronous zip writer
// (cdktf's own ARCHIVE assets spawn a node process per asset and stack). Bundles are cached in
// the temp dir by the hash of their inputs (the handler's folder and package-lock.json), so a
// synth after the first reuses them; the zip has fixed timestamps, so identical code gives an
// identical zip, asset hash and plan on every machine.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import type AdmZipType from "adm-zip";
import type * as esbuild from "esbuild";
import { memoize } from "./memoize.js";

// The bundler and zip writer load only when a bundle is missing from the cache.
const load = createRequire(import.meta.url);

const FIXED_TIME = new Date("2020-01-01T00:00:00Z");
// Part of every bundle's cache key (inputsHash), so a change here rebuilds the cached zips.
const BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  write: false,
  metafile: true,
  // The SDK is bundled too, so the function does not depend on the runtime's SDK version.
  // pg loads pg-native only when asked to (native: true), which no handler here does.
  external: ["pg-native"],
  logLevel: "warning",
  legalComments: "none",
} as const satisfies esbuild.BuildOptions;
// Every stack that deploys a handler asks for its zip; the inputs are hashed once per process.
const zipsByEntryPoint = new Map<string, string>();

/**
 * Path of `function.zip` (handler "index.handler") for the handler at `entryPoint`. The handler
 * may import its own folder and npm packages only: that is what the cache key covers.
 */
export function lambdaBundleZip(name: string, entryPoint: string): string {
  const known = zipsByEntryPoint.get(entryPoint);
  if (known && existsSync(known)) return known;
  const zipPath = buildZip(name, entryPoint);
  zipsByEntryPoint.set(entryPoint, zipPath);
  return zipPath;
}

// A zip's content never changes under its path (built aside, renamed into place, named by its
// inputs), and every environment deploys the same few: each is read and hashed once per process.
/** The asset hash cdktf computes for a file (the MD5 of its bytes, upper-case hex), once per zip. */
export const zipAssetHash = memoize((zipPath: string): string => createHash("md5").update(readFileSync(zipPath)).digest("hex").toUpperCase());

function buildZip(name: string, entryPoint: string): string {
  const handlerDir = dirname(entryPoint);
  const dir = join(tmpdir(), "dms-lz-bundles", `${name}-${inputsHash(handlerDir)}`);
  const zipPath = join(dir, "function.zip");
  if (existsSync(zipPath)) return zipPath;

  const { buildSync } = load("esbuild") as typeof esbuild;
  const AdmZip = load("adm-zip") as typeof AdmZipType;
  const result = buildSync({ entryPoints: [entryPoint], ...BUNDLE_OPTIONS });
  const outside = Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules") && !resolve(input).startsWith(handlerDir + sep));
  if (outside.length > 0) throw new Error(`${name} handler imports files outside ${handlerDir}: ${outside.join(", ")}`);

  const zip = new AdmZip();
  zip.addFile("index.js", Buffer.from(result.outputFiles[0].contents));
  for (const entry of zip.getEntries()) entry.header.time = FIXED_TIME;
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed: another process synthesizing at the same time never reads half a file.
  const partial = join(dir, `function.zip.${process.pid}.tmp`);
  zip.writeZip(partial);
  renameSync(partial, zipPath);
  return zipPath;
}

/** The handler's sources, the locked dependency versions and how the bundle is built. */
function inputsHash(handlerDir: string): string {
  const hash = createHash("sha256").update(JSON.stringify({ ...BUNDLE_OPTIONS, zipTime: FIXED_TIME }));
  const files = (readdirSync(handlerDir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(relative(handlerDir, file)).update(readFileSync(file));
  const lockfile = findUp(handlerDir, "package-lock.json");
  if (lockfile) hash.update(readFileSync(lockfile));
  return hash.digest("hex").slice(0, 16);
}

function findUp(from: string, file: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, file))) return join(dir, file);
    if (dirname(dir) === dir) return undefined;
  }
}
