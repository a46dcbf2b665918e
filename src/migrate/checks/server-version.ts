// The server's PostgreSQL version against the versions AWS DMS supports on that side.
import {
  DMS_BROKEN_POSTGRES_VERSIONS,
  DMS_POSTGRES_SOURCE_VERSIONS,
  DMS_POSTGRES_TARGET_VERSIONS,
  majorVersion,
} from "../../../modules/dms/dms-versions.js";
import type { DatabaseRole } from "../connection.js";
import type { Finding } from "../findings.js";
import type { ServerFacts } from "../server-facts.js";

export function serverVersionFindings(role: DatabaseRole, facts: ServerFacts): Finding[] {
  const supported = role === "source" ? DMS_POSTGRES_SOURCE_VERSIONS : DMS_POSTGRES_TARGET_VERSIONS;
  const major = majorVersion(facts.versionNum);
  const flavour = facts.aurora ? "Aurora PostgreSQL" : facts.rds ? "RDS for PostgreSQL" : "PostgreSQL";
  const check = `${role}-version`;
  if ((facts.rds || facts.aurora) && DMS_BROKEN_POSTGRES_VERSIONS.includes(facts.version)) {
    return [
      {
        check,
        severity: "blocker",
        object: role,
        detail: `${flavour} ${facts.version} does not work with AWS DMS as a source or a target`,
        fix: "Upgrade to a later minor version first",
      },
    ];
  }
  const entry = supported.find((v) => v.major === major);
  if (!entry) {
    const range = `${supported[0].major} to ${supported[supported.length - 1].major}`;
    return [
      {
        check,
        severity: "blocker",
        object: role,
        detail: `${flavour} ${facts.version} is not a version AWS DMS supports as a ${role} (supported: ${range})`,
        fix:
          facts.versionNum < 90_400
            ? "Upgrade the server to a supported version first"
            : "Check the current AWS DMS user guide; if support was added, add the version to modules/dms/dms-versions.ts",
      },
    ];
  }
  return [
    {
      check,
      severity: "info",
      object: role,
      detail: `${flavour} ${facts.version} is supported as a DMS ${role}${entry.minEngine ? ` with replication engine ${entry.minEngine} or later` : ""}`,
      fix: entry.minEngine ? `Create the replication instance with engine_version ${entry.minEngine} or later` : "",
    },
  ];
}
