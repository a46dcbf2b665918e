// Bundles the dms-lz command into dist/dms-lz.cjs: the main job (`npm run synth`) then starts
// without a TypeScript loader. Packages stay external and load from node_modules as usual.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

// Constructs find their Lambda handlers' sources next to themselves through import.meta, which a
// CommonJS bundle does not have: each file's import.meta.url and import.meta.dirname are replaced
// with that source file's own location.
const sourceLocation = {
  name: "source-location",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/](modules|src|stacks|bench)[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta")) return undefined;
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)));
      return { contents, loader: "ts" };
    });
  },
};

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
  plugins: [sourceLocation],
});
