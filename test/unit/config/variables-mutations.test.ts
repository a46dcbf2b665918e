// A seeded mutation test over the reference environments (variables/dev, prod, single-vpc):
// typos in keys, wrong types, bad CIDRs, hostile strings and numbers, broken files and bad
// environment names, one to three at a time, each run through `dms-lz synth` in-process.
// Properties: no crash or stack trace, nothing written on error, every injected problem reported
// where it was injected (broken files with their line and column), template text never live in
// the output, and accepted mutants valid for real `terraform validate` (a few, sampled).
// LZ_MUTANTS=<n> runs more mutants (the default keeps the file near half a minute).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOfflineWorkspace } from "../../../src/terraform/offline-terraform.js";
import { describeMutant, materialize, MutantOutcome, Mutation, mutantArbitrary, readBaseTree, runMutant } from "../../helpers/config-mutations.js";

const SEED = 20261130;
const RUNS = Number(process.env.LZ_MUTANTS ?? 120);
const VALIDATED = 5;

const base = readBaseTree();
const mutants = fc
  .sample(mutantArbitrary(base), { seed: SEED, numRuns: RUNS })
  .map((specs) => materialize(base, specs))
  .filter((mutations) => mutations.length > 0);
const outcomes: MutantOutcome[] = [];

/** Mutants whose values may legitimately be accepted: their output is kept for terraform validate. */
const mayBeAccepted = (mutations: readonly Mutation[]) => mutations.every((m) => !m.mustReject);

beforeAll(async () => {
  for (const mutations of mutants) outcomes.push(await runMutant(mutations, { keepOutput: mayBeAccepted(mutations) }));
  const count = (test: (o: MutantOutcome) => boolean) => outcomes.filter(test).length;
  console.log(
    `config mutations (seed ${SEED}): ${outcomes.length} mutants, ${count((o) => o.exitCode === 0)} accepted; ` +
      `crashed ${count((o) => o.crashed)}, leaked output ${count((o) => o.leaked)}, hid a problem ${count((o) => o.hidden.length > 0)}, ` +
      `broken file without its line/column ${count((o) => o.misplaced.length > 0)}, live template text ${count((o) => o.liveTemplates.length > 0)}`,
  );
}, 600_000);

afterAll(() => {
  for (const outcome of outcomes) outcome.cleanup();
});

const failures = (select: (o: MutantOutcome) => readonly unknown[] | boolean) =>
  outcomes.filter((o) => { const s = select(o); return Array.isArray(s) ? s.length > 0 : s; }).map((o) => `${describeMutant(o.mutations)}\n    ${o.stderr.split("\n").slice(0, 6).join("\n    ")}`);

describe("seeded mutations of the reference environments", () => {
  it("generate every kind of mutation, deterministically", () => {
    const kinds = new Set(mutants.flat().map((m) => m.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["bad-cidr", "broken-symlink", "directory", "duplicate-key", "env-dir-name", "hostile-string", "invalid-utf8", "nul", "truncated", "typo-key", "wrong-type"]));
    const again = fc.sample(mutantArbitrary(base), { seed: SEED, numRuns: 5 });
    expect(again).toEqual(fc.sample(mutantArbitrary(base), { seed: SEED, numRuns: 5 }));
  });

  it("never crash or print a stack trace: one line per problem, exit code 0 or 1", () => {
    expect(failures((o) => o.crashed)).toEqual([]);
  });

  it("write nothing when any problem exists", () => {
    expect(failures((o) => o.leaked)).toEqual([]);
  });

  it("report every injected problem against its file and JSON path", () => {
    expect(failures((o) => o.hidden)).toEqual([]);
  });

  it("give a broken file's line and column", () => {
    expect(failures((o) => o.misplaced)).toEqual([]);
  });

  it("keep accepted template text literal", () => {
    expect(failures((o) => o.liveTemplates)).toEqual([]);
  });

  it(`accepted mutants pass terraform validate (${VALIDATED} sampled)`, () => {
    const accepted = outcomes.filter((o) => o.exitCode === 0 && o.stackDirs.length > 0);
    expect(accepted.length).toBeGreaterThanOrEqual(VALIDATED);
    // One root holding each sampled stack as a module: one init and one validate (loading the
    // provider schema is the slow part) check them all.
    // Accepted values first (hostile strings, numbers, types), then renamed directories.
    const valueFirst = (o: MutantOutcome) => (o.mutations.some((m) => m.kind !== "env-dir-name") ? 0 : 1);
    const sampled = [...accepted].sort((a, b) => valueFirst(a) - valueFirst(b)).slice(0, VALIDATED);
    const root = mkdtempSync(join(tmpdir(), "lz-mutants-validate-"));
    try {
      sampled.forEach((outcome, i) => cpSync(outcome.stackDirs[0], join(root, `mutant${i}`), { recursive: true }));
      writeFileSync(join(root, "main.tf.json"), JSON.stringify({ module: Object.fromEntries(sampled.map((_, i) => [`mutant${i}`, { source: `./mutant${i}` }])) }));
      const workspace = openOfflineWorkspace(root, { override: false });
      let result: { valid?: boolean; diagnostics?: { severity: string }[] | string };
      try {
        result = JSON.parse(workspace.run(["validate", "-json", "-no-color"], "validate"));
      } catch (error) {
        result = { valid: false, diagnostics: (error as Error).message };
      } finally {
        workspace.dispose();
      }
      expect(result.valid, `${sampled.map((o, i) => `mutant${i}: ${describeMutant(o.mutations)}`).join("\n")}\n${JSON.stringify(result.diagnostics)}`).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
