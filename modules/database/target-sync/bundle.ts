// The target-sync handler bundled as deployed (see modules/core/lambda-bundle.ts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lambdaBundleDir } from "../../core/lambda-bundle.js";

/** A directory holding `index.js` (handler "index.handler"), ready to be zipped as an asset. */
export function targetSyncBundleDir(): string {
  return lambdaBundleDir("target-sync", join(dirname(fileURLToPath(import.meta.url)), "index.ts"));
}
