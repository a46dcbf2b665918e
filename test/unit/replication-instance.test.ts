import { describe, expect, it } from "vitest";
import { DmsServiceRoles } from "../../modules/dms/dms-service-roles.js";
import { ReplicationInstance, ReplicationInstanceProps } from "../../modules/dms/replication-instance.js";
import { onlyResource, synthConstruct } from "../helpers/synth.js";

const subnets = [
  { id: "subnet-a", availabilityZone: "eu-west-1a" },
  { id: "subnet-b", availabilityZone: "eu-west-1b" },
];

function instance(props: Partial<ReplicationInstanceProps> = {}) {
  return synthConstruct((scope) => {
    const roles = new DmsServiceRoles(scope, "roles");
    new ReplicationInstance(scope, "replication", { instanceId: "dms-lz-dev", subnets, securityGroupIds: ["sg-dms"], dependsOn: roles.vpcRoleReady, ...props });
  });
}

describe("ReplicationInstance", () => {
  it("is never publicly accessible, sits in the given group and subnet group, with current defaults", () => {
    const json = instance();
    expect(onlyResource(json, "aws_dms_replication_instance")).toMatchObject({
      replication_instance_id: "dms-lz-dev",
      replication_instance_class: "dms.t3.medium",
      engine_version: "3.6.1",
      allocated_storage: 50,
      publicly_accessible: false,
      multi_az: false,
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
      vpc_security_group_ids: ["sg-dms"],
      replication_subnet_group_id: "${aws_dms_replication_subnet_group.replication_subnet_group.replication_subnet_group_id}",
    });
  });

  it("waits for the dms-vpc-role's policy attachment before creating the subnet group", () => {
    const group = onlyResource(instance(), "aws_dms_replication_subnet_group");
    expect(group).toMatchObject({ replication_subnet_group_id: "dms-lz-dev", subnet_ids: ["subnet-a", "subnet-b"] });
    expect(group.depends_on).toEqual(["aws_iam_role_policy_attachment.roles_vpc_role_policy"]);
  });

  it("takes class, storage, version, Multi-AZ, KMS key and maintenance window from props", () => {
    const json = instance({ instanceClass: "dms.r6i.large", allocatedStorageGb: 200, engineVersion: "3.5.4", multiAz: true, kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k", maintenanceWindow: "sun:03:00-sun:04:00" });
    expect(onlyResource(json, "aws_dms_replication_instance")).toMatchObject({
      replication_instance_class: "dms.r6i.large",
      allocated_storage: 200,
      engine_version: "3.5.4",
      multi_az: true,
      kms_key_arn: "arn:aws:kms:eu-west-1:111122223333:key/k",
      preferred_maintenance_window: "sun:03:00-sun:04:00",
    });
  });

  it("refuses subnets in a single availability zone and impossible storage sizes", () => {
    expect(() => instance({ subnets: [subnets[0], { id: "subnet-c", availabilityZone: "eu-west-1a" }] })).toThrow(/at least two availability zones, got eu-west-1a/);
    expect(() => instance({ allocatedStorageGb: 2 })).toThrow(/5-6144 GiB/);
  });
});
