// The db-users handler bundled as deployed (see modules/core/lambda-bundle.ts).
import { join } from "node:path";
import { lambdaBundleZip } from "../../core/lambda-bundle.js";

/** The zip the Lambda runs: `index.js`, handler "index.handler". */
export function dbUsersBundleZip(): string {
  return lambdaBundleZip("db-users", join(import.meta.dirname, "index.ts"));
}
