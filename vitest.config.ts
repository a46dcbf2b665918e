import { defineConfig } from "vitest/config";

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
  },
});
