// Facts about one server and the connecting role, read once and shared by the checks.
import type pg from "pg";
import { displayVersion } from "../../modules/dms/dms-versions.js";

export interface ServerFacts {
  readonly versionNum: number;
  /** "15.8" */
  readonly version: string;
  readonly user: string;
  /** The role name quoted for SQL by the server's quote_ident, for fix text. */
  readonly userSql: string;
  readonly database: string;
  readonly superuser: boolean;
  readonly replicationRole: boolean;
  /** Member of RDS's rds_replication role (false where that role does not exist). */
  readonly rdsReplication: boolean;
  /** Amazon RDS or Aurora: rds.* parameters exist. */
  readonly rds: boolean;
  readonly aurora: boolean;
  /** Whether this connection is encrypted. */
  readonly connectionTls: boolean;
  /** Server settings by name; absent when the server does not have the setting. */
  readonly settings: ReadonlyMap<string, string>;
}

const SETTINGS = [
  "wal_level",
  "max_replication_slots",
  "max_wal_senders",
  "wal_sender_timeout",
  "ssl",
  "rds.logical_replication",
  "rds.force_ssl",
  "server_encoding",
];

export async function readServerFacts(client: pg.Client): Promise<ServerFacts> {
  const { rows } = await client.query(
    `SELECT current_setting('server_version_num')::int AS version_num, current_user AS "user", quote_ident(current_user) AS user_sql,
            current_database() AS database, r.rolsuper AS superuser, r.rolreplication AS replication_role,
            CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication')
                 THEN pg_has_role('rds_replication', 'member') ELSE false END AS rds_replication,
            EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'aurora_version') AS aurora,
            COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS connection_tls
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const settingRows = (await client.query("SELECT name, setting FROM pg_settings WHERE name = ANY($1)", [SETTINGS])).rows;
  const settings = new Map<string, string>(settingRows.map((row) => [row.name, row.setting]));
  const facts = rows[0];
  return {
    versionNum: facts.version_num,
    version: displayVersion(facts.version_num),
    user: facts.user,
    userSql: facts.user_sql,
    database: facts.database,
    superuser: facts.superuser,
    replicationRole: facts.replication_role,
    rdsReplication: facts.rds_replication,
    rds: settings.has("rds.logical_replication") || settings.has("rds.force_ssl"),
    aurora: facts.aurora,
    connectionTls: facts.connection_tls,
    settings,
  };
}
