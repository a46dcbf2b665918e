// The target database, its credentials and the application's Parameter Store tree, wired into an
// environment: which groups may reach the database, which logins the database-logins function
// keeps (DMS, the application, the CSV loader) and which host each login's secret names, which hop
// targets the sync Lambda keeps in step. The environment stack calls `wireDatabase` once.
// Terraform makes no password: RDS manages the master's, the function every other login's.
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AuroraPostgresCluster, AuroraPostgresClusterProps } from "../modules/database/aurora-postgres-cluster.js";
import { HopTargetSync, HopTargetSyncTarget } from "../modules/database/hop-target-sync.js";
import { PostgresDatabase, PostgresEngine } from "../modules/database/postgres-database.js";
import { RdsPostgresInstance, RdsPostgresInstanceProps } from "../modules/database/rds-postgres-instance.js";
import { MigrationNetwork } from "../modules/network/migration-network.js";
import { NetworkVpc } from "../modules/network/network-vpc.js";
import { PrivateLinkHop } from "../modules/network/privatelink-hop.js";
import { ConstructError } from "../modules/core/construct-error.js";
import { DatabaseUsers } from "../modules/database/database-users.js";
import type { LoadTable } from "../modules/database/db-users/config.js";
import { ApplicationConfigAccess } from "../modules/secrets/application-config-access.js";
import { DatabaseSecret } from "../modules/secrets/database-secret.js";
import { DmsCredentials, DmsSecretsAccessRole } from "../modules/secrets/dms-secrets-access-role.js";
import { EncryptionKey } from "../modules/secrets/encryption-key.js";
import { ParameterTree } from "../modules/secrets/parameter-tree.js";

/** Everything about one database server but its VPC and master secret key. */
export type DatabaseSettings = Omit<AuroraPostgresClusterProps, "vpc" | "masterUserSecretKmsKeyArn"> &
  Pick<RdsPostgresInstanceProps, "multiAz" | "allocatedStorageGb" | "maxAllocatedStorageGb"> & { readonly engine: PostgresEngine };

export interface TargetDatabaseProps extends DatabaseSettings {
  /** EventBridge schedule of the hop target sync (three_vpc). */
  readonly targetSyncSchedule: string;
}

export interface SourceDatabaseProps {
  /** A simulated source in the source VPC (three_vpc, the "source" source only); otherwise the source is external. */
  readonly simulated?: DatabaseSettings;
  /** External source's host name (single_vpc, or three_vpc over an existing network path). */
  readonly host?: string;
  readonly port: number;
  readonly databaseName: string;
  readonly username: string;
  /** three_vpc: reached through its own hop (the network's `sourceHops[key]`), not by `host`. */
  readonly throughHop: boolean;
  /**
   * Networks of the server the DMS group may reach on `port` (an existing path to a further source).
   * @default none (the "source" source's egress comes from dms.source_egress_cidrs or its hop)
   */
  readonly networkCidrs?: readonly string[];
}

/** The key of the aws-samples `source` section among the sources (its resources keep their addresses). */
export const PRIMARY_SOURCE_KEY = "source";

/** Names of the database entries under the parameter path. */
export interface ParameterNames {
  readonly databaseEndpoint: string;
  readonly databasePort: string;
  readonly databaseName: string;
  readonly dbUser: string;
  readonly dbSecretArn: string;
  readonly secretKey: string;
}

export interface DatabaseStackProps {
  /** @default no target database: the parameter tree and the secret key only */
  readonly target?: TargetDatabaseProps;
  /** Every source by key; "source" is the aws-samples source section. */
  readonly sources: Readonly<Record<string, SourceDatabaseProps>>;
  readonly secrets: {
    /** @default a key the stack creates */
    readonly kmsKeyArn?: string;
    /** Secret names start `<namePrefix>/<login>-` (`dms-user-`, `app-user-`, `csv-loader-`, `dms-source-`). */
    readonly namePrefix: string;
    readonly recoveryWindowDays: number;
  };
  readonly parameterNames: ParameterNames;
}

export interface DatabaseWiringContext {
  readonly props: DatabaseStackProps;
  readonly network: MigrationNetwork;
  readonly region: string;
  /** `<project>-<environment>`. */
  readonly namePrefix: string;
  readonly protected: boolean;
  readonly parameterPath: string;
  readonly application?: { readonly roleName: string; readonly securityGroupId?: string };
  /** The CSV pipeline's loads, when it is enabled: the CSV loader login is granted exactly these. */
  readonly csvLoads?: readonly LoadTable[];
}

/** Role names of the logins the function makes in the target database (and the simulated source). */
export const LOGIN_NAMES = { dmsTarget: "dms_user", application: "app_user", csvLoader: "csv_loader", dmsSource: "dms_source" } as const;

/** A login secret the application and the CSV pipeline read (host: the database's writer). */
export interface DatabaseSecretRef {
  readonly secretArn: string;
  readonly kmsKeyArn: string;
}

export interface DatabaseWiring {
  readonly database?: PostgresDatabase;
  /** The target's logins function and its secrets. */
  readonly logins?: DatabaseUsers;
  /** The CSV loader's login (host: the writer), when the CSV pipeline is enabled. */
  readonly csvLoaderSecret?: DatabaseSecretRef;
  readonly simulatedSource?: PostgresDatabase;
  readonly dmsCredentials?: DmsCredentials;
  readonly databaseSecret?: DatabaseSecretRef;
  readonly parameters: ParameterTree;
  readonly secretsKey: EncryptionKey;
  readonly hopTargetSync?: HopTargetSync;
}

export function wireDatabase(scope: Construct, context: DatabaseWiringContext): DatabaseWiring {
  const props = context.props;
  const secretsKey = new EncryptionKey(scope, "secrets_encryption", {
    alias: `${context.namePrefix}-secrets`,
    description: `${context.namePrefix}: database secrets and SecureString parameters`,
    existingKeyArn: props.secrets.kmsKeyArn,
    preventDestroy: context.protected,
  });
  const parameters = new ParameterTree(scope, "parameters", { path: context.parameterPath, kmsKeyArn: secretsKey.arn });
  new TerraformOutput(scope, "parameter_path", { value: parameters.path, description: "Parameter Store path of the application's configuration" });

  const wiring: DatabaseWiring = props.target ? { ...wireTarget(scope, context, props.target, secretsKey, parameters), parameters, secretsKey } : { parameters, secretsKey };
  if (context.application) {
    new ApplicationConfigAccess(scope, "application_config_access", {
      roleName: context.application.roleName,
      policyName: `${context.namePrefix}-application-config`,
      parameters,
      secrets: wiring.databaseSecret ? [wiring.databaseSecret] : [],
    });
    if (wiring.database && context.application.securityGroupId) {
      wiring.database.allowFromGroupId("application", context.application.securityGroupId, "The application's instances to the database");
    }
  }
  return wiring;
}

function wireTarget(scope: Construct, context: DatabaseWiringContext, target: TargetDatabaseProps, secretsKey: EncryptionKey, parameters: ParameterTree): Omit<DatabaseWiring, "parameters" | "secretsKey"> {
  const { props, network } = context;
  const database = buildDatabase(scope, "database", target, network.targetVpc, secretsKey.arn);
  if (network.topology === "single_vpc") {
    database.allowFrom("dms", network.dmsSecurityGroup, "DMS to the target database");
    if (network.workstation) database.allowFrom("workstation", network.workstation.securityGroup, "Workstation to the target database");
  }
  network.targetHop?.allowTargetGroup("database", database.securityGroup);

  const names = props.parameterNames;
  // Stacks before the logins function wrote the secret key from Terraform: forget that parameter
  // without destroying it, so the function finds it and keeps the value the application uses.
  TerraformStack.of(scope).addOverride("removed", [{ from: "aws_ssm_parameter.parameters_secret_key", lifecycle: { destroy: false } }]);
  const logins = new DatabaseUsers(scope, "database_logins", {
    functionName: `${context.namePrefix}-database-logins`,
    database,
    vpc: network.targetVpc,
    serviceEndpoints: network.targetServiceEndpoints(),
    secretNamePrefix: props.secrets.namePrefix,
    kmsKeyArn: secretsKey.arn,
    recoveryWindowDays: props.secrets.recoveryWindowDays,
    preventDestroy: context.protected,
    logRetentionDays: target.logRetentionDays,
    // The CSV pipeline lets the database import from its inbox (aws_s3.table_import_from_s3).
    extensions: context.csvLoads ? ["aws_s3"] : [],
    randomParameters: [{ name: parameters.parameterName(names.secretKey), arn: parameters.parameterArn(names.secretKey) }],
    logins: [
      // DMS reaches the target through the target hop in three_vpc, directly in single_vpc.
      { kind: "dms_target", username: LOGIN_NAMES.dmsTarget, description: "DMS target endpoint login", secretHost: network.targetHop?.serverName },
      { kind: "application", username: LOGIN_NAMES.application, description: "The application's database login" },
      ...(context.csvLoads ? [{ kind: "csv_loader" as const, username: LOGIN_NAMES.csvLoader, description: "The CSV pipeline's database login", tables: context.csvLoads }] : []),
    ],
  });
  const databaseSecret: DatabaseSecretRef = { secretArn: logins.secretArn("application"), kmsKeyArn: secretsKey.arn };
  const csvLoaderSecret: DatabaseSecretRef | undefined = context.csvLoads ? { secretArn: logins.secretArn("csv_loader"), kmsKeyArn: secretsKey.arn } : undefined;

  const { simulatedSource, dmsSource } = wireSource(scope, context, secretsKey);
  // Every further source has its own secret: one login, one secret, whatever engine it runs.
  const sourceSecrets: Record<string, { readonly secretArn: string }> = { [PRIMARY_SOURCE_KEY]: dmsSource, ...wireAdditionalSources(scope, context, secretsKey) };
  const sourceSecretArns = Object.values(sourceSecrets).map((secret) => secret.secretArn);

  const dmsTargetSecretArn = logins.secretArn("dms_target");
  const accessRole = new DmsSecretsAccessRole(scope, "dms_secrets_access", {
    roleName: `${context.namePrefix}-dms-secrets`,
    region: context.region,
    secretArns: [...sourceSecretArns, dmsTargetSecretArn],
    kmsKeyArn: secretsKey.arn,
  });
  const dmsCredentials: DmsCredentials = {
    sources: sourceSecrets,
    target: { secretArn: dmsTargetSecretArn },
    accessRoleArn: accessRole.arn,
    kmsKeyArn: secretsKey.arn,
  };

  // The workstation connects with the same logins DMS and the application use (docs/migrate.md).
  network.workstation?.grantReadSecrets("database_secrets", [
    ...sourceSecretArns.map((secretArn) => ({ secretArn, kmsKeyArn: secretsKey.arn })),
    { secretArn: dmsTargetSecretArn, kmsKeyArn: secretsKey.arn },
    databaseSecret,
  ]);

  parameters.addString(names.databaseEndpoint, database.address, "Host name of the database writer");
  parameters.addString(names.databasePort, String(database.port), "Database port");
  parameters.addString(names.databaseName, database.databaseName, "Database name");
  parameters.addString(names.dbUser, LOGIN_NAMES.application, "Database user");
  parameters.addString(names.dbSecretArn, databaseSecret.secretArn, "Secrets Manager secret holding the database login");

  const hopTargetSync = network.targetHop ? wireHopTargetSync(scope, context, target, database, simulatedSource) : undefined;

  const output = (id: string, value: string | number, description: string) => new TerraformOutput(scope, id, { value, description });
  output("database_endpoint", database.address, "Writer endpoint of the target database");
  output("database_port", database.port, "Port of the target database");
  output("database_name", database.databaseName, "Database the migration lands in");
  output("database_secret_arn", databaseSecret.secretArn, "Secret with the application's database login");
  output("database_master_secret_arn", database.masterUserSecretArn, "RDS's secret of the master login (for administrators; no application uses it)");
  output("dms_source_secret_arn", dmsSource.secretArn, "Secret of the DMS source endpoint");
  output("dms_target_secret_arn", dmsTargetSecretArn, "Secret of the DMS target endpoint");
  output("dms_secrets_access_role_arn", accessRole.arn, "Role DMS assumes to read its endpoint secrets");
  output("database_logins_function_name", logins.function.functionName, "Creates the logins and writes their secrets; invoke it again after creating tables the CSV loader needs");
  return { database, logins, simulatedSource, dmsCredentials, databaseSecret, csvLoaderSecret, hopTargetSync };
}

/** The simulated source (three_vpc) with its DMS login, or the empty secret of an external source. */
function wireSource(scope: Construct, context: DatabaseWiringContext, secretsKey: EncryptionKey): { simulatedSource?: PostgresDatabase; dmsSource: { readonly secretArn: string } } {
  const { network } = context;
  const source = context.props.sources[PRIMARY_SOURCE_KEY];
  const secrets = context.props.secrets;
  if (source.simulated && network.sourceHop && network.sourceVpc && network.sourceServiceEndpoints) {
    const simulatedSource = buildDatabase(scope, "simulated_source", { ...source.simulated, logicalReplication: true }, network.sourceVpc, secretsKey.arn);
    network.sourceHop.allowTargetGroup("simulated_source", simulatedSource.securityGroup);
    const logins = new DatabaseUsers(scope, "simulated_source_logins", {
      functionName: `${context.namePrefix}-source-logins`,
      database: simulatedSource,
      vpc: network.sourceVpc,
      serviceEndpoints: network.sourceServiceEndpoints(),
      secretNamePrefix: secrets.namePrefix,
      kmsKeyArn: secretsKey.arn,
      recoveryWindowDays: secrets.recoveryWindowDays,
      preventDestroy: context.protected,
      logRetentionDays: source.simulated.logRetentionDays,
      logins: [{ kind: "dms_source", username: LOGIN_NAMES.dmsSource, description: "DMS source endpoint login of the simulated source", secretHost: network.sourceHop.serverName }],
    });
    new TerraformOutput(scope, "simulated_source_endpoint", { value: simulatedSource.address, description: "Writer endpoint of the simulated source (in the source VPC)" });
    return { simulatedSource, dmsSource: { secretArn: logins.secretArn("dms_source") } };
  }
  const dmsSource = new DatabaseSecret(scope, "dms_source_credentials", {
    namePrefix: `${secrets.namePrefix}/dms-source`,
    description: "DMS source endpoint login: its value is set outside Terraform (see docs/database.md)",
    kmsKeyArn: secretsKey.arn,
    recoveryWindowDays: secrets.recoveryWindowDays,
    preventDestroy: context.protected,
  });
  // Everything the source secret needs but the password, for the one command that sets it.
  new TerraformOutput(scope, "dms_source_secret_template", {
    value: { username: source.username, host: network.sourceHop ? network.sourceHop.serverName : (source.host ?? ""), port: source.port, dbname: source.databaseName },
    description: "The DMS source secret's JSON without the password; see docs/database.md",
  });
  return { dmsSource };
}

/**
 * The secrets of the sources besides "source", by key: empty, their value (with the password) set
 * outside Terraform like an external source's (docs/database.md); the template output names the
 * host DMS must reach: the source's own hop in three_vpc, or its host over an existing path.
 */
function wireAdditionalSources(scope: Construct, context: DatabaseWiringContext, secretsKey: EncryptionKey): Record<string, { readonly secretArn: string }> {
  const secrets = context.props.secrets;
  const entries = Object.entries(context.props.sources).filter(([key]) => key !== PRIMARY_SOURCE_KEY);
  if (entries.length === 0) return {};
  const templates: Record<string, unknown> = {};
  const result: Record<string, { readonly secretArn: string }> = {};
  for (const [key, source] of entries) {
    const secret = new DatabaseSecret(scope, `dms_source_${key.replace(/-/g, "_")}_credentials`, {
      namePrefix: `${secrets.namePrefix}/dms-source-${key}`,
      description: `DMS source endpoint login of source ${key}: its value is set outside Terraform (see docs/database.md)`,
      kmsKeyArn: secretsKey.arn,
      recoveryWindowDays: secrets.recoveryWindowDays,
      preventDestroy: context.protected,
    });
    const hop = source.throughHop ? context.network.sourceHops?.[key] : undefined;
    if (source.throughHop && !hop) throw new ConstructError(scope, `source ${key} is reached through its own hop, but the network has none for it`);
    templates[key] = { secret_arn: secret.secretArn, username: source.username, host: hop ? hop.serverName : (source.host ?? ""), port: source.port, dbname: source.databaseName };
    result[key] = { secretArn: secret.secretArn };
  }
  new TerraformOutput(scope, "dms_additional_source_secrets", {
    value: templates,
    description: "Each further source's DMS secret and its JSON without the password, by source key; see docs/database.md",
  });
  return result;
}

/** The Lambda that keeps the hops' target groups on the writers (three_vpc). */
function wireHopTargetSync(scope: Construct, context: DatabaseWiringContext, target: TargetDatabaseProps, database: PostgresDatabase, simulatedSource?: PostgresDatabase): HopTargetSync {
  const { network } = context;
  const hops: [PostgresDatabase | undefined, string, PrivateLinkHop | undefined][] = [
    [database, "target", network.targetHop],
    [simulatedSource, "simulated_source", network.sourceHop],
  ];
  const targets: HopTargetSyncTarget[] = hops.flatMap(([db, name, hop]) =>
    db && hop ? [{ name, targetGroupArn: hop.targetGroup.arn, hostName: db.address, port: db.port, eventSourceIdentifiers: db.eventSourceIdentifiers }] : [],
  );
  return new HopTargetSync(scope, "hop_target_sync", {
    functionName: `${context.namePrefix}-hop-target-sync`,
    vpc: network.targetVpc,
    serviceEndpoints: network.targetServiceEndpoints(),
    targets,
    schedule: target.targetSyncSchedule,
    logRetentionDays: target.logRetentionDays,
  });
}

function buildDatabase(scope: Construct, id: string, settings: DatabaseSettings, vpc: NetworkVpc, masterUserSecretKmsKeyArn: string): PostgresDatabase {
  const { engine, multiAz, allocatedStorageGb, maxAllocatedStorageGb, readers, serverlessV2, instanceParameters, ...common } = settings;
  return engine === "aurora-postgresql"
    ? new AuroraPostgresCluster(scope, id, { ...common, vpc, masterUserSecretKmsKeyArn, readers, serverlessV2, instanceParameters })
    : new RdsPostgresInstance(scope, id, { ...common, vpc, masterUserSecretKmsKeyArn, multiAz, allocatedStorageGb, maxAllocatedStorageGb });
}
