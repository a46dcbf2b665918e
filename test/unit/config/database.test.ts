// The database, secrets, simulated source and parameter-name keys: every bad value fails with an
// issue naming the file, the JSON path and what was expected; good values become the right props.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

const DATABASE_FILE = "database.tfvars.json";

function load(files: Record<string, Record<string, unknown>>, base = validThreeVpc(), environment = "dev") {
  tree = variablesTree({ [environment]: { "common.tfvars.json": base, ...files } });
  return loadEnvironments(tree.dir)[0];
}

function issuesFor(files: Record<string, Record<string, unknown>>, base = validThreeVpc(), environment = "dev"): ConfigIssue[] {
  try {
    load(files, base, environment);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

interface BadConfig {
  readonly name: string;
  readonly file: Record<string, unknown>;
  readonly path: string;
  readonly says: RegExp;
  readonly base?: Record<string, unknown>;
  readonly environment?: string;
}

const prod = { environment: "prod" };
const badConfigs: BadConfig[] = [
  { name: "an unknown engine", file: { database: { engine: "mysql" } }, path: "$.database.engine", says: /not an allowed value.*"aurora-postgresql", "postgres"/ },
  { name: "an engine version before PostgreSQL 11", file: { database: { engine_version: "9.6" } }, path: "$.database.engine_version", says: /engine version such as 17\.6/ },
  { name: "an EC2 instance type as the instance class", file: { database: { instance_class: "t3.micro" } }, path: "$.database.instance_class", says: /RDS instance class/ },
  { name: "an identifier with capitals", file: { database: { identifier: "Prod_DB" } }, path: "$.database.identifier", says: /lowercase letters/ },
  { name: "a reserved master user name", file: { database: { master_username: "rdsadmin" } }, path: "$.database.master_username", says: /does not reserve/ },
  { name: "an unknown key", file: { database: { instance_clas: "db.r7g.large" } }, path: "$.database.instance_clas", says: /did you mean "instance_class"/ },
  { name: "an unknown password mode", file: { database: { master_password: "plaintext" } }, path: "$.database.master_password", says: /"generated", "rds_managed"/ },
  { name: "a log retention CloudWatch does not offer", file: { database: { log_retention_days: 10 } }, path: "$.database.log_retention_days", says: /CloudWatch retention periods/ },
  { name: "an enhanced monitoring interval RDS does not offer", file: { database: { monitoring_interval: 2 } }, path: "$.database.monitoring_interval", says: /one of 0, 1, 5, 10, 15, 30, 60 seconds/ },
  { name: "a Performance Insights retention RDS does not offer", file: { database: { performance_insights: { retention_days: 30 } } }, path: "$.database.performance_insights.retention_days", says: /7, 731, or a multiple of 31/ },
  { name: "a backup window that is not a window", file: { database: { backup_window: "3am" } }, path: "$.database.backup_window", says: /03:00-04:00/ },
  { name: "skip_final_snapshot in a protected environment", file: { database: { skip_final_snapshot: true } }, base: { ...validThreeVpc(), ...prod }, environment: "prod", path: "$.database.skip_final_snapshot", says: /protected environment keeps a final snapshot/ },
  { name: "deletion protection off in a protected environment", file: { database: { deletion_protection: false } }, base: { ...validThreeVpc(), protected: true }, path: "$.database.deletion_protection", says: /keeps deletion protection/ },
  { name: "short backups in a protected environment", file: { database: { backup_retention_days: 3 } }, base: { ...validThreeVpc(), protected: true }, path: "$.database.backup_retention_days", says: /7 days of backups.*7 to 35/ },
  { name: "an Aurora cluster without readers in a protected environment", file: { database: { readers: 0 } }, base: { ...validThreeVpc(), protected: true }, path: "$.database.readers", says: /needs a reader/ },
  { name: "a single-AZ RDS instance in a protected environment", file: { database: { engine: "postgres", multi_az: false } }, base: { ...validSingleVpc(), protected: true }, path: "$.database.multi_az", says: /Multi-AZ/ },
  { name: "readers for an RDS instance", file: { database: { engine: "postgres", readers: 1 } }, base: validSingleVpc(), path: "$.database.readers", says: /used only by engine "aurora-postgresql"/ },
  { name: "multi_az for an Aurora cluster", file: { database: { multi_az: true } }, path: "$.database.multi_az", says: /used only by engine "postgres"/ },
  { name: "an upgrade log export from Aurora", file: { database: { log_exports: ["postgresql", "upgrade"] } }, path: "$.database.log_exports", says: /no upgrade log/ },
  { name: "rds.force_ssl in the extra parameters", file: { database: { parameters: { "rds.force_ssl": 0 } } }, path: '$.database.parameters["rds.force_ssl"]', says: /database\.force_ssl instead/ },
  { name: "Serverless v2 minimum above its maximum", file: { database: { serverless_v2: { min_capacity: 8, max_capacity: 4 } } }, path: "$.database.serverless_v2.min_capacity", says: /at most max_capacity \(4\)/ },
  { name: "storage ceiling below the initial storage", file: { database: { engine: "postgres", allocated_storage_gb: 200, max_allocated_storage_gb: 100 } }, base: validSingleVpc(), path: "$.database.max_allocated_storage_gb", says: /at least allocated_storage_gb \(200\)/ },
  { name: "a database port the target hop does not forward", file: { database: { port: 6432 } }, path: "$.database.port", says: /network\.target_hop\.port \(5432\)/ },
  { name: "a simulated source in single_vpc", file: { source: { host: "db.example.com", simulated: { enabled: true } } }, base: validSingleVpc(), path: "$.source.simulated.enabled", says: /three_vpc/ },
  { name: "a simulated source with IP targets too", file: { source: { ip_addresses: ["192.168.1.10"], simulated: { enabled: true } } }, path: "$.source.ip_addresses", says: /registers its own address/ },
  { name: "a short secret recovery window in a protected environment", file: { secrets: { recovery_window_days: 7 } }, base: { ...validThreeVpc(), protected: true }, path: "$.secrets.recovery_window_days", says: /30/ },
  { name: "a recovery window Secrets Manager does not offer", file: { secrets: { recovery_window_days: 3 } }, path: "$.secrets.recovery_window_days", says: /0 \(delete at once\) or 7 to 30/ },
  { name: "an absolute parameter name", file: { parameters: { names: { db_user: "/abs/db_user" } } }, path: "$.parameters.names.db_user", says: /relative to parameters\.path/ },
  { name: "two entries with one parameter name", file: { parameters: { names: { db_user: "database_name" } } }, path: "$.parameters.names.db_user", says: /same name as parameters\.names\.database_name/ },
  { name: "a minor version pinned with automatic minor upgrades", file: { database: { engine_version: "17.6" } }, path: "$.database.engine_version", says: /downgrade.*"17\.6".*major version only \("17"\), or auto_minor_version_upgrade: false/ },
  { name: "a source IP outside the source VPC with nothing routing there", file: { source: { ip_addresses: ["10.200.4.21"] } }, path: "$.source.ip_addresses", says: /outside the source VPC.*10\.200\.4\.21.*network\.source_gateway/ },
  { name: "a source gateway naming two gateways", file: { network: { source_gateway: { transit_gateway_id: "tgw-0123456789abcdef0", vpn_gateway_id: "vgw-0123456789abcdef0" } } }, path: "$.network.source_gateway", says: /exactly one of transit_gateway_id or vpn_gateway_id/ },
  { name: "a KMS key that is not a key ARN", file: { secrets: { kms_key_arn: "alias/mine" } }, path: "$.secrets.kms_key_arn", says: /KMS key ARN/ },
];

describe("database config: bad values", () => {
  for (const bad of badConfigs) {
    it(`rejects ${bad.name}`, () => {
      const issues = issuesFor({ [DATABASE_FILE]: bad.file }, bad.base, bad.environment);
      const issue = issues.find((candidate) => candidate.path === bad.path && bad.says.test([candidate.message, candidate.found, candidate.expected].join(" | ")));
      expect(issue, `no matching issue at ${bad.path}; got ${JSON.stringify(issues, null, 2)}`).toBeDefined();
      expect(issue!.file).toMatch(new RegExp(`${bad.environment ?? "dev"}[\\\\/]${DATABASE_FILE.replace(/\./g, "\\.")}$`));
      expect(issue!.expected).toBeTruthy();
    });
  }
});

describe("database config: good values", () => {
  it("defaults to a current Aurora cluster with generated credentials and the blog's parameter names", () => {
    const { props } = load({});
    const database = props.database!;
    expect(database.target).toMatchObject({
      engine: "aurora-postgresql",
      engineVersion: "17",
      instanceClass: "db.t4g.medium",
      identifier: "dms-lz-dev-db",
      readers: 0,
      deletionProtection: false,
      preventDestroy: false,
      skipFinalSnapshot: false,
      forceSsl: true,
      masterPassword: { mode: "generated", version: 1 },
      targetSyncSchedule: "rate(1 minute)",
    });
    expect(database.secrets).toEqual({ kmsKeyArn: undefined, namePrefix: "dms-lz/dev", recoveryWindowDays: 7, secretKeyVersion: 1 });
    expect(database.parameterNames).toEqual({ databaseEndpoint: "database_endpoint", databasePort: "database_port", databaseName: "database_name", dbUser: "db_user", dbSecretArn: "db_secret_arn", secretKey: "secret_key" });
    expect(database.source.simulated).toBeUndefined();
  });

  it("protects a protected environment: deletion protection, prevent_destroy, a reader, 30-day recovery window", () => {
    const { props } = load({ [DATABASE_FILE]: { database: { backup_retention_days: 14 } } }, { ...validThreeVpc(), environment: "prod" }, "prod");
    expect(props.database!.target).toMatchObject({ deletionProtection: true, preventDestroy: true, readers: 1, skipFinalSnapshot: false, applyImmediately: false, backupRetentionDays: 14 });
    expect(props.database!.secrets.recoveryWindowDays).toBe(30);
  });

  it("maps an RDS instance, Multi-AZ when protected, following minor versions by default", () => {
    const { props } = load({ [DATABASE_FILE]: { database: { engine: "postgres", master_password: "rds_managed" } } }, { ...validSingleVpc(), protected: true }, "blog");
    expect(props.database!.target).toMatchObject({ engine: "postgres", engineVersion: "17", multiAz: true, readers: undefined, masterPassword: { mode: "rds_managed" } });
  });

  it("maps the simulated source with logical replication left to the stack and its own identifier", () => {
    const { props } = load({ "source.tfvars.json": { source: { database_name: "demo_db", simulated: { enabled: true, engine: "postgres", instance_class: "db.t4g.small" } } } });
    expect(props.database!.source.simulated).toMatchObject({ engine: "postgres", identifier: "dms-lz-dev-source", engineVersion: "17", instanceClass: "db.t4g.small", databaseName: "demo_db", masterUsername: "postgres", passwordVersion: 1, logExports: ["postgresql"] });
  });

  it("derives identifiers RDS accepts from the environment name (a directory like Blog_Env is refused by the name rule)", () => {
    const { props } = load({}, validSingleVpc(), "blog-env");
    expect(props.database!.target!.identifier).toBe("dms-lz-blog-env-db");
  });

  it("leaves the target out when disabled", () => {
    expect(load({ [DATABASE_FILE]: { database: { enabled: false } } }).props.database!.target).toBeUndefined();
  });
});
