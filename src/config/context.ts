// What every capability needs to know about the environment besides its own section: its name,
// whether it is protected, and the prefix of its resource names. Computed once per environment,
// so no capability re-derives "protected" or the name from raw keys.
import type { EnvironmentConfig } from "./schema.js";

/** Environments protected unless `protected` says otherwise. */
export const PROTECTED_BY_DEFAULT: readonly string[] = ["prod", "production"];

export interface ConfigContext {
  /** The `variables/<env>` directory name: the stack's name. */
  readonly dirName: string;
  /** The environment's directory, against which files named in config are resolved. */
  readonly envDir: string;
  /** `environment`, or the directory name. */
  readonly environment: string;
  readonly project: string;
  /** `protected`, or whether the environment is one of PROTECTED_BY_DEFAULT. */
  readonly isProtected: boolean;
  /** `<project>-<environment>`: the replication instance's name and the start of other names. */
  readonly namePrefix: string;
  /**
   * Top-level keys present in the files but invalid (already reported): a check must not call
   * them missing. Empty once the config is valid.
   */
  readonly invalidKeys: ReadonlySet<string>;
}

export function configContext(
  config: Pick<EnvironmentConfig, "environment" | "project" | "protected">,
  dirName: string,
  envDir = dirName,
  invalidKeys: ReadonlySet<string> = new Set(),
): ConfigContext {
  const environment = config.environment ?? dirName;
  return {
    dirName,
    envDir,
    environment,
    project: config.project,
    isProtected: config.protected ?? PROTECTED_BY_DEFAULT.includes(environment),
    namePrefix: `${config.project}-${environment}`,
    invalidKeys,
  };
}
