// Starting points for the full load's parallelism and the replication instance size. These are
// heuristics (the user guide asks you to test with your own data), kept as data so a team can
// tune them: DMS loads one table per subtask, MaxFullLoadSubTasks defaults to 8 and allows up to
// 49, and each subtask costs the instance memory and CPU.

export interface InstanceTier {
  /** Up to this much data (bytes) in scope. */
  readonly upToBytes: number;
  readonly instanceClass: string;
  readonly vcpus: number;
  readonly memoryGib: number;
  /** Subtasks this class handles comfortably. */
  readonly maxSubTasks: number;
}

const GIB = 1024 ** 3;

export const INSTANCE_TIERS: readonly InstanceTier[] = [
  { upToBytes: 10 * GIB, instanceClass: "dms.t3.medium", vcpus: 2, memoryGib: 4, maxSubTasks: 8 },
  { upToBytes: 100 * GIB, instanceClass: "dms.c5.xlarge", vcpus: 4, memoryGib: 8, maxSubTasks: 16 },
  { upToBytes: 1024 * GIB, instanceClass: "dms.r5.xlarge", vcpus: 4, memoryGib: 32, maxSubTasks: 16 },
  { upToBytes: Infinity, instanceClass: "dms.r5.4xlarge", vcpus: 16, memoryGib: 128, maxSubTasks: 32 },
];

/** DMS's own bounds for MaxFullLoadSubTasks. */
export const DEFAULT_MAX_FULL_LOAD_SUBTASKS = 8;
export const LIMIT_MAX_FULL_LOAD_SUBTASKS = 49;

/** Tables at least this large load faster split into segments (table-settings parallel-load). */
export const PARALLEL_LOAD_THRESHOLD_BYTES = 10 * GIB;

export interface SizingSuggestion {
  readonly tier: InstanceTier;
  readonly maxFullLoadSubTasks: number;
}

export function suggestSizing(tableSizes: readonly number[]): SizingSuggestion {
  const total = tableSizes.reduce((sum, size) => sum + size, 0);
  const tier = INSTANCE_TIERS.find((t) => total <= t.upToBytes) ?? INSTANCE_TIERS[INSTANCE_TIERS.length - 1];
  // More subtasks than tables never helps; fewer than the default gains nothing either.
  const wanted = Math.max(DEFAULT_MAX_FULL_LOAD_SUBTASKS, Math.min(tableSizes.length, tier.maxSubTasks));
  return { tier, maxFullLoadSubTasks: Math.min(wanted, LIMIT_MAX_FULL_LOAD_SUBTASKS) };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
