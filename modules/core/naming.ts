// AWS names built from the environment and a base name, with the limits AWS enforces, so that
// config validation and the constructs agree on the final name.

/** Load balancer and target group names: 32 characters, letters, digits and hyphens. */
export const ELB_NAME_MAX = 32;

/** `<environment>-<base>-<hop>`: one name per hop, unique per environment in an account. */
export function hopResourceName(environment: string, base: string, hop: string): string {
  return `${environment}-${base}-${hop}`;
}

export function isValidElbName(name: string): boolean {
  return name.length <= ELB_NAME_MAX && /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name) && !name.startsWith("internal-");
}

/** `<project>-<environment>-<suffix>`, the prefix of every other named resource. */
export function environmentResourceName(project: string, environment: string, suffix: string): string {
  return `${project}-${environment}-${suffix}`;
}
