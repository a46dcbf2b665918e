// `dms-lz preflight --env NAME [--task KEY]`: the migration scope from an environment's DMS tasks,
// so preflight checks exactly the tables the tasks select, with their migration types and LOB
// limits.
import { dmsTaskScopes } from "../config/dms-task-scopes.js";
import { loadEnvironments } from "../config/load.js";
import { UsageError } from "./command-io.js";
import { includesCdc } from "../../modules/dms/replication-task.js";
import type { MigrationScope } from "./scope.js";

export function environmentScope(variablesDir: string, environment: string, task?: string): MigrationScope {
  const [loaded] = loadEnvironments(variablesDir, [environment]);
  const scopes = dmsTaskScopes(loaded);
  const keys = Object.keys(scopes);
  if (keys.length === 0) throw new UsageError(`environment ${environment} has no DMS tasks (dms.tasks in ${variablesDir}/${environment})`);
  if (task !== undefined && !keys.includes(task)) throw new UsageError(`environment ${environment} has no DMS task "${task}"; its tasks: ${keys.join(", ")}`);
  const chosen = task === undefined ? keys.map((key) => scopes[key]) : [scopes[task]];
  if (chosen.length === 1) {
    const [only] = chosen;
    return { tables: only.tables, excludedTables: only.excludedTables, migrationType: only.migrationType, lobMaxSizeKb: only.lobMaxSizeKb, lobMode: only.lobMode };
  }
  // Several tasks at once: every table any task selects, the CDC checks if any task replicates
  // changes, and the tightest LOB limit. Exclusions belong to their own task, so none apply.
  return {
    tables: chosen.flatMap((scope) => scope.tables),
    migrationType: chosen.some((scope) => includesCdc(scope.migrationType)) ? "full-load-and-cdc" : "full-load",
    lobMaxSizeKb: Math.min(...chosen.map((scope) => scope.lobMaxSizeKb)),
    lobMode: chosen.some((scope) => scope.lobMode === "limited") ? "limited" : chosen.some((scope) => scope.lobMode === "full") ? "full" : "none",
  };
}
