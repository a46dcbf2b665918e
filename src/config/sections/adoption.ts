// Bringing the landing zone into what exists already: VPCs it should use instead of creating
// them, and resources it should import instead of creating them.
import { z } from "zod";
import { availabilityZone, vpcCidr } from "../fields.js";

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

export const existingNetworkSection = z
  .strictObject({
    source: existingVpc.describe("Use this VPC as the source VPC (three_vpc) instead of creating one from the vpc_* keys."),
    dms: existingVpc.describe("Use this VPC as the DMS VPC (three_vpc, instead of the vpc2_* keys) or as the one VPC (single_vpc, instead of the vpc_* keys). Typically the VPC with the VPN to on-premises."),
    target: existingVpc.describe("Use this VPC as the target VPC (three_vpc) instead of creating one from the vpc3_* keys."),
  })
  .prefault({})
  .describe("Existing VPCs to use instead of creating them, per role. Nothing is created or changed in them except what the landing zone places there (endpoints, groups, NLBs).");

export const importsSection = z
  .record(
    z.string().describe("Terraform address of a resource of the stack, e.g. aws_iam_role.dms_service_roles_vpc_role."),
    z.string().min(1).describe("ID of the existing resource, in the form `terraform import` takes for its type."),
  )
  .default({})
  .describe("Existing resources to import rather than create: Terraform address → ID. The synthesized output carries an `import` block for each; see docs/review-and-adoption.md for the supported resource types and ID forms.");
