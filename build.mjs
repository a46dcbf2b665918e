// Bundles the dms-lz command, packages included, into one pre-built file (dist/dms-lz.cjs) that
// every entry point runs: `npm run synth`, `npx dms-lz` and the cdktf.json app. Loading one
// bundle is cheaper than resolving and compiling some 2,000 files from node_modules, and nothing
// compiles TypeScript at run time. `node build.mjs` builds; bin/dms-lz.js calls ensureBuilt(),
// which rebuilds only when dist is missing, was built elsewhere, or a local input or the
// installed packages changed since (a few hundred stat calls).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = dirname(fileURLToPath(import.meta.url));
const DIST = join(ROOT, "dist");
export const BUNDLE = join(DIST, "dms-lz.cjs");
const STAMP = join(DIST, "build-inputs.json");
// npm rewrites node_modules/.package-lock.json on every install: it stands for all the packages.
const ALWAYS_INPUTS = ["build.mjs", "package-lock.json", "node_modules/.package-lock.json"];

/** Builds dist/ unless it is up to date; returns the bundle's path. */
export async function ensureBuilt() {
  if (!isFresh()) await buildBundle();
  return BUNDLE;
}

function isFresh() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return false;
  }
  // Lambda handler locations are compiled in as absolute paths: a moved checkout rebuilds.
  if (stamp.root !== ROOT || !existsSync(BUNDLE)) return false;
  return stamp.inputs.every((input) => {
    try {
      return statSync(join(ROOT, input)).mtimeMs < stamp.startedMs;
    } catch {
      return input.startsWith("node_modules/") || input === "package-lock.json";
    }
  });
}

// Constructs find their Lambda handlers' sources next to themselves through import.meta, which a
// CommonJS bundle does not have: each file's import.meta.url and import.meta.dirname are replaced
// with that source file's own location.
const sourceLocation = {
  name: "source-location",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/](modules|src|stacks)[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta")) return undefined;
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)));
      return { contents, loader: "ts" };
    });
  },
};

// cdktf loads archiver (and its 40 dependencies) for ARCHIVE assets, which this project never
// makes (Lambda zips are built by modules/core/lambda-bundle.ts): the bundle holds a stub instead.
const noArchiver = {
  name: "no-archiver",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^archiver$/ }, () => ({ path: "archiver", namespace: "no-archiver" }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "no-archiver" }, () => ({
      contents: 'module.exports = () => { throw new Error("cdktf ARCHIVE assets are not in the dms-lz bundle: zip the asset and use AssetType.FILE"); };',
      loader: "js",
    }));
  },
};

// cdktf writes every stack through json-stable-stringify, whose string-per-level joining was a
// tenth of a synth: the bundle holds src/stable-json.ts in its place (same output, see its test).
const stableJson = {
  name: "stable-json",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^json-stable-stringify$/ }, () => ({ path: "json-stable-stringify", namespace: "stable-json" }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "stable-json" }, () => ({
      contents: `module.exports = require(${JSON.stringify(join(ROOT, "src", "stable-json.ts"))}).stableStringify;`,
      loader: "js",
      resolveDir: ROOT,
    }));
  },
};

export async function buildBundle() {
  const startedMs = Date.now();
  const { build } = await import("esbuild");
  mkdirSync(DIST, { recursive: true });
  // Built aside and renamed into place: a process reading dist/ never sees half a file, and two
  // builds at once (parallel test workers) each write a whole, identical bundle.
  const scratch = mkdtempSync(join(DIST, ".build-"));
  try {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { "dms-lz": "src/cli-main.ts" },
      outdir: scratch,
      outExtension: { ".js": ".cjs" },
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      // esbuild is a native binary and adm-zip loads only with it, to bundle a Lambda handler
      // missing from the cache; pg loads pg-native only when asked to, which nothing here does.
      external: ["esbuild", "adm-zip", "pg-native"],
      minify: true,
      sourcemap: "linked",
      sourcesContent: false,
      metafile: true,
      logLevel: "warning",
      plugins: [sourceLocation, noArchiver, stableJson],
    });
    // Local files only (not packages, not the stub's "no-archiver:" namespace).
    const local = Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules/") && !/^[\w-]+:/.test(input));
    for (const file of ["dms-lz.cjs.map", "dms-lz.cjs"]) renameSync(join(scratch, file), join(DIST, file));
    const inputs = [...ALWAYS_INPUTS, ...local.map((input) => relative(ROOT, resolve(ROOT, input)))];
    writeFileSync(join(scratch, "stamp.json"), JSON.stringify({ root: ROOT, startedMs, inputs }));
    renameSync(join(scratch, "stamp.json"), STAMP);
    // Code caches of earlier bundles (bin/dms-lz.js names each by its bundle's hash).
    for (const file of readdirSync(DIST)) if (file.endsWith(".v8cache") && !file.startsWith(".")) rmSync(join(DIST, file), { force: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return BUNDLE;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBundle();
