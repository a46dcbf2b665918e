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

/**
 * The environment name is part of every derived name, so it is held to what all of them accept.
 * The binding limit is the hop target group `<environment>-nlb-tg-db-<source|target>` (the
 * default base name) within ELB's 32: 15 characters. Lower case because S3 bucket names
 * (`<backend_bucket><environment>`) are; single hyphens and a letter or digit at the end because
 * DMS identifiers (`<project>-<environment>`) refuse `--` and a trailing hyphen; not "internal"
 * (ELB names may not start with "internal-"), not ending in "-s3alias" (reserved bucket suffix).
 */
export const ENVIRONMENT_NAME_MAX = ELB_NAME_MAX - "-nlb-tg-db-source".length;
export const ENVIRONMENT_NAME_PATTERN = new RegExp(`^(?!internal$)(?!.*-s3alias$)[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,${ENVIRONMENT_NAME_MAX - 1}}$`);
export const ENVIRONMENT_NAME_RULE = `1-${ENVIRONMENT_NAME_MAX} lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit (not "internal", not ending in "-s3alias")`;
