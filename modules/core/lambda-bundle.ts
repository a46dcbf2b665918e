// Bundles a Lambda handler into one self-contained CommonJS file at synth time. Synthesis is
// synchronous, so this uses esbuild's buildSync. The output directory is named after the
// bundle's content hash: identical code gives an identical directory (and asset hash) in every
// process, so plans stay stable, and each bundle is built once per process.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";

const built = new Map<string, string>();

/** A directory holding `index.js` (handler "index.handler"), ready to be zipped as an asset. */
export function lambdaBundleDir(name: string, entryPoint: string): string {
  const cached = built.get(entryPoint);
  if (cached && existsSync(join(cached, "index.js"))) return cached;
  const result = buildSync({
    entryPoints: [entryPoint],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    write: false,
    // The SDK is bundled too, so the function does not depend on the runtime's SDK version.
    // pg loads pg-native only when asked to (native: true), which no handler here does.
    external: ["pg-native"],
    logLevel: "warning",
    legalComments: "none",
  });
  const code = result.outputFiles[0].contents;
  const dir = join(tmpdir(), "dms-lz-bundles", `${name}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}`);
  if (!existsSync(join(dir, "index.js"))) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: another process synthesizing at the same time never reads half a file.
    const partial = join(dir, `index.js.${process.pid}.tmp`);
    writeFileSync(partial, code);
    renameSync(partial, join(dir, "index.js"));
  }
  built.set(entryPoint, dir);
  return dir;
}
