// What an Aurora cluster and an RDS instance share: the subnet group, the security group and its
// named peers, the log groups (created before the database, so RDS does not create them without
// retention), the enhanced-monitoring role, parameter values, and the `s3Import` role.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lazy, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { PolicyStatement, policyDocument } from "../core/policy-document.js";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";
import { NetworkVpc } from "../network/network-vpc.js";
import { allowTcp, emptySecurityGroup } from "../network/security-group-rules.js";
import { PostgresDatabase, PostgresEngine, S3ImportProps } from "./postgres-database.js";

export interface PostgresDatabaseProps {
  /** Cluster or instance identifier; also the prefix of the database's other names (40 characters at most). */
  readonly identifier: string;
  /** The VPC whose private subnets (two AZs at least) hold the database. */
  readonly vpc: NetworkVpc;
  /** Engine version, e.g. `17.6`; the parameter group family follows its major version. */
  readonly engineVersion: string;
  /** `db.t4g.medium`, `db.r7g.large`, ... (`db.serverless` for Aurora Serverless v2). */
  readonly instanceClass: string;
  /** @default 5432 */
  readonly port?: number;
  /** Database created with the server. */
  readonly databaseName: string;
  readonly masterUsername: string;
  /**
   * KMS key of RDS's master secret. The master password is always RDS-managed
   * (`manage_master_user_password`): RDS generates, stores and rotates it; Terraform never sees it.
   * @default the AWS managed key `aws/secretsmanager`
   */
  readonly masterUserSecretKmsKeyArn?: string;
  /** @default 7 */
  readonly backupRetentionDays?: number;
  /** UTC `hh24:mi-hh24:mi`. @default chosen by RDS */
  readonly preferredBackupWindow?: string;
  /** UTC `ddd:hh24:mi-ddd:hh24:mi`. @default chosen by RDS */
  readonly preferredMaintenanceWindow?: string;
  /** KMS key of the storage. @default the AWS managed key `aws/rds` */
  readonly storageKmsKeyArn?: string;
  /** `rds.force_ssl = 1`. @default true */
  readonly forceSsl?: boolean;
  /** `rds.logical_replication = 1`, for a database that is a CDC source. @default false */
  readonly logicalReplication?: boolean;
  /** More parameters (the cluster's for Aurora), applied at the next reboot. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default true */
  readonly performanceInsights?: boolean;
  /** @default 7 (the free tier) */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval in seconds; 0 turns it off. @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** PostgreSQL logs exported to CloudWatch. @default ["postgresql"] */
  readonly logExports?: readonly string[];
  /** Retention of the exported logs. @default 30 */
  readonly logRetentionDays?: number;
  /** IAM database authentication. @default true */
  readonly iamAuthentication?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** `lifecycle.prevent_destroy` on the cluster or instance. @default false */
  readonly preventDestroy?: boolean;
  /** Destroy without a final snapshot. @default false */
  readonly skipFinalSnapshot?: boolean;
  /** Apply modifications now rather than in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** @default true */
  readonly autoMinorVersionUpgrade?: boolean;
}

/** `aurora-postgresql17` / `postgres16`: the parameter group family of an engine version. */
export function parameterGroupFamily(engine: PostgresEngine, engineVersion: string): string {
  return `${engine}${engineVersion.split(".")[0]}`;
}

export abstract class PostgresDatabaseBase extends Construct implements PostgresDatabase {
  abstract readonly engine: PostgresEngine;
  abstract readonly address: string;
  abstract readonly resource: TerraformResource;
  abstract readonly resourceId: string;
  abstract readonly masterUserSecretArn: string;
  abstract readonly eventSourceIdentifiers: readonly string[];
  readonly identifier: string;
  readonly port: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly securityGroup: SecurityGroup;
  protected readonly subnetGroup: DbSubnetGroup;
  protected readonly monitoringRole?: IamRole;
  private s3Import?: { role: IamRole; statements: PolicyStatement[]; prefixLists: Set<string> };

  constructor(scope: Construct, id: string, protected readonly props: PostgresDatabaseProps) {
    super(scope, id);
    this.identifier = props.identifier;
    this.port = props.port ?? 5432;
    this.databaseName = props.databaseName;
    this.masterUsername = props.masterUsername;

    this.subnetGroup = new DbSubnetGroup(this, "subnet_group", {
      name: props.identifier,
      description: `Private subnets of ${props.identifier}`,
      subnetIds: props.vpc.privateSubnetIds,
      tags: { Name: props.identifier },
    });
    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: `${props.identifier}-db`,
      description: `${props.identifier}: the database port from named peers only`,
      vpcId: props.vpc.vpcId,
    });
    if ((props.monitoringIntervalSeconds ?? 60) > 0) {
      this.monitoringRole = new IamRole(this, "monitoring_role", {
        name: `${props.identifier}-rds-monitoring`,
        assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", { sourceAccount: this.accountId() }),
      });
      new IamRolePolicyAttachment(this, "monitoring_policy", {
        role: this.monitoringRole.name,
        policyArn: `arn:${this.partition()}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
    }
  }

  allowFrom(id: string, peer: SecurityGroup, description: string): void {
    allowTcp(this, `allow_${id}`, { from: peer, to: this.securityGroup, port: this.port, description });
  }

  allowFromGroupId(id: string, groupId: string, description: string): void {
    new VpcSecurityGroupIngressRule(this, `allow_${id}_ingress`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: groupId,
      ipProtocol: "tcp",
      fromPort: this.port,
      toPort: this.port,
      description,
    });
  }

  allowS3Import(id: string, props: S3ImportProps): void {
    if (!this.s3Import) {
      const statements: PolicyStatement[] = [];
      const role = new IamRole(this, "s3_import_role", {
        name: `${this.identifier}-s3-import`,
        assumeRolePolicy: serviceTrustPolicy("rds.amazonaws.com", { sourceAccount: this.accountId() }),
      });
      new IamRolePolicy(this, "s3_import_policy", {
        role: role.name,
        name: "read-import-buckets",
        policy: Lazy.stringValue({ produce: () => policyDocument(statements) }),
      });
      this.associateS3ImportRole(role.arn);
      this.s3Import = { role, statements, prefixLists: new Set() };
    }
    const objects = `${props.bucketArn}/${props.keyPrefix ? `${props.keyPrefix.replace(/\/+$/, "")}/` : ""}*`;
    this.s3Import.statements.push(
      { Sid: `${sid(id)}Objects`, Effect: "Allow", Action: "s3:GetObject", Resource: objects },
      {
        Sid: `${sid(id)}List`,
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: props.bucketArn,
        ...(props.keyPrefix ? { Condition: { StringLike: { "s3:prefix": [`${props.keyPrefix.replace(/\/+$/, "")}/*`] } } } : {}),
      },
    );
    if (props.kmsKeyArn) {
      this.s3Import.statements.push({ Sid: `${sid(id)}Decrypt`, Effect: "Allow", Action: "kms:Decrypt", Resource: props.kmsKeyArn });
    }
    // One rule per prefix list: AWS refuses a duplicate rule.
    if (props.s3PrefixListId && !this.s3Import.prefixLists.has(props.s3PrefixListId)) {
      this.s3Import.prefixLists.add(props.s3PrefixListId);
      new VpcSecurityGroupEgressRule(this, `${id}_s3_egress`, {
        securityGroupId: this.securityGroup.id,
        prefixListId: props.s3PrefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `${this.identifier} to S3 through the gateway endpoint (aws_s3 imports)`,
      });
    }
  }

  /** `rds.force_ssl`, `rds.logical_replication` and the extra parameters, by name. */
  protected serverParameters(): Record<string, string> {
    const values: Record<string, string> = {};
    if (this.props.forceSsl ?? true) values["rds.force_ssl"] = "1";
    if (this.props.logicalReplication ?? false) values["rds.logical_replication"] = "1";
    return { ...values, ...this.props.parameters };
  }

  /** Log groups RDS would otherwise create with no retention; the database depends on them. */
  protected logGroups(kind: "cluster" | "instance"): CloudwatchLogGroup[] {
    return (this.props.logExports ?? ["postgresql"]).map(
      (log) =>
        new CloudwatchLogGroup(this, `log_group_${log.replace(/-/g, "_")}`, {
          name: `/aws/rds/${kind}/${this.identifier}/${log}`,
          retentionInDays: this.props.logRetentionDays ?? 30,
        }),
    );
  }

  protected abstract associateS3ImportRole(roleArn: string): void;


  /** The account, read from the ARN of a resource in the stack so that plans call no AWS API. */
  private accountId(): string {
    return arnField(this.subnetGroup.arn, "account");
  }

  private partition(): string {
    return arnField(this.subnetGroup.arn, "partition");
  }
}

/** Parameter blocks in name order; pending-reboot is accepted for static and dynamic parameters alike. */
export function parameterBlocks(values: Readonly<Record<string, string>>): { name: string; value: string; applyMethod: string }[] {
  return Object.entries(values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" }));
}

function sid(id: string): string {
  return id.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
}
