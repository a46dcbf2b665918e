// Aurora PostgreSQL: a cluster with a writer and N readers (provisioned or Serverless v2), its
// cluster and instance parameter groups, encrypted storage, log exports into log groups that exist
// first, Performance Insights and enhanced monitoring on every instance.
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { RdsClusterRoleAssociation } from "@cdktf/provider-aws/lib/rds-cluster-role-association";
import { Construct } from "constructs";
import { parameterBlocks, parameterGroupFamily, PostgresDatabaseBase, PostgresDatabaseProps } from "./postgres-database-base.js";

export interface ServerlessV2Scaling {
  /** Aurora capacity units, 0 (auto-pause) or 0.5 and up. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

export interface AuroraPostgresClusterProps extends PostgresDatabaseProps {
  /**
   * Reader instances besides the writer; at least one for a Multi-AZ cluster.
   * @default 0
   */
  readonly readers?: number;
  /**
   * Serverless v2 scaling; the instances use the `db.serverless` class.
   * @default provisioned instances of `instanceClass`
   */
  readonly serverlessV2?: ServerlessV2Scaling;
  /**
   * Parameters of the instance parameter group (the cluster's are `parameters`).
   * @default {}
   */
  readonly instanceParameters?: Readonly<Record<string, string>>;
}

export class AuroraPostgresCluster extends PostgresDatabaseBase {
  readonly engine = "aurora-postgresql" as const;
  readonly cluster: RdsCluster;
  readonly instances: readonly RdsClusterInstance[];
  readonly masterUserSecretArn?: string;

  constructor(scope: Construct, id: string, props: AuroraPostgresClusterProps) {
    super(scope, id, props);
    const family = parameterGroupFamily(this.engine, props.engineVersion);
    // Replaced before destroyed (a major upgrade needs the new family's group attached first), so
    // the names are prefixes: AWS refuses a second group with the same fixed name.
    const clusterParameters = new RdsClusterParameterGroup(this, "cluster_parameter_group", {
      namePrefix: `${props.identifier}-${family}-`,
      family,
      description: `${props.identifier} cluster parameters`,
      parameter: parameterBlocks(this.serverParameters()),
      lifecycle: { createBeforeDestroy: true },
    });
    const instanceParameters = new DbParameterGroup(this, "instance_parameter_group", {
      namePrefix: `${props.identifier}-instance-${family}-`,
      family,
      description: `${props.identifier} instance parameters`,
      parameter: parameterBlocks(props.instanceParameters ?? {}),
      lifecycle: { createBeforeDestroy: true },
    });
    const logGroups = this.logGroups("cluster");
    const password = props.masterPassword;

    this.cluster = new RdsCluster(this, "cluster", {
      clusterIdentifier: props.identifier,
      engine: this.engine,
      engineMode: "provisioned",
      engineVersion: props.engineVersion,
      databaseName: props.databaseName,
      masterUsername: props.masterUsername,
      ...(password.mode === "rds_managed"
        ? { manageMasterUserPassword: true, masterUserSecretKmsKeyId: password.kmsKeyArn }
        : { masterPasswordWo: password.value, masterPasswordWoVersion: password.version }),
      port: this.port,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: clusterParameters.name,
      storageEncrypted: true,
      kmsKeyId: props.storageKmsKeyArn,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      preferredBackupWindow: props.preferredBackupWindow,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: props.iamAuthentication ?? true,
      enabledCloudwatchLogsExports: [...(props.logExports ?? ["postgresql"])],
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: props.skipFinalSnapshot ?? false,
      finalSnapshotIdentifier: props.skipFinalSnapshot ? undefined : `${props.identifier}-final`,
      applyImmediately: props.applyImmediately ?? false,
      serverlessv2ScalingConfiguration: props.serverlessV2,
      dependsOn: logGroups,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
      tags: { Name: props.identifier },
    });
    this.masterUserSecretArn = password.mode === "rds_managed" ? this.cluster.masterUserSecret.get(0).secretArn : undefined;

    const instanceClass = props.serverlessV2 ? "db.serverless" : props.instanceClass;
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const performanceInsights = props.performanceInsights ?? true;
    this.instances = Array.from({ length: 1 + (props.readers ?? 0) }, (_, index) =>
      new RdsClusterInstance(this, `instance_${index}`, {
        identifier: `${props.identifier}-${index + 1}`,
        clusterIdentifier: this.cluster.id,
        engine: this.engine,
        engineVersion: this.cluster.engineVersion,
        instanceClass,
        dbParameterGroupName: instanceParameters.name,
        dbSubnetGroupName: this.subnetGroup.name,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
        copyTagsToSnapshot: true,
        // The first instance is created first and is the writer; readers fail over in order.
        promotionTier: index,
        monitoringInterval,
        monitoringRoleArn: monitoringInterval > 0 ? this.monitoringRole?.arn : undefined,
        performanceInsightsEnabled: performanceInsights,
        performanceInsightsRetentionPeriod: performanceInsights ? props.performanceInsightsRetentionDays ?? 7 : undefined,
        applyImmediately: props.applyImmediately ?? false,
        tags: { Name: `${props.identifier}-${index + 1}` },
      }),
    );
  }

  get resource(): RdsCluster {
    return this.cluster;
  }

  get replacementTrigger(): string {
    return this.attributeReference("cluster_resource_id");
  }

  /** The cluster (writer) endpoint: it follows the writer across failovers. */
  get address(): string {
    return this.cluster.endpoint;
  }

  get readerAddress(): string {
    return this.cluster.readerEndpoint;
  }

  get eventSourceIdentifiers(): readonly string[] {
    return [this.identifier, ...this.instances.map((_, index) => `${this.identifier}-${index + 1}`)];
  }

  protected associateS3ImportRole(roleArn: string): void {
    new RdsClusterRoleAssociation(this, "s3_import_role_association", {
      dbClusterIdentifier: this.cluster.id,
      featureName: "s3Import",
      roleArn,
    });
  }
}
