// AWS DMS versions as data, in one place for the modules, the config and the migrate tools:
// the replication engine versions with their end dates, and the PostgreSQL versions each engine
// reads and writes. Sources (AWS DMS User Guide, read 2026-11):
// - "AWS DMS release notes" (CHAP_ReleaseNotes): release, no-new-instance and end-of-life dates of
//   the active engine versions ("TBD" for 3.6.1); AWS's own default engine is 3.5.4.
// - "Using a PostgreSQL database as an AWS DMS source" (CHAP_Source.PostgreSQL): the table of
//   source versions and the DMS engine version each needs; its limitations list RDS and Aurora
//   PostgreSQL 10.4 as not working, either as source or target.
// - "Targets for AWS DMS" (CHAP_Introduction.Targets): PostgreSQL 9.4 and later (9.x), 10.x to
//   18.x as targets; 17.x and 18.x need DMS 3.5.4 or later.
// When AWS adds a version or announces an end date, change the rows here.

export interface DmsEngineVersion {
  readonly version: string;
  readonly released: string;
  /** After this day AWS creates no new instance with the version; undefined while AWS says TBD. */
  readonly noNewInstancesAfter?: string;
  /** From this day AWS upgrades instances of the version itself. */
  readonly endOfLife?: string;
}

export const DMS_ENGINE_VERSIONS: readonly DmsEngineVersion[] = [
  { version: "3.6.1", released: "2025-05-15" },
  { version: "3.6.0", released: "2024-12-27", noNewInstancesAfter: "2026-04-27", endOfLife: "2026-07-27" },
  { version: "3.5.4", released: "2024-11-15", noNewInstancesAfter: "2027-01-31", endOfLife: "2027-03-31" },
  { version: "3.5.3", released: "2024-05-17", noNewInstancesAfter: "2026-02-28", endOfLife: "2026-06-30" },
];

/** The newest engine with no announced end: it reads PostgreSQL 17 sources (3.6.1 and later). */
export const DEFAULT_DMS_ENGINE_VERSION = "3.6.1";

/** Versions a new replication instance can still be created with on `day` (YYYY-MM-DD). */
export function creatableDmsEngineVersions(day: string): string[] {
  return DMS_ENGINE_VERSIONS.filter((row) => row.noNewInstancesAfter === undefined || day <= row.noNewInstancesAfter).map((row) => row.version);
}

export interface SupportedVersion {
  /** Major version as PostgreSQL names it: "9.4" ... "9.6", then "10", "11", ... */
  readonly major: string;
  /** The oldest DMS replication engine that handles it; undefined when any current engine does. */
  readonly minEngine?: string;
}

export const DMS_POSTGRES_SOURCE_VERSIONS: readonly SupportedVersion[] = [
  { major: "9.4" },
  { major: "9.5" },
  { major: "9.6" },
  { major: "10" },
  { major: "11" },
  { major: "12" },
  { major: "13", minEngine: "3.4.3" },
  { major: "14", minEngine: "3.4.7" },
  { major: "15", minEngine: "3.5.1" },
  { major: "16", minEngine: "3.5.3" },
  { major: "17", minEngine: "3.6.1" },
];

export const DMS_POSTGRES_TARGET_VERSIONS: readonly SupportedVersion[] = [
  { major: "9.4" },
  { major: "9.5" },
  { major: "9.6" },
  { major: "10" },
  { major: "11" },
  { major: "12" },
  { major: "13" },
  { major: "14" },
  { major: "15" },
  { major: "16" },
  { major: "17", minEngine: "3.5.4" },
  { major: "18", minEngine: "3.5.4" },
];

/** Exact versions the user guide names as not working with DMS at all. */
export const DMS_BROKEN_POSTGRES_VERSIONS: readonly string[] = ["10.4"];

/** "9.6" for 90624, "15" for 150008 (server_version_num). */
export function majorVersion(serverVersionNum: number): string {
  return serverVersionNum >= 100_000
    ? String(Math.floor(serverVersionNum / 10_000))
    : `${Math.floor(serverVersionNum / 10_000)}.${Math.floor(serverVersionNum / 100) % 100}`;
}

/** "9.6.24" for 90624, "15.8" for 150008. */
export function displayVersion(serverVersionNum: number): string {
  return serverVersionNum >= 100_000
    ? `${majorVersion(serverVersionNum)}.${serverVersionNum % 10_000}`
    : `${majorVersion(serverVersionNum)}.${serverVersionNum % 100}`;
}
