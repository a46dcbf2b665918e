// `npm run check:terrain`: is the project ready to move from CDKTF (archived 2025-12-10) to its
// continuation CDK Terrain? Builds a scratch copy of the project whose `cdktf` is CDK Terrain's
// `cdktn` (the two-line move of the README: an npm alias and an `overrides` entry, so
// @cdktf/provider-aws gets it too), synthesizes every environment there and here, and asserts
// that the stacks are JSON-identical (but for the library version in the `//` metadata). Leaves nothing behind; exits 1 on any difference.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const CDKTN = process.env.LZ_CDKTN_VERSION ?? "~0.24.0";
const SKIP = new Set(["node_modules", "cdktf.out", "dist", ".git", ".bench", "coverage"]);
const scratch = mkdtempSync(join(tmpdir(), "dms-lz-terrain-"));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CHECKPOINT_DISABLE: "1" } });

function stacks(outdir) {
  const found = {};
  for (const stack of readdirSync(join(outdir, "stacks"))) {
    // A stack without a backend gets cdktf's local backend at an absolute path under the project.
    const text = readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8").replaceAll(outdir.startsWith(scratch) ? join(scratch, "project") : ROOT, "<project>");
    const json = JSON.parse(text);
    // The one expected difference: the metadata names the library version that wrote the stack.
    if (json["//"]?.metadata) delete json["//"].metadata.version;
    found[stack] = json;
  }
  return found;
}

/** Where two JSON values differ, as `stack: $.path: cdktf value, cdktn value`. */
function differences(a, b, path) {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) => differences(a[key], b[key], `${path}.${key}`));
  }
  return [`${path}: ${JSON.stringify(a)?.slice(0, 80)} on cdktf, ${JSON.stringify(b)?.slice(0, 80)} on cdktn`];
}

try {
  const project = join(scratch, "project");
  cpSync(ROOT, project, { recursive: true, filter: (source) => !SKIP.has(relative(ROOT, source).split(/[\\/]/)[0]) || relative(ROOT, source) === "" });
  const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
  // The two lines of the move:
  pkg.dependencies.cdktf = `npm:cdktn@${CDKTN}`;
  pkg.overrides = { ...pkg.overrides, cdktf: "$cdktf" };
  // cdktn-cli (Node >= 22.19) replaces cdktf-cli; synth here goes through dms-lz, which needs neither.
  delete pkg.devDependencies["cdktf-cli"];
  writeFileSync(join(project, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  // The lock file stays: only cdktf changes, every other package (and so every Lambda bundle) is the same.
  process.stdout.write(`installing the project on cdktn@${CDKTN} in ${project} ...\n`);
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], project);
  const installed = JSON.parse(readFileSync(join(project, "node_modules", "cdktf", "package.json"), "utf8"));
  if (installed.name !== "cdktn") throw new Error(`node_modules/cdktf is ${installed.name}@${installed.version}, not cdktn`);

  run("node", ["build.mjs"], project);
  run("node", ["dist/dms-lz.cjs", "synth", "--out", join(project, "cdktf.out")], project);
  run("node", ["build.mjs"], ROOT);
  const here = join(scratch, "cdktf-out");
  run("node", [join(ROOT, "dist", "dms-lz.cjs"), "synth", "--out", here], ROOT);

  const expected = stacks(here);
  const actual = stacks(join(project, "cdktf.out"));
  const problems = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (!(name in actual)) problems.push(`${name}: missing on cdktn`);
    else if (!(name in expected)) problems.push(`${name}: only on cdktn`);
    else problems.push(...differences(expected[name], actual[name], name).slice(0, 5));
  }
  if (problems.length > 0) {
    process.stderr.write(`check:terrain: the stacks differ on cdktn@${installed.version}:\n${problems.map((line) => `  - ${line}`).join("\n")}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`check:terrain: ${Object.keys(expected).length} stacks JSON-identical on cdktn@${installed.version} and cdktf@${JSON.parse(readFileSync(join(ROOT, "node_modules", "cdktf", "package.json"), "utf8")).version}: ${Object.keys(expected).sort().join(", ")}\n`);
  }
} catch (error) {
  process.stderr.write(`check:terrain: ${error.stderr?.toString().trim().split("\n").slice(-5).join(" / ") || error.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
