// Runs every preflight check against the source (and the target when given) and gathers the
// findings. Connection problems with the source are thrown (ConnectionError); everything else
// is a finding.
import { listColumns, listTables } from "./catalog.js";
import { cdcFindings } from "./checks/cdc.js";
import type { SourceContext } from "./checks/context.js";
import { dataTypeFindings } from "./checks/data-types.js";
import { lobSizeFindings } from "./checks/lob-scan.js";
import { selectPrivilegeFindings } from "./checks/privileges.js";
import { serverVersionFindings } from "./checks/server-version.js";
import { sizingFindings } from "./checks/sizing.js";
import { tableFindings } from "./checks/tables.js";
import { checkTarget } from "./checks/target.js";
import { testDecodingFindings } from "./checks/test-decoding.js";
import { tlsFindings } from "./checks/tls.js";
import { connect, describeConnection, type ConnectionSpec } from "./connection.js";
import { sortFindings, type Finding } from "./findings.js";
import { includesCdc } from "../../modules/dms/replication-task.js";
import type { MigrationScope } from "./scope.js";
import { readServerFacts, type ServerFacts } from "./server-facts.js";

export interface PreflightOptions {
  readonly source: ConnectionSpec;
  /** Also check the target. @default source only */
  readonly target?: ConnectionSpec;
  readonly scope: MigrationScope;
  /** Read every LOB column to find its largest value. @default false */
  readonly scanLobs?: boolean;
  /** Create a temporary logical slot with test_decoding to prove decoding works. @default false */
  readonly testDecoding?: boolean;
  /** Create the target database when it does not exist. @default false */
  readonly createTargetDb?: boolean;
}

export interface ServerSummary {
  /** The connection, password redacted. */
  readonly connection: string;
  readonly version: string;
  readonly database: string;
  readonly user: string;
}

export interface PreflightReport {
  readonly source: ServerSummary;
  readonly target?: ServerSummary;
  readonly scope: MigrationScope;
  readonly tablesInScope: number;
  /** Blockers first, then warnings, then info. */
  readonly findings: readonly Finding[];
}

export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const client = await connect(options.source);
  let sourceFacts: ServerFacts;
  const findings: Finding[] = [];
  let tablesInScope: number;
  try {
    sourceFacts = await readServerFacts(client);
    const tables = await listTables(client, { include: options.scope.tables, exclude: options.scope.excludedTables });
    const context: SourceContext = {
      client,
      facts: sourceFacts,
      scope: options.scope,
      tables,
      columns: await listColumns(client, tables.map((t) => t.oid)),
    };
    tablesInScope = tables.length;
    findings.push(...serverVersionFindings("source", sourceFacts), ...tlsFindings("source", sourceFacts));
    if (tables.length === 0) findings.push(emptyScopeFinding(options.scope));
    if (includesCdc(options.scope.migrationType)) findings.push(...(await cdcFindings(context)));
    findings.push(
      ...selectPrivilegeFindings(context),
      ...tableFindings(context),
      ...dataTypeFindings(context),
      ...(await lobSizeFindings(context, options.scanLobs ?? false)),
      ...sizingFindings(context),
    );
    if (options.testDecoding) findings.push(...(await testDecodingFindings(context)));
  } finally {
    await client.end();
  }

  let target: ServerSummary | undefined;
  if (options.target) {
    const result = await checkTarget(options.target, { createDatabase: options.createTargetDb ?? false, source: sourceFacts });
    findings.push(...result.findings);
    if (result.facts) target = summary(options.target, result.facts);
  }
  return {
    source: summary(options.source, sourceFacts),
    target,
    scope: options.scope,
    tablesInScope,
    findings: sortFindings(findings),
  };
}

function summary(spec: ConnectionSpec, facts: ServerFacts): ServerSummary {
  return { connection: describeConnection(spec), version: facts.version, database: facts.database, user: facts.user };
}

function emptyScopeFinding(scope: MigrationScope): Finding {
  const selectors = scope.tables?.map((t) => `${t.schema}.${t.table}`).join(", ");
  return {
    check: "scope",
    severity: "blocker",
    object: "source",
    detail: selectors ? `no table matches ${selectors}` : "the source database has no user tables",
    fix: "Check the database name in the connection string and the --tables / --schema selection",
  };
}
