// What each DMS task of a loaded environment migrates, in the shape the migration toolkit's
// preflight takes (`dms-lz preflight --env NAME`): the tables its selection rules include (with
// `%` wildcards, whether typed in config or read from a mapping file), the tables they exclude,
// the migration type, and the LOB limit the task truncates at.
import { selectedTables, TableLocator } from "../../modules/dms/table-mappings.js";
import type { MigrationType } from "../../modules/dms/replication-task.js";
import type { LobMode } from "../../modules/dms/task-settings.js";
import type { LoadedEnvironment } from "./load.js";

export interface DmsTaskScope {
  /** Include rules, as `{ schema, table }` patterns (`%` matches any run of characters). */
  readonly tables: readonly TableLocator[];
  /** Exclude rules, same form. */
  readonly excludedTables: readonly TableLocator[];
  readonly migrationType: MigrationType;
  /** TargetMetadata.LobMaxSize: values above it are truncated in limited LOB mode. */
  readonly lobMaxSizeKb: number;
  readonly lobMode: LobMode;
}

/** Scopes by task key; empty when the environment has no DMS tasks. */
export function dmsTaskScopes(environment: LoadedEnvironment): Record<string, DmsTaskScope> {
  const tasks = environment.props.dms?.tasks ?? {};
  return Object.fromEntries(
    Object.entries(tasks).map(([key, task]) => {
      const { include, exclude } = selectedTables(task.tableMappings);
      return [
        key,
        {
          tables: include,
          excludedTables: exclude,
          migrationType: task.migrationType,
          lobMaxSizeKb: task.settings?.lobMaxSizeKb ?? 32,
          lobMode: task.settings?.lobMode ?? "limited",
        },
      ];
    }),
  );
}
