// PostgreSQL major versions AWS DMS supports, as data. Sources (AWS DMS User Guide, read 2026-11):
// - "Using a PostgreSQL database as an AWS DMS source" (CHAP_Source.PostgreSQL): the table of
//   source versions and the DMS engine version each needs; its limitations list RDS and Aurora
//   PostgreSQL 10.4 as not working, either as source or target.
// - "Targets for AWS DMS" (CHAP_Introduction.Targets): PostgreSQL 9.4 and later (9.x), 10.x to
//   18.x as targets; 17.x and 18.x need DMS 3.5.4 or later.
// When AWS adds a version, add a row here.

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
