// The networking keys: the aws-samples/aws-dms-terraform flat keys (vpc_*, vpc2_*, vpc3_*, nlb_*,
// ...) kept exactly as that sample spells them, plus the `network` section for new settings.
import { z } from "zod";
import { availabilityZone, iamPrincipalArn, port, vpcCidr } from "../fields.js";

/** The five keys the aws-samples file gives each VPC, under a prefix (`vpc`, `vpc2`, `vpc3`). */
export function vpcKeys(prefix: string, role: string) {
  return {
    [`${prefix}_name`]: z.string().min(1).max(255).optional().describe(`Name tag of the ${role} VPC.`),
    [`${prefix}_cidr`]: vpcCidr.optional().describe(`IPv4 CIDR of the ${role} VPC (/16 to /28).`),
    [`${prefix}_azs`]: z.array(availabilityZone).optional().describe(`Availability zones of the ${role} VPC, one per subnet, in subnet order.`),
    [`${prefix}_private_subnets`]: z.array(vpcCidr).optional().describe(`Private subnet CIDRs of the ${role} VPC, one per AZ in \`${prefix}_azs\`.`),
    [`${prefix}_public_subnets`]: z
      .array(vpcCidr)
      .optional()
      .describe(`Public subnet CIDRs of the ${role} VPC, one per AZ; an internet gateway is created when any are given.`),
  };
}

export const samplesNetworkKeys = {
  ...vpcKeys("vpc", "source (three_vpc) or only (single_vpc)"),
  ...vpcKeys("vpc2", "DMS (three_vpc only)"),
  ...vpcKeys("vpc3", "target (three_vpc only)"),
  nlb_name: z.string().min(1).default("nlb").describe("Base name of the PrivateLink hops' Network Load Balancers; each hop's NLB is named `<environment>-<nlb_name>-<hop>` (32 characters at most)."),
  nlb_tg_name: z.string().min(1).default("nlb-tg-db").describe("Base name of the hops' target groups; named `<environment>-<nlb_tg_name>-<hop>` (32 characters at most)."),
  instance_size: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as t3.micro").default("t3.micro").describe("EC2 instance type of the migration workstation."),
  vpc_endpoint_name: z.string().min(1).default("vpc-endpoint").describe("Base Name tag of the hops' interface endpoints in the DMS VPC."),
  endpoint_sg_name: z.string().min(1).max(200).default("endpoint-sg").describe("Base name of the security groups of the hops' interface endpoints."),
  vpc_endpoint_service_name: z.string().min(1).default("vpc-endpoint-service").describe("Base Name tag of the hops' VPC endpoint services."),
  ssm_sg_name: z.string().min(1).max(200).default("ssm-sg").describe("Name of the security group of the Session Manager endpoints (ssm, ssmmessages, ec2messages) used by the workstation."),
  s3_sg_name: z
    .string()
    .min(1)
    .max(200)
    .default("s3-sg")
    .describe("Name of the security group of the AWS service interface endpoints (Secrets Manager, CloudWatch Logs, ...). S3 itself is reached through a gateway endpoint, which takes no security group."),
};

const hop = z
  .strictObject({
    port: port.default(5432).describe("Database port the hop listens on and forwards to."),
    acceptance_required: z.boolean().default(false).describe("Whether endpoint connections to the hop's endpoint service must be accepted by hand."),
    allowed_principals: z
      .array(iamPrincipalArn)
      .default([])
      .describe("IAM principals allowed to connect to the hop's endpoint service. Empty: only the deploying account."),
  })
  .prefault({});

export const interfaceEndpointServices = [
  "secretsmanager",
  "logs",
  "kms",
  "sts",
  "monitoring",
  "ssm",
  "elasticloadbalancing",
  "sqs",
  "sns",
  "events",
  "rds",
  "dms",
] as const;

export const networkSection = z
  .strictObject({
    nat_gateway: z
      .enum(["none", "single", "per_az"])
      .default("none")
      .describe("NAT for private subnets: none (the default: AWS services are reached through VPC endpoints), one shared gateway, or one per AZ. Needs public subnets."),
    service_endpoints: z
      .array(z.enum(interfaceEndpointServices))
      .default(["secretsmanager", "logs", "kms", "sts"])
      .describe("AWS services given interface endpoints in the DMS VPC (and in the target VPC when a Lambda runs there), so DMS and Lambda reach them without NAT. An S3 gateway endpoint is always added."),
    source_hop: hop.describe("The PrivateLink hop from the source VPC to the DMS VPC (three_vpc)."),
    target_hop: hop.describe("The PrivateLink hop from the target VPC to the DMS VPC (three_vpc)."),
    workstation: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Create the migration workstation (an EC2 instance reachable only through SSM Session Manager)."),
        vpc: z.enum(["source", "dms", "target"]).default("dms").describe("Which VPC the workstation sits in (single_vpc: always the one VPC)."),
        ami_ssm_parameter: z
          .string()
          .regex(/^\/[\w./-]+$/, "expected an SSM parameter path such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
          .default("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
          .describe("Public SSM parameter holding the AMI ID; resolved by EC2 at launch (resolve:ssm:), so plans make no AMI lookup."),
      })
      .prefault({})
      .describe("The optional migration workstation (the aws-samples bastion), with no SSH and IMDSv2 required."),
  })
  .prefault({})
  .describe("Networking settings beyond the aws-samples keys.");
