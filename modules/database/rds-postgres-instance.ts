// RDS for PostgreSQL: one instance (optionally Multi-AZ) with its parameter group, encrypted gp3
// storage that grows on demand, log exports into log groups that exist first, Performance
// Insights and enhanced monitoring.
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbInstanceRoleAssociation } from "@cdktf/provider-aws/lib/db-instance-role-association";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { Construct } from "constructs";
import { parameterBlocks, parameterGroupFamily, PostgresDatabaseBase, PostgresDatabaseProps } from "./postgres-database-base.js";

export interface RdsPostgresInstanceProps extends PostgresDatabaseProps {
  /**
   * A standby in a second AZ.
   * @default false
   */
  readonly multiAz?: boolean;
  /** @default 20 */
  readonly allocatedStorageGb?: number;
  /**
   * Storage autoscaling ceiling.
   * @default 100
   */
  readonly maxAllocatedStorageGb?: number;
}

export class RdsPostgresInstance extends PostgresDatabaseBase {
  readonly engine = "postgres" as const;
  readonly instance: DbInstance;
  readonly masterUserSecretArn?: string;

  constructor(scope: Construct, id: string, props: RdsPostgresInstanceProps) {
    super(scope, id, props);
    const family = parameterGroupFamily(this.engine, props.engineVersion);
    // Replaced before destroyed (a major upgrade needs the new family's group attached first), so
    // the names are prefixes: AWS refuses a second group with the same fixed name.
    const parameters = new DbParameterGroup(this, "parameter_group", {
      namePrefix: `${props.identifier}-${family}-`,
      family,
      description: `${props.identifier} parameters`,
      parameter: parameterBlocks(this.serverParameters()),
      lifecycle: { createBeforeDestroy: true },
    });
    const logGroups = this.logGroups("instance");
    const password = props.masterPassword;
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const performanceInsights = props.performanceInsights ?? true;

    this.instance = new DbInstance(this, "instance", {
      identifier: props.identifier,
      engine: this.engine,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      dbName: props.databaseName,
      username: props.masterUsername,
      ...(password.mode === "rds_managed"
        ? { manageMasterUserPassword: true, masterUserSecretKmsKeyId: password.kmsKeyArn }
        : { passwordWo: password.value, passwordWoVersion: password.version }),
      port: this.port,
      multiAz: props.multiAz ?? false,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      storageType: "gp3",
      allocatedStorage: props.allocatedStorageGb ?? 20,
      maxAllocatedStorage: props.maxAllocatedStorageGb ?? 100,
      storageEncrypted: true,
      kmsKeyId: props.storageKmsKeyArn,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      backupWindow: props.preferredBackupWindow,
      maintenanceWindow: props.preferredMaintenanceWindow,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: props.iamAuthentication ?? true,
      enabledCloudwatchLogsExports: [...(props.logExports ?? ["postgresql"])],
      monitoringInterval,
      monitoringRoleArn: monitoringInterval > 0 ? this.monitoringRole?.arn : undefined,
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsRetentionPeriod: performanceInsights ? props.performanceInsightsRetentionDays ?? 7 : undefined,
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: props.skipFinalSnapshot ?? false,
      finalSnapshotIdentifier: props.skipFinalSnapshot ? undefined : `${props.identifier}-final`,
      applyImmediately: props.applyImmediately ?? false,
      dependsOn: logGroups,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
      tags: { Name: props.identifier },
    });
    this.masterUserSecretArn = password.mode === "rds_managed" ? this.instance.masterUserSecret.get(0).secretArn : undefined;
  }

  get resource(): DbInstance {
    return this.instance;
  }

  get replacementTrigger(): string {
    return this.attributeReference("resource_id");
  }

  /** The instance's host name; after a Multi-AZ failover it resolves to the new primary. */
  get address(): string {
    return this.instance.address;
  }

  get eventSourceIdentifiers(): readonly string[] {
    return [this.identifier];
  }

  protected associateS3ImportRole(roleArn: string): void {
    new DbInstanceRoleAssociation(this, "s3_import_role_association", {
      dbInstanceIdentifier: this.instance.identifier,
      featureName: "s3Import",
      roleArn,
    });
  }
}
