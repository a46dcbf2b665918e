// A DMS source or target endpoint for PostgreSQL (RDS, Aurora, self-managed) or a SQL Server
// source. Credentials come only from Secrets Manager: the endpoint carries the secret's ARN and the
// role DMS assumes to read it, never a user name or password. With a secret, DMS takes the host and
// port from the secret too (the API refuses both at once), so `serverName`/`port` are not set on
// the endpoint: they are what the secret's `host`/`port` must hold, published for checking.
// TLS is always on: `verify-ca`/`verify-full` with a certificate (the stack wiring gives its own
// databases the RDS CA), `require` (encrypted, the server not authenticated) when nothing else is said.
import { DmsCertificate } from "@cdktf/provider-aws/lib/dms-certificate";
import { DmsEndpoint, DmsEndpointPostgresSettings } from "@cdktf/provider-aws/lib/dms-endpoint";
import { Construct } from "constructs";
import { refuseProblems } from "../core/construct-error.js";

export type EndpointEngine = "postgres" | "aurora-postgresql" | "sqlserver";
export type EndpointType = "source" | "target";
export type EndpointSslMode = "require" | "verify-ca" | "verify-full";

/**
 * The strongest TLS mode that can work when the server's CA is known: verify-full, or verify-ca
 * through a PrivateLink hop, whose vpce- DNS name no certificate holds (SQL Server has no
 * verify-ca, so it stays on verify-full).
 */
export function authenticatingSslMode(throughHop: boolean, engine: string | undefined): "verify-ca" | "verify-full" {
  return throughHop && engine !== "sqlserver" ? "verify-ca" : "verify-full";
}

/** DMS's PostgreSQL endpoint settings (provider block `postgres_settings`), camelCase. */
export interface PostgresEndpointSettings {
  /** Write a heartbeat so an idle source's WAL does not pile up behind the slot (CDC). */
  readonly heartbeatEnable?: boolean;
  /** Minutes between heartbeats. */
  readonly heartbeatFrequency?: number;
  readonly heartbeatSchema?: string;
  /** An existing logical replication slot (needed to start CDC from a position). */
  readonly slotName?: string;
  readonly pluginName?: "pglogical" | "test_decoding";
  /** Capture DDL with an event trigger (DMS creates it on the source). */
  readonly captureDdls?: boolean;
  readonly ddlArtifactsSchema?: string;
  /** Client statement timeout, seconds. */
  readonly executeTimeout?: number;
  readonly failTasksOnLobTruncation?: boolean;
  readonly mapBooleanAsBoolean?: boolean;
  readonly mapJsonbAsClob?: boolean;
  readonly mapLongVarcharAs?: "wstring" | "clob" | "nclob";
  /** KB per CSV file when loading a PostgreSQL target. */
  readonly maxFileSize?: number;
  readonly afterConnectScript?: string;
  readonly databaseMode?: "default" | "babelfish";
  readonly babelfishDatabaseName?: string;
}

/**
 * How changes are read from a SQL Server source:
 * `ms-cdc` (MS-CDC on the database and every table; Enterprise/Developer editions),
 * `ms-replication` (transactional replication; any edition; sysadmin for DMS to set it up),
 * `full-load-only` (no change capture, e.g. a reporting copy reloaded on a schedule).
 */
export type SqlServerCapture = "ms-cdc" | "ms-replication" | "full-load-only";

export interface SqlServerSourceSettings {
  readonly capture: SqlServerCapture;
  /**
   * Where SQL Server runs: `self-managed` (on premises or EC2) or `rds` (Amazon RDS for SQL
   * Server, which has no MS-Replication and grants no sysadmin).
   * @default "self-managed"
   */
  readonly platform?: "self-managed" | "rds";
  /**
   * Let DMS (3.4.7+) enable MS-CDC on the database and every table itself (`SetUpMsCdcForTables`);
   * its login must then be sysadmin. Off: MS-CDC is enabled beforehand (docs/dms.md).
   * @default false
   */
  readonly setUpMsCdcForTables?: boolean;
  /**
   * How DMS keeps the transaction log from being truncated under it.
   * @default DMS's default (rely-on-sql-server-replication-agent)
   */
  readonly safeguardPolicy?: "rely-on-sql-server-replication-agent" | "exclusive-automatic-truncation" | "shared-automatic-truncation";
  /** Read changes from log backups only (smaller active log, more latency). @default false */
  readonly readBackupOnly?: boolean;
}

/** A SQL Server choice AWS refuses, with the setting that carries it (`capture`, `setUpMsCdcForTables`). */
export interface SqlServerProblem {
  readonly setting: "capture" | "setUpMsCdcForTables";
  readonly message: string;
  readonly expected: string;
}

/**
 * The SQL Server capture combinations AWS refuses ("Capturing data changes for ongoing
 * replication from SQL Server", DMS user guide): RDS for SQL Server has no MS-Replication, and it
 * grants no sysadmin, which DMS needs to enable MS-CDC itself (SetUpMsCdcForTables). The one home of
 * these rules: the construct refuses them and config reports them at their JSON paths.
 */
export function sqlServerProblems(settings: SqlServerSourceSettings): SqlServerProblem[] {
  const problems: SqlServerProblem[] = [];
  const rds = settings.platform === "rds";
  if (rds && settings.capture === "ms-replication") {
    problems.push({ setting: "capture", message: "Amazon RDS for SQL Server does not support MS-Replication; DMS reads every table through MS-CDC there", expected: '"ms-cdc" (after msdb.dbo.rds_cdc_enable_db and sys.sp_cdc_enable_table) or "full-load-only"' });
  }
  if (settings.setUpMsCdcForTables && rds) {
    problems.push({ setting: "setUpMsCdcForTables", message: "DMS enables MS-CDC itself only as sysadmin, which Amazon RDS for SQL Server never grants", expected: "false, with MS-CDC enabled by the master user (msdb.dbo.rds_cdc_enable_db, sys.sp_cdc_enable_table)" });
  }
  if (settings.setUpMsCdcForTables && settings.capture === "full-load-only") {
    problems.push({ setting: "setUpMsCdcForTables", message: "a full-load-only source captures no changes, so there is no MS-CDC to set up", expected: 'false, or capture "ms-cdc" / "ms-replication"' });
  }
  return problems;
}

const SAFEGUARD_POLICY_ATTRIBUTE = {
  "rely-on-sql-server-replication-agent": "RELY_ON_SQL_SERVER_REPLICATION_AGENT",
  "exclusive-automatic-truncation": "EXCLUSIVE_AUTOMATIC_TRUNCATION",
  "shared-automatic-truncation": "SHARED_AUTOMATIC_TRUNCATION",
} as const;

export interface DatabaseEndpointProps {
  /** DMS endpoint identifier. */
  readonly endpointId: string;
  readonly endpointType: EndpointType;
  readonly engine: EndpointEngine;
  readonly databaseName: string;
  /** Secrets Manager secret with username, password, host and port. */
  readonly secretArn: string;
  /** Role DMS assumes to read the secret. */
  readonly accessRoleArn: string;
  /** The host DMS must reach (hop DNS name, database address or external host); the secret's `host`. */
  readonly serverName: string;
  /** The port DMS must reach; the secret's `port`. */
  readonly port: number;
  /** @default "require" */
  readonly sslMode?: EndpointSslMode;
  /** PEM of the CA that signed the server certificate (verify-ca / verify-full). */
  readonly certificatePem?: string;
  /** An existing DMS certificate instead of `certificatePem`. */
  readonly certificateArn?: string;
  /**
   * KMS key of the endpoint's stored connection data.
   * @default the AWS managed key for DMS (DmsMigration passes its own customer managed key)
   */
  readonly kmsKeyArn?: string;
  /** PostgreSQL engines only. */
  readonly postgres?: PostgresEndpointSettings;
  /** SQL Server sources only (required for them). */
  readonly sqlServer?: SqlServerSourceSettings;
}

export class DatabaseEndpoint extends Construct {
  readonly endpoint: DmsEndpoint;
  readonly certificate?: DmsCertificate;
  readonly endpointId: string;
  readonly endpointType: EndpointType;
  readonly engine: EndpointEngine;
  readonly serverName: string;
  readonly port: number;
  readonly sqlServerCapture?: SqlServerCapture;

  constructor(scope: Construct, id: string, props: DatabaseEndpointProps) {
    super(scope, id);
    const problems = endpointProblems(props);
    refuseProblems(this, problems);
    this.endpointId = props.endpointId;
    this.endpointType = props.endpointType;
    this.engine = props.engine;
    this.serverName = props.serverName;
    this.port = props.port;
    this.sqlServerCapture = props.sqlServer?.capture;

    const sslMode = props.sslMode ?? "require";
    if (props.certificatePem !== undefined) {
      this.certificate = new DmsCertificate(this, "certificate", { certificateId: `${props.endpointId}-ca`, certificatePem: props.certificatePem });
    }
    this.endpoint = new DmsEndpoint(this, "endpoint", {
      endpointId: props.endpointId,
      endpointType: props.endpointType,
      engineName: props.engine,
      databaseName: props.databaseName,
      secretsManagerArn: props.secretArn,
      secretsManagerAccessRoleArn: props.accessRoleArn,
      sslMode,
      certificateArn: this.certificate?.certificateArn ?? props.certificateArn,
      kmsKeyArn: props.kmsKeyArn,
      postgresSettings: props.postgres ? postgresSettings(props.postgres) : undefined,
      extraConnectionAttributes: props.sqlServer ? sqlServerAttributes(props.sqlServer) : undefined,
      tags: { Name: props.endpointId },
    });
  }

  get arn(): string {
    return this.endpoint.endpointArn;
  }
}

function endpointProblems(props: DatabaseEndpointProps): string[] {
  const problems: string[] = [];
  const sslMode = props.sslMode ?? "require";
  if (props.engine === "sqlserver") {
    if (props.endpointType !== "source") problems.push("SQL Server is supported as a source only");
    if (!props.sqlServer) problems.push("a SQL Server source needs sqlServer settings (the capture method)");
    if (props.postgres) problems.push("postgres settings apply to PostgreSQL engines only");
    if (sslMode === "verify-ca") problems.push("DMS supports require or verify-full for SQL Server, not verify-ca");
    if (props.sqlServer) problems.push(...sqlServerProblems(props.sqlServer).map((problem) => problem.message));
  } else if (props.sqlServer) {
    problems.push("sqlServer settings apply to SQL Server sources only");
  }
  if (sslMode !== "require" && props.certificatePem === undefined && props.certificateArn === undefined) {
    problems.push(`ssl mode ${sslMode} needs the CA certificate (certificatePem or certificateArn)`);
  }
  if (props.certificatePem !== undefined && props.certificateArn !== undefined) problems.push("give certificatePem or certificateArn, not both");
  return problems;
}

function postgresSettings(settings: PostgresEndpointSettings): DmsEndpointPostgresSettings {
  return {
    heartbeatEnable: settings.heartbeatEnable,
    heartbeatFrequency: settings.heartbeatFrequency,
    heartbeatSchema: settings.heartbeatSchema,
    slotName: settings.slotName,
    pluginName: settings.pluginName,
    captureDdls: settings.captureDdls,
    ddlArtifactsSchema: settings.ddlArtifactsSchema,
    executeTimeout: settings.executeTimeout,
    failTasksOnLobTruncation: settings.failTasksOnLobTruncation,
    mapBooleanAsBoolean: settings.mapBooleanAsBoolean,
    mapJsonbAsClob: settings.mapJsonbAsClob,
    mapLongVarcharAs: settings.mapLongVarcharAs,
    maxFileSize: settings.maxFileSize,
    afterConnectScript: settings.afterConnectScript,
    databaseMode: settings.databaseMode,
    babelfishDatabaseName: settings.babelfishDatabaseName,
  };
}

/**
 * The provider line this project supports (5.100) has no SQL Server settings block, so the SQL
 * Server choices travel as extra connection attributes, which DMS maps to the same settings. MS-CDC
 * on a self-managed server also needs `ignoreMsReplicationEnablement`, or DMS tries to enable
 * MS-Replication for tables with primary keys (AWS's premigration assessment
 * sqlserver-check-attribute-for-enable-ms-cdc-onprem checks for it); RDS has no MS-Replication to skip.
 */
function sqlServerAttributes(settings: SqlServerSourceSettings): string | undefined {
  const attributes: string[] = [];
  if (settings.capture === "ms-cdc" && settings.platform !== "rds") attributes.push("ignoreMsReplicationEnablement=true");
  if (settings.setUpMsCdcForTables) attributes.push("SetUpMsCdcForTables=true");
  if (settings.safeguardPolicy) attributes.push(`safeguardPolicy=${SAFEGUARD_POLICY_ATTRIBUTE[settings.safeguardPolicy]}`);
  if (settings.readBackupOnly) attributes.push("readBackupOnly=Y");
  return attributes.length > 0 ? `${attributes.join(";")};` : undefined;
}
