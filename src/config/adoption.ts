// Bringing the landing zone into what exists already: VPCs it should use instead of creating
// them (`existing_network`), and resources it should import instead of creating them (`imports`).
// An existing VPC replaces the keys that would create that VPC (both at once is a mistake), its
// subnets and AZs must agree, the PrivateLink hops must still cover the DMS VPC's AZs, and each
// import must name a supported type with a well-formed ID.
import { z } from "zod";
import type { NetworkVpcProps } from "../../modules/network/network-vpc.js";
import type { VpcSpec } from "../../modules/network/existing-vpc.js";
import { crossCheck } from "./check.js";
import { availabilityZone, bucketName, vpcCidr } from "./fields.js";
import { ROLE_PREFIXES, VPC_FIELDS, VpcPrefix, VpcRole, vpcKey } from "./samples-vpcs.js";
import type { EnvironmentConfig } from "./schema.js";

const existingVpc = z
  .strictObject({
    vpc_id: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "expected a VPC ID such as vpc-0123456789abcdef0").describe("ID of the existing VPC."),
    cidr: vpcCidr.describe("The VPC's IPv4 CIDR (tells hop targets inside the VPC from on-premises ones)."),
    private_subnet_ids: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "expected a subnet ID such as subnet-0123456789abcdef0"))
      .min(2)
      .describe("Private subnets to use, in at least two availability zones."),
    availability_zones: z.array(availabilityZone).min(2).describe("The availability zone of each subnet, in the same order (a plan cannot look them up offline)."),
    route_table_ids: z
      .array(z.string().regex(/^rtb-[0-9a-f]{8,17}$/, "expected a route table ID such as rtb-0123456789abcdef0"))
      .default([])
      .describe("Route tables of those subnets, which get the S3 gateway endpoint. Empty: no S3 gateway endpoint is added (the VPC has one already)."),
    name: z.string().min(1).max(64).optional().describe("Name used for what the landing zone puts in the VPC. Default: the VPC ID."),
  })
  .optional();

export const adoptionKeys = {
  existing_network: z
    .strictObject({
      source: existingVpc.describe("Use this VPC as the source VPC (three_vpc) instead of creating one from the vpc_* keys."),
      dms: existingVpc.describe("Use this VPC as the DMS VPC (three_vpc, instead of the vpc2_* keys) or as the one VPC (single_vpc, instead of the vpc_* keys). Typically the VPC with the VPN to on-premises."),
      target: existingVpc.describe("Use this VPC as the target VPC (three_vpc) instead of creating one from the vpc3_* keys."),
    })
    .prefault({})
    .describe("Existing VPCs to use instead of creating them, per role. Nothing is created or changed in them except what the landing zone places there (endpoints, groups, NLBs)."),
  imports: z
    .record(
      z.string().describe("Terraform address of a resource of the stack, e.g. aws_iam_role.dms_service_roles_vpc_role."),
      z.string().min(1).describe("ID of the existing resource, in the form `terraform import` takes for its type."),
    )
    .default({})
    .describe("Existing resources to import rather than create: Terraform address → ID. The synthesized output carries an `import` block for each; see docs/review-and-adoption.md for the supported resource types and ID forms."),
};

const RDS_IDENTIFIER = /^[a-z][a-z0-9-]{0,62}$/;

/** Resource types `imports` supports, what they are for, and the ID form `terraform import` takes. */
export const IMPORTABLE_TYPES: Readonly<Record<string, { readonly what: string; readonly form: string; readonly id: (id: string) => boolean }>> = {
  aws_iam_role: { what: "IAM roles, e.g. the account-level DMS service roles (dms-vpc-role, dms-cloudwatch-logs-role)", form: "the role name, e.g. dms-vpc-role", id: (id) => /^[\w+=,.@-]{1,64}$/.test(id) },
  aws_iam_role_policy_attachment: { what: "a managed policy attached to an imported role", form: "<role name>/<policy ARN>", id: (id) => /^[\w+=,.@-]{1,64}\/arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(id) },
  aws_s3_bucket: { what: "an existing bucket (media or CSV uploads)", form: "the bucket name", id: (id) => bucketName.safeParse(id).success },
  aws_db_instance: { what: "an existing RDS PostgreSQL target", form: "the DB instance identifier", id: (id) => RDS_IDENTIFIER.test(id) },
  aws_rds_cluster: { what: "an existing Aurora PostgreSQL target", form: "the DB cluster identifier", id: (id) => RDS_IDENTIFIER.test(id) },
  aws_rds_cluster_instance: { what: "an instance of an imported Aurora cluster", form: "the DB instance identifier", id: (id) => RDS_IDENTIFIER.test(id) },
  aws_db_subnet_group: { what: "the subnet group of an imported database", form: "the subnet group name", id: (id) => /^[\w .-]{1,255}$/.test(id) },
  aws_db_parameter_group: { what: "the parameter group of an imported RDS database", form: "the parameter group name", id: (id) => /^[a-z][a-z0-9-]{0,254}$/i.test(id) },
  aws_rds_cluster_parameter_group: { what: "the cluster parameter group of an imported Aurora cluster", form: "the parameter group name", id: (id) => /^[a-z][a-z0-9-]{0,254}$/i.test(id) },
  aws_security_group: { what: "the security group of an imported database", form: "the group ID, sg-...", id: (id) => /^sg-[0-9a-f]{8,17}$/.test(id) },
  aws_secretsmanager_secret: { what: "existing secrets (database credentials)", form: "the secret ARN", id: (id) => /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(id) },
  aws_kms_key: { what: "the KMS key of imported secrets or databases", form: "the key ID (a UUID)", id: (id) => /^([0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(id) },
  aws_kms_alias: { what: "the alias of an imported key", form: "the alias name, alias/...", id: (id) => /^alias\/[\w/_-]+$/.test(id) },
  aws_ssm_parameter: { what: "existing Parameter Store parameters", form: "the parameter name", id: (id) => /^\/?[\w.\-/]+$/.test(id) },
};

/** Key prefixes (`vpc2`) whose VPC is an existing one named in `existing_network`. */
export function existingVpcPrefixes(config: Pick<EnvironmentConfig, "topology" | "existing_network">): VpcPrefix[] {
  const prefixes: Partial<Record<VpcRole, VpcPrefix>> = ROLE_PREFIXES[config.topology];
  return (Object.keys(prefixes) as VpcRole[]).filter((role) => config.existing_network[role] !== undefined).map((role) => prefixes[role]!);
}

const existingNetworkCheck = crossCheck(["topology", "region", "existing_network", "vpcs"], (config, _context, issue) => {
  const prefixes: Partial<Record<VpcRole, VpcPrefix>> = ROLE_PREFIXES[config.topology];

  for (const role of ["source", "dms", "target"] as const) {
    const existing = config.existing_network[role];
    if (!existing) continue;
    const prefix = prefixes[role];
    if (!prefix) {
      issue(["existing_network", role], `topology "${config.topology}" has one VPC, named by existing_network.dms`, existing.vpc_id, "existing_network.dms only");
      continue;
    }
    for (const field of VPC_FIELDS) {
      const value = config.vpcs[prefix][field];
      if (value !== undefined) {
        const key = vpcKey(prefix, field);
        issue([key], `the ${role} VPC is an existing one (existing_network.${role}), so it is not created from ${prefix}_* keys`, JSON.stringify(value), `no ${key} (or no existing_network.${role})`);
      }
    }
    if (existing.private_subnet_ids.length !== existing.availability_zones.length) {
      issue(["existing_network", role, "availability_zones"], `${existing.availability_zones.length} availability zones for ${existing.private_subnet_ids.length} subnets`, JSON.stringify(existing.availability_zones), "the AZ of each subnet in private_subnet_ids, in the same order");
    }
    existing.availability_zones.forEach((az, index) => {
      if (!az.startsWith(config.region)) issue(["existing_network", role, "availability_zones", index], `availability zone is not in region ${config.region}`, JSON.stringify(az), `a zone of ${config.region}`);
    });
    if (new Set(existing.availability_zones).size < 2) {
      issue(["existing_network", role, "availability_zones"], "the subnets are in fewer than two availability zones", JSON.stringify(existing.availability_zones), "subnets in at least two AZs: DB and DMS subnet groups and the NLB need two");
    }
  }

  // The hop's NLB must have a subnet in every AZ the DMS VPC's endpoint uses; the network check
  // covers created VPCs, this covers pairs where either side is an existing VPC.
  if (config.topology === "three_vpc") {
    const azsOf = (role: VpcRole): readonly string[] => config.existing_network[role]?.availability_zones ?? config.vpcs[ROLE_PREFIXES.three_vpc[role]].azs ?? [];
    const dmsAzs = azsOf("dms");
    for (const hop of ["source", "target"] as const) {
      if (!config.existing_network[hop] && !config.existing_network.dms) continue;
      const missing = dmsAzs.filter((az) => !azsOf(hop).includes(az));
      if (azsOf(hop).length > 0 && missing.length > 0) {
        const path = config.existing_network.dms ? ["existing_network", "dms", "availability_zones"] : ["vpc2_azs"];
        issue(path, `the DMS VPC uses ${missing.join(", ")}, which the ${hop} hop's NLB does not serve`, JSON.stringify(dmsAzs), `DMS VPC subnets only in AZs the ${hop} VPC has subnets in (${azsOf(hop).join(", ")})`);
      }
    }
  }
});

const importsCheck = crossCheck(["imports"], (config, _context, issue) => {
  for (const [address, id] of Object.entries(config.imports)) {
    const type = address.split(".")[0];
    const importable = IMPORTABLE_TYPES[type];
    if (!/^[a-z][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(address)) {
      issue(["imports", address], "not a resource address of this stack", JSON.stringify(address), "a Terraform address <type>.<name> such as aws_iam_role.dms_service_roles_vpc_role (see `dms-lz synth` output or test/fixtures/addresses/<env>.txt)");
    } else if (!importable) {
      issue(["imports", address], `resources of type ${type} are not supported for import`, JSON.stringify(id), `an address of one of: ${Object.keys(IMPORTABLE_TYPES).join(", ")}`);
    } else if (!importable.id(id)) {
      issue(["imports", address], `not a valid import ID for ${type}`, JSON.stringify(id), importable.form);
    }
  }
});

export const adoptionChecks = [existingNetworkCheck, importsCheck];

/** The existing VPC configured for a role, or the VPC to create from the aws-samples keys. */
export function vpcSpec(config: Pick<EnvironmentConfig, "existing_network">, role: VpcRole, create: () => NetworkVpcProps): VpcSpec {
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
export function importProps(config: Pick<EnvironmentConfig, "imports">): Readonly<Record<string, string>> | undefined {
  return Object.keys(config.imports).length > 0 ? { ...config.imports } : undefined;
}
