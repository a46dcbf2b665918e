// The target-sync handler bundled as deployed (see modules/core/lambda-bundle.ts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lambdaBundleZip } from "../../core/lambda-bundle.js";

/** The zip the Lambda runs: `index.js`, handler "index.handler". */
export function targetSyncBundleZip(): string {
  return lambdaBundleZip("target-sync", join(dirname(fileURLToPath(import.meta.url)), "index.ts"));
}
