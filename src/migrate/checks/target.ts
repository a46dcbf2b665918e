// The target side: reachable, the database exists (DMS does not create it; --create-target-db
// does), a supported version not older than the source, TLS, and room to create tables.
import type pg from "pg";
import { connect, ConnectionError, databaseName, type ConnectionSpec } from "../connection.js";
import { majorVersion } from "../../../modules/dms/dms-versions.js";
import type { Finding } from "../findings.js";
import { readServerFacts, type ServerFacts } from "../server-facts.js";
import { quoteIdent } from "../sql.js";
import { serverVersionFindings } from "./server-version.js";
import { tlsFindings } from "./tls.js";

export interface TargetCheckResult {
  readonly findings: Finding[];
  /** Set when the target could be reached. */
  readonly facts?: ServerFacts;
}

/** PostgreSQL's SQLSTATE for "database does not exist". */
const INVALID_CATALOG_NAME = "3D000";

export async function checkTarget(
  spec: ConnectionSpec,
  options: { readonly createDatabase: boolean; readonly source: ServerFacts },
): Promise<TargetCheckResult> {
  const findings: Finding[] = [];
  let client: pg.Client;
  try {
    client = await connect(spec);
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error;
    const name = databaseName(spec);
    if (error.code !== INVALID_CATALOG_NAME) {
      return { findings: [{ check: "target-connectivity", severity: "blocker", object: "target", detail: error.message, fix: "" }] };
    }
    if (!options.createDatabase) {
      return {
        findings: [
          {
            check: "target-database",
            severity: "blocker",
            object: "target",
            detail: `database ${name} does not exist on the target; DMS does not create databases`,
            fix: `CREATE DATABASE ${quoteIdent(name)}; (or run preflight with --create-target-db)`,
          },
        ],
      };
    }
    const created = await createDatabase(spec, name);
    if (created) return { findings: [created] };
    findings.push({ check: "target-database", severity: "info", object: "target", detail: `created database ${name}`, fix: "" });
    client = await connect(spec);
  }
  try {
    const facts = await readServerFacts(client);
    findings.push({
      check: "target-connectivity",
      severity: "info",
      object: "target",
      detail: `connected to database ${facts.database} as ${facts.user}`,
      fix: "",
    });
    findings.push(...serverVersionFindings("target", facts), ...tlsFindings("target", facts));
    if (Number.parseFloat(majorVersion(facts.versionNum)) < Number.parseFloat(majorVersion(options.source.versionNum))) {
      findings.push({
        check: "version-order",
        severity: "warning",
        object: "target",
        detail: `the target (${facts.version}) is an older major version than the source (${options.source.version}): types and defaults the source uses may not exist there`,
        fix: "Use a target of the same or a newer major version",
      });
    }
    const { rows } = await client.query("SELECT has_database_privilege(current_database(), 'CREATE') AS can_create");
    if (!facts.superuser && !rows[0].can_create) {
      findings.push({
        check: "target-privileges",
        severity: "warning",
        object: "target",
        detail: `role ${facts.user} cannot create schemas in ${facts.database}; DMS creates the schemas and tables it loads unless they exist`,
        fix: `GRANT CREATE ON DATABASE ${quoteIdent(facts.database)} TO ${facts.userSql}; (or create the schemas and tables first)`,
      });
    }
    return { findings, facts };
  } finally {
    await client.end();
  }
}

/** Creates the database from the server's maintenance database; returns a blocker if it cannot. */
async function createDatabase(spec: ConnectionSpec, name: string): Promise<Finding | undefined> {
  try {
    const admin = await connect(spec, { database: "postgres" });
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } finally {
      await admin.end();
    }
    return undefined;
  } catch (error) {
    return {
      check: "target-database",
      severity: "blocker",
      object: "target",
      detail: `database ${name} does not exist and could not be created: ${(error as Error).message}`,
      fix: `Create it as a role with CREATEDB: CREATE DATABASE ${quoteIdent(name)};`,
    };
  }
}
