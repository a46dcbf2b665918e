// The DMS replication instance and its subnet group: private subnets in at least two AZs, never
// publicly accessible, encrypted storage, and the security group the network built for it (whose
// egress is granted path by path: hop endpoints or databases on their port, HTTPS to the VPC's
// service endpoints).
import { DmsReplicationInstance } from "@cdktf/provider-aws/lib/dms-replication-instance";
import type { DmsReplicationSubnetGroup } from "@cdktf/provider-aws/lib/dms-replication-subnet-group";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConstructError } from "../core/construct-error.js";
import { DEFAULT_DMS_ENGINE_VERSION } from "./dms-versions.js";
import { ReplicationSubnet, replicationSubnetGroup } from "./replication-subnet-group.js";

export const DEFAULT_DMS_INSTANCE_CLASS = "dms.t3.medium";

export interface ReplicationInstanceProps {
  /** Replication instance identifier (letters, digits, hyphens; also names the subnet group). */
  readonly instanceId: string;
  /** Private subnets of the DMS VPC; they must span at least two availability zones. */
  readonly subnets: readonly ReplicationSubnet[];
  readonly securityGroupIds: readonly string[];
  /** @default "dms.t3.medium" */
  readonly instanceClass?: string;
  /** Storage in GiB for logs and cached changes. @default 50 */
  readonly allocatedStorageGb?: number;
  /** @default DEFAULT_DMS_ENGINE_VERSION */
  readonly engineVersion?: string;
  /** A standby in a second AZ. @default false */
  readonly multiAz?: boolean;
  /**
   * KMS key of the instance's storage.
   * @default the AWS managed key for DMS (DmsMigration passes its own customer managed key)
   */
  readonly kmsKeyArn?: string;
  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC.
   * @default DMS picks one
   */
  readonly maintenanceWindow?: string;
  /** @default true */
  readonly autoMinorVersionUpgrade?: boolean;
  /** Apply modifications at once instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /**
   * What the subnet group must wait for: the dms-vpc-role's policy attachment when this stack
   * creates the role.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class ReplicationInstance extends Construct {
  readonly subnetGroup: DmsReplicationSubnetGroup;
  readonly instance: DmsReplicationInstance;
  readonly instanceId: string;

  constructor(scope: Construct, id: string, props: ReplicationInstanceProps) {
    super(scope, id);
    const storage = props.allocatedStorageGb ?? 50;
    if (!Number.isInteger(storage) || storage < 5 || storage > 6144) {
      throw new ConstructError(this, `allocated storage must be 5-6144 GiB, got ${storage}`);
    }
    this.instanceId = props.instanceId;

    this.subnetGroup = replicationSubnetGroup(this, "subnet_group", {
      groupId: props.instanceId,
      description: `Private subnets of the DMS replication instance ${props.instanceId}`,
      subnets: props.subnets,
      dependsOn: props.dependsOn,
    });
    this.instance = new DmsReplicationInstance(this, "instance", {
      replicationInstanceId: props.instanceId,
      replicationInstanceClass: props.instanceClass ?? DEFAULT_DMS_INSTANCE_CLASS,
      allocatedStorage: storage,
      engineVersion: props.engineVersion ?? DEFAULT_DMS_ENGINE_VERSION,
      multiAz: props.multiAz ?? false,
      publiclyAccessible: false,
      kmsKeyArn: props.kmsKeyArn,
      preferredMaintenanceWindow: props.maintenanceWindow,
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      allowMajorVersionUpgrade: false,
      applyImmediately: props.applyImmediately ?? false,
      replicationSubnetGroupId: this.subnetGroup.replicationSubnetGroupId,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      networkType: "IPV4",
      tags: { Name: props.instanceId },
    });
  }

  get arn(): string {
    return this.instance.replicationInstanceArn;
  }

}
