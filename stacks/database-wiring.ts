// The target database, its credentials and the application's Parameter Store tree, wired into an
// environment: which groups may reach the database, which host each secret names, which hop
// targets the sync Lambda keeps in step. The environment stack calls `wireDatabase` once.
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AuroraPostgresCluster, AuroraPostgresClusterProps } from "../modules/database/aurora-postgres-cluster.js";
import { HopTargetSync, HopTargetSyncTarget } from "../modules/database/hop-target-sync.js";
import { MasterPassword, PostgresDatabase, PostgresEngine } from "../modules/database/postgres-database.js";
import { RdsPostgresInstance, RdsPostgresInstanceProps } from "../modules/database/rds-postgres-instance.js";
import { MigrationNetwork } from "../modules/network/migration-network.js";
import { NetworkVpc } from "../modules/network/network-vpc.js";
import { PrivateLinkHop } from "../modules/network/privatelink-hop.js";
import { ApplicationConfigAccess } from "../modules/secrets/application-config-access.js";
import { DatabaseLogin, DatabaseSecret, DatabaseSecretProps } from "../modules/secrets/database-secret.js";
import { DmsCredentials, DmsSecretsAccessRole } from "../modules/secrets/dms-secrets-access-role.js";
import { EncryptionKey } from "../modules/secrets/encryption-key.js";
import { GeneratedPassword } from "../modules/secrets/generated-password.js";
import { ParameterTree } from "../modules/secrets/parameter-tree.js";

/** Everything about one database server but its VPC and password. */
export type DatabaseSettings = Omit<AuroraPostgresClusterProps, "vpc" | "masterPassword"> &
  Pick<RdsPostgresInstanceProps, "multiAz" | "allocatedStorageGb" | "maxAllocatedStorageGb"> & { readonly engine: PostgresEngine };

export interface TargetDatabaseProps extends DatabaseSettings {
  readonly masterPassword: { readonly mode: "generated"; readonly version: number } | { readonly mode: "rds_managed" };
  /** EventBridge schedule of the hop target sync (three_vpc). */
  readonly targetSyncSchedule: string;
}

export interface SourceDatabaseProps {
  /** A simulated source in the source VPC (three_vpc); otherwise the source is external. */
  readonly simulated?: DatabaseSettings & { readonly passwordVersion: number };
  /** External source's host name (single_vpc). */
  readonly host?: string;
  readonly port: number;
  readonly databaseName: string;
  readonly username: string;
}

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
  readonly source: SourceDatabaseProps;
  readonly secrets: {
    /** @default a key the stack creates */
    readonly kmsKeyArn?: string;
    /** Secret names are `<namePrefix>/dms-source`, `/dms-target`, `/database`. */
    readonly namePrefix: string;
    readonly recoveryWindowDays: number;
    readonly secretKeyVersion: number;
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
}

/** A login secret the application and the CSV pipeline read (host: the database's writer). */
export interface DatabaseSecretRef {
  readonly secretArn: string;
  readonly kmsKeyArn: string;
}

export interface DatabaseWiring {
  readonly database?: PostgresDatabase;
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
  const secretKey = new GeneratedPassword(scope, "application_secret_key", { version: props.secrets.secretKeyVersion });
  parameters.addSecureString(props.parameterNames.secretKey, secretKey, "The application's secret key (generated, write-only)");
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
  const secretName = (name: string) => `${props.secrets.namePrefix}/${name}`;
  const secretProps: SecretSettings = { kmsKeyArn: secretsKey.arn, recoveryWindowDays: props.secrets.recoveryWindowDays, preventDestroy: context.protected };

  const targetPassword = target.masterPassword.mode === "generated" ? new GeneratedPassword(scope, "database_password", { version: target.masterPassword.version }) : undefined;
  const database = buildDatabase(scope, "database", target, network.targetVpc, targetPassword ? { mode: "generated", value: targetPassword.value, version: targetPassword.version } : { mode: "rds_managed", kmsKeyArn: secretsKey.arn });
  if (network.topology === "single_vpc") {
    database.allowFrom("dms", network.dmsSecurityGroup, "DMS to the target database");
    if (network.workstation) database.allowFrom("workstation", network.workstation.securityGroup, "Workstation to the target database");
  }
  network.targetHop?.allowTargetGroup("database", database.securityGroup);

  // DMS reaches the target through the target hop in three_vpc, directly in single_vpc.
  const targetLogin: DatabaseLogin = {
    username: database.masterUsername,
    host: network.targetHop ? network.targetHop.serverName : database.address,
    port: database.port,
    dbname: database.databaseName,
  };
  const dmsTarget = new DatabaseSecret(scope, "dms_target_credentials", {
    ...secretProps,
    name: secretName("dms-target"),
    description: targetPassword
      ? "DMS target endpoint login (generated; written write-only by Terraform)"
      : "DMS target endpoint login: set its value with the user you create (see docs/database.md)",
    generated: targetPassword ? { ...targetLogin, password: targetPassword, database: database.resource, databaseReplacementTrigger: database.replacementTrigger } : undefined,
  });
  const applicationSecret = targetPassword
    ? new DatabaseSecret(scope, "database_credentials", {
        ...secretProps,
        name: secretName("database"),
        description: "Database login of the application and the CSV pipeline (generated; written write-only by Terraform)",
        generated: { username: database.masterUsername, host: database.address, port: database.port, dbname: database.databaseName, password: targetPassword, database: database.resource, databaseReplacementTrigger: database.replacementTrigger },
      })
    : undefined;
  const databaseSecret: DatabaseSecretRef = applicationSecret
    ? { secretArn: applicationSecret.secretArn, kmsKeyArn: secretsKey.arn }
    : { secretArn: database.masterUserSecretArn as string, kmsKeyArn: secretsKey.arn };

  const { simulatedSource, dmsSource } = wireSource(scope, context, secretProps);

  const accessRole = new DmsSecretsAccessRole(scope, "dms_secrets_access", {
    roleName: `${context.namePrefix}-dms-secrets`,
    region: context.region,
    secretArns: [dmsSource.secretArn, dmsTarget.secretArn],
    kmsKeyArn: secretsKey.arn,
  });
  const dmsCredentials: DmsCredentials = {
    source: { secretArn: dmsSource.secretArn },
    target: { secretArn: dmsTarget.secretArn },
    accessRoleArn: accessRole.arn,
    kmsKeyArn: secretsKey.arn,
  };

  // The workstation connects with the same logins DMS and the application use (docs/migrate.md).
  network.workstation?.grantReadSecrets("database_secrets", [
    { secretArn: dmsSource.secretArn, kmsKeyArn: secretsKey.arn },
    { secretArn: dmsTarget.secretArn, kmsKeyArn: secretsKey.arn },
    databaseSecret,
  ]);

  const names = props.parameterNames;
  parameters.addString(names.databaseEndpoint, database.address, "Host name of the database writer");
  parameters.addString(names.databasePort, String(database.port), "Database port");
  parameters.addString(names.databaseName, database.databaseName, "Database name");
  parameters.addString(names.dbUser, database.masterUsername, "Database user");
  parameters.addString(names.dbSecretArn, databaseSecret.secretArn, "Secrets Manager secret holding the database login");

  const hopTargetSync = network.targetHop ? wireHopTargetSync(scope, context, target, database, simulatedSource) : undefined;

  const output = (id: string, value: string | number, description: string) => new TerraformOutput(scope, id, { value, description });
  output("database_endpoint", database.address, "Writer endpoint of the target database");
  output("database_port", database.port, "Port of the target database");
  output("database_name", database.databaseName, "Database the migration lands in");
  output("database_secret_arn", databaseSecret.secretArn, "Secret with the application's database login");
  output("dms_source_secret_arn", dmsSource.secretArn, "Secret of the DMS source endpoint");
  output("dms_target_secret_arn", dmsTarget.secretArn, "Secret of the DMS target endpoint");
  output("dms_secrets_access_role_arn", accessRole.arn, "Role DMS assumes to read its endpoint secrets");
  return { database, simulatedSource, dmsCredentials, databaseSecret, hopTargetSync };
}

type SecretSettings = Pick<DatabaseSecretProps, "kmsKeyArn" | "recoveryWindowDays" | "preventDestroy">;

/** The simulated source (three_vpc) and its DMS secret, or the empty secret of an external source. */
function wireSource(scope: Construct, context: DatabaseWiringContext, secretProps: SecretSettings): { simulatedSource?: PostgresDatabase; dmsSource: DatabaseSecret } {
  const { network } = context;
  const source = context.props.source;
  const name = `${context.props.secrets.namePrefix}/dms-source`;
  if (source.simulated && network.sourceHop && network.sourceVpc) {
    const password = new GeneratedPassword(scope, "simulated_source_password", { version: source.simulated.passwordVersion });
    const simulatedSource = buildDatabase(scope, "simulated_source", { ...source.simulated, logicalReplication: true }, network.sourceVpc, { mode: "generated", value: password.value, version: password.version });
    network.sourceHop.allowTargetGroup("simulated_source", simulatedSource.securityGroup);
    const dmsSource = new DatabaseSecret(scope, "dms_source_credentials", {
      ...secretProps,
      name,
      description: "DMS source endpoint login of the simulated source (generated; written write-only by Terraform)",
      generated: {
        username: simulatedSource.masterUsername,
        host: network.sourceHop.serverName,
        port: simulatedSource.port,
        dbname: simulatedSource.databaseName,
        password,
        database: simulatedSource.resource,
        databaseReplacementTrigger: simulatedSource.replacementTrigger,
      },
    });
    new TerraformOutput(scope, "simulated_source_endpoint", { value: simulatedSource.address, description: "Writer endpoint of the simulated source (in the source VPC)" });
    return { simulatedSource, dmsSource };
  }
  const dmsSource = new DatabaseSecret(scope, "dms_source_credentials", {
    ...secretProps,
    name,
    description: "DMS source endpoint login: its value is set outside Terraform (see docs/database.md)",
  });
  // Everything the source secret needs but the password, for the one command that sets it.
  new TerraformOutput(scope, "dms_source_secret_template", {
    value: { username: source.username, host: network.sourceHop ? network.sourceHop.serverName : (source.host ?? ""), port: source.port, dbname: source.databaseName },
    description: "The DMS source secret's JSON without the password; see docs/database.md",
  });
  return { dmsSource };
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

function buildDatabase(scope: Construct, id: string, settings: DatabaseSettings, vpc: NetworkVpc, masterPassword: MasterPassword): PostgresDatabase {
  const { engine, multiAz, allocatedStorageGb, maxAllocatedStorageGb, readers, serverlessV2, instanceParameters, ...common } = settings;
  return engine === "aurora-postgresql"
    ? new AuroraPostgresCluster(scope, id, { ...common, vpc, masterPassword, readers, serverlessV2, instanceParameters })
    : new RdsPostgresInstance(scope, id, { ...common, vpc, masterPassword, multiAz, allocatedStorageGb, maxAllocatedStorageGb });
}
