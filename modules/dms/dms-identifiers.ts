// The identifier rule DMS applies to replication instances, subnet groups, endpoints, tasks and
// certificates: a letter first, then letters, digits and hyphens, no two hyphens in a row, no
// hyphen at the end. Config validation and the constructs share it, so a name is refused once,
// with the key that produced it, before any plan.

/** Replication instance identifiers are the shortest DMS allows. */
export const DMS_INSTANCE_ID_MAX = 63;
/** Endpoint, task and certificate identifiers. */
export const DMS_RESOURCE_ID_MAX = 255;

/** Why `id` is not a valid DMS identifier, or undefined when it is. */
export function dmsIdentifierProblem(id: string, max: number): string | undefined {
  if (id.length === 0 || id.length > max) return `must be 1-${max} characters (got ${id.length})`;
  if (!/^[A-Za-z]/.test(id)) return "must start with a letter";
  if (!/^[A-Za-z0-9-]+$/.test(id)) return "may contain only letters, digits and hyphens";
  if (id.includes("--")) return "may not contain two hyphens in a row";
  if (id.endsWith("-")) return "may not end with a hyphen";
  return undefined;
}
