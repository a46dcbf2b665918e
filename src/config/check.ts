// A capability's cross-field check: the top-level keys it reads, and the problems it reports.
// Declaring what a check reads lets the loader run it whenever those keys parsed, even when
// another section failed, so one mistake never hides the next.
import type { ConfigContext } from "./context.js";
import type { IssueReporter } from "./errors.js";
import type { EnvironmentConfig } from "./schema.js";

export interface CrossCheck {
  readonly reads: readonly (keyof EnvironmentConfig)[];
  readonly run: (config: EnvironmentConfig, context: ConfigContext, report: IssueReporter) => void;
}

/** A check that sees only the keys it names (the compiler holds it to that). */
export function crossCheck<K extends keyof EnvironmentConfig>(
  reads: readonly K[],
  run: (config: Pick<EnvironmentConfig, K>, context: ConfigContext, report: IssueReporter) => void,
): CrossCheck {
  return { reads, run };
}
