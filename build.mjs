// Bundles the dms-lz command into dist/dms-lz.cjs: the main job (`npm run synth`) then starts
// without a TypeScript loader. Packages stay external and load from node_modules as usual.
import { build } from "esbuild";

await build({
  entryPoints: { "dms-lz": "src/cli-main.ts", "bench-synth-once": "bench/synth-once.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
