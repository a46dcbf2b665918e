#!/usr/bin/env node
// The dms-lz command, and the cdktf.json app (`dms-lz synth`): runs the pre-built bundle, building
// it first when dist/ is missing or older than the sources (a fresh clone, an edit, an install).
// Parsing and compiling the 3 MB bundle is a quarter of a synth, so the bundle runs with a V8 code
// cache beside it (what Node 22's module.enableCompileCache does), named by the bundle's hash so
// a rebuilt bundle never meets a stale cache. The cache is written after the first synth or plan,
// so it holds every function those compiled, not only the start-up code.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";
import { ensureBuilt } from "../build.mjs";

const bundle = await ensureBuilt();
const code = readFileSync(bundle, "utf8");
const cachePath = `${bundle}.${createHash("sha1").update(code).digest("hex").slice(0, 16)}.v8cache`;
let cachedData;
try {
  cachedData = readFileSync(cachePath);
} catch {
  // no cache yet
}
const script = new vm.Script(Module.wrap(code), {
  filename: bundle,
  cachedData,
  importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if ((!cachedData || script.cachedDataRejected) && ["synth", "plan"].includes(process.argv[2])) {
  process.once("exit", () => {
    const partial = `${cachePath}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cachePath);
  });
}
const module = new Module(bundle);
module.filename = bundle;
module.paths = Module._nodeModulePaths(dirname(bundle));
script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
