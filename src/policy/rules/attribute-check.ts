// One attribute judged the way every rule should: its planned value, or its configuration rendered
// with placeholders when it is known only after apply; unset means AWS's default applies; a value
// that is still unknown is reported unverifiable instead of passing.
import type { PlannedResource } from "../plan-resources.js";
import { CheckResult, unverifiable } from "../types.js";
import { hasPlaceholder } from "../unknown-values.js";

export function checkAttribute(resource: PlannedResource, path: readonly (string | number)[], ok: (value: unknown) => boolean, failure: (value: unknown) => string): CheckResult[] {
  const value = resource.resolved(...path);
  if (containsPlaceholder(value)) return [unverifiable(`${path.join(".")} is ${typeof value === "string" ? value : JSON.stringify(value)}, known only after apply`)];
  return ok(value ?? undefined) ? [] : [failure(value ?? undefined)];
}

function containsPlaceholder(value: unknown): boolean {
  if (typeof value === "string") return hasPlaceholder(value);
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  return value !== null && typeof value === "object" && Object.values(value).some(containsPlaceholder);
}
