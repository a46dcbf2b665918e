// One error type for a construct that refuses its props. It carries the construct path and each
// problem, so `dms-lz` prints it as one line without a stack trace, and callers can tell a refused
// input from a bug. Values that are tokens (known only at synth or apply) are never checked as text.
import { Token } from "cdktf";
import type { IConstruct } from "constructs";

export class ConstructError extends Error {
  /** The construct's path, `dev/network/dms_vpc`. */
  readonly constructPath: string;
  readonly problems: readonly string[];

  constructor(scope: IConstruct | string, problems: string | readonly string[]) {
    const constructPath = typeof scope === "string" ? scope : scope.node.path;
    const list = typeof problems === "string" ? [problems] : [...problems];
    super(`${constructPath}: ${list.join("; ")}`);
    this.name = "ConstructError";
    this.constructPath = constructPath;
    this.problems = list;
  }
}

/** Throws every problem of a construct at once; nothing when there is none. */
export function refuseProblems(scope: IConstruct, problems: readonly string[]): void {
  if (problems.length > 0) throw new ConstructError(scope, problems);
}

/** A string that can be checked as text now: not a token, which resolves only at synth or apply. */
export function isKnownText(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}
