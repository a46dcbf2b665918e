// The validated `existing_network` and `imports` sections → the stack's props: which VPCs to use
// rather than create, and which resources to import.
import type { NetworkVpcProps } from "../../../modules/network/network-vpc.js";
import type { VpcSpec } from "../../../modules/network/existing-vpc.js";
import type { EnvironmentConfig } from "../schema.js";

export type VpcRole = "source" | "dms" | "target";

/** The aws-samples key prefix of each role's VPC, per topology. */
export const ROLE_PREFIXES = {
  three_vpc: { source: "vpc", dms: "vpc2", target: "vpc3" },
  single_vpc: { dms: "vpc" },
} as const satisfies Record<EnvironmentConfig["topology"], Partial<Record<VpcRole, string>>>;

/** Key prefixes (`vpc2`) whose VPC is an existing one named in `existing_network`. */
export function existingVpcPrefixes(config: EnvironmentConfig): string[] {
  const prefixes: Partial<Record<VpcRole, string>> = ROLE_PREFIXES[config.topology];
  return (Object.keys(prefixes) as VpcRole[]).filter((role) => config.existing_network[role] !== undefined).map((role) => prefixes[role]!);
}

/** The existing VPC configured for a role, or the VPC to create from the aws-samples keys. */
export function vpcSpec(config: EnvironmentConfig, role: VpcRole, create: () => NetworkVpcProps): VpcSpec {
  const existing = config.existing_network[role];
  if (!existing) return create();
  return {
    existing: true,
    vpcId: existing.vpc_id,
    cidr: existing.cidr,
    privateSubnetIds: existing.private_subnet_ids,
    availabilityZones: existing.availability_zones,
    routeTableIds: existing.route_table_ids,
    name: existing.name ?? existing.vpc_id,
  };
}

/** Terraform address → ID of the resources to import; undefined when there are none. */
export function importProps(config: EnvironmentConfig): Readonly<Record<string, string>> | undefined {
  return Object.keys(config.imports).length > 0 ? { ...config.imports } : undefined;
}
