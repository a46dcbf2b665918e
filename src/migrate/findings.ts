// What preflight reports: one finding per problem (or fact worth knowing) about one object.

/**
 * blocker: DMS will fail, or silently lose or damage data, unless it is fixed first.
 * warning: works, with a risk or a cost the team should decide on.
 * info: a fact for planning (sizes, suggested settings, checks that passed).
 */
export type Severity = "blocker" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["blocker", "warning", "info"];

export interface Finding {
  /** Stable check id, e.g. `wal-level`, `primary-key`. */
  readonly check: string;
  readonly severity: Severity;
  /** What it is about: `source`, `target`, `schema.table` or `schema.table.column`. */
  readonly object: string;
  readonly detail: string;
  /** What to do about it; empty when nothing needs doing. */
  readonly fix: string;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { blocker: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Blockers first, then warnings, then info; stable within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}
