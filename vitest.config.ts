import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Long files start first, so that no worker is left alone with one at the end. On a fresh clone
// vitest has no durations to sort by (it falls back to file size), so the order is stated here;
// within each rank vitest's own order stands, and every file not named runs after these.
const FIRST = [
  "test/envs/module-mode.test.ts", // four chains of init, plan and mocked apply
  "test/envs/mock-apply.test.ts", // a mocked apply per environment
  "test/envs/", // offline plans, the reference ones shared through test/helpers/test-cache.ts
  "test/unit/config/variables-mutations.test.ts", // 120 synths and a terraform validate
  "test/integration/csv-pipeline-large.test.ts", // a million rows, twice
  "test/integration/", // PostgreSQL servers
  "test/unit/cli.test.ts", // builds the bundle, synthesizes every environment
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const path = relative(spec.project.config.root, spec.moduleId);
      const index = FIRST.findIndex((prefix) => path.startsWith(prefix));
      return index < 0 ? FIRST.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Terraform plans and real PostgreSQL servers are slow on a 2-core machine, and a test may wait
    // for another file's plan of the same environment (test/helpers/test-cache.ts) on a loaded one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    maxWorkers: 2,
    // A worker process runs file after file: importing cdktf, the provider bindings and the project
    // afresh for each of ~90 files cost ~3 minutes of CPU. Files restore what they change.
    isolate: false,
    sequence: { sequencer: LongFirst },
    env: {
      // Terraform and the AWS provider are Go programs that spend a quarter of their CPU collecting
      // garbage while they decode the provider's schema; collecting only near 1 GiB per process
      // saves that (measured: a mocked apply 15 -> 11 CPU seconds).
      GOGC: "off",
      GOMEMLIMIT: "1GiB",
    },
  },
});
