// The DMS replication subnet group, shared by both compute modes: a replication instance and the
// serverless replication configs run in the DMS VPC's private subnets, which must span two AZs
// (DMS refuses a group in one AZ, and Multi-AZ needs a second one).
import { DmsReplicationSubnetGroup } from "@cdktf/provider-aws/lib/dms-replication-subnet-group";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConstructError, isKnownText } from "../core/construct-error.js";

export interface ReplicationSubnet {
  readonly id: string;
  readonly availabilityZone: string;
}

export interface ReplicationSubnetGroupProps {
  /** Subnet group identifier. */
  readonly groupId: string;
  /** Shown in the console; kept as first created, since a new text is an update. */
  readonly description: string;
  /** Private subnets of the DMS VPC; they must span at least two availability zones. */
  readonly subnets: readonly ReplicationSubnet[];
  /** What the group must wait for: the dms-vpc-role's policy attachment. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The subnet group as the resource `id` under `scope` (keeps `aws_dms_replication_subnet_group.dms_replication_subnet_group`). */
export function replicationSubnetGroup(scope: Construct, id: string, props: ReplicationSubnetGroupProps): DmsReplicationSubnetGroup {
  const zones = new Set(props.subnets.map((subnet) => subnet.availabilityZone));
  if ([...zones].every(isKnownText) && zones.size < 2) {
    throw new ConstructError(scope, `the replication subnet group needs private subnets in at least two availability zones, got ${[...zones].join(", ") || "none"}`);
  }
  return new DmsReplicationSubnetGroup(scope, id, {
    replicationSubnetGroupId: props.groupId,
    replicationSubnetGroupDescription: props.description,
    subnetIds: props.subnets.map((subnet) => subnet.id),
    dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
  });
}
