// Networking: the aws-samples keys besides the VPCs (nlb_*, *_sg_name, ...) kept exactly as that
// sample spells them, the `network` section for newer settings, the checks across them (subnets
// inside their VPC and apart, two AZs where AWS needs two, final name limits, PrivateLink AZ
// coverage, NAT needing public subnets), and their mapping to the stack's NetworkProps.
import { Address4 } from "ip-address";
import { z } from "zod";
import { ELB_NAME_MAX, hopResourceName, isValidElbName } from "../../modules/core/naming.js";
import type { NetworkVpcProps } from "../../modules/network/network-vpc.js";
import type { HopSettings, ThreeVpcNetworkProps } from "../../modules/network/three-vpc-network.js";
import { DEFAULT_FLOW_LOG_RETENTION_DAYS } from "../../modules/network/vpc-flow-logs.js";
import type { NetworkProps } from "../../stacks/environment-stack.js";
import { existingVpcPrefixes, vpcSpec } from "./adoption.js";
import { crossCheck } from "./check.js";
import type { ConfigContext } from "./context.js";
import { IssueReporter, jsonPath } from "./errors.js";
import { iamPrincipalArn, logRetentionDays, parseCidr, port, securityGroupName } from "./fields.js";
import { ROLE_PREFIXES, SamplesVpc, VPC_FIELDS, VpcPrefix, vpcKey } from "./samples-vpcs.js";
import type { EnvironmentConfig } from "./schema.js";

/** The aws-samples keys that are not VPC keys. */
export const samplesNetworkKeys = {
  nlb_name: z.string().min(1).default("nlb").describe("Base name of the PrivateLink hops' Network Load Balancers; each hop's NLB is named `<environment>-<nlb_name>-<hop>` (32 characters at most)."),
  nlb_tg_name: z.string().min(1).default("nlb-tg-db").describe("Base name of the hops' target groups; named `<environment>-<nlb_tg_name>-<hop>` (32 characters at most)."),
  instance_size: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as t3.micro").default("t3.micro").describe("EC2 instance type of the migration workstation."),
  vpc_endpoint_name: z.string().min(1).default("vpc-endpoint").describe("Base Name tag of the hops' interface endpoints in the DMS VPC."),
  endpoint_sg_name: securityGroupName.default("endpoint-sg").describe("Base name of the security groups of the hops' interface endpoints."),
  vpc_endpoint_service_name: z.string().min(1).default("vpc-endpoint-service").describe("Base Name tag of the hops' VPC endpoint services."),
  ssm_sg_name: securityGroupName.default("ssm-sg").describe("Name of the security group of the Session Manager endpoints (ssm, ssmmessages, ec2messages) used by the workstation."),
  s3_sg_name: securityGroupName
    .default("s3-sg")
    .describe("Name of the security group of the AWS service interface endpoints (Secrets Manager, CloudWatch Logs, ...). S3 itself is reached through a gateway endpoint, which takes no security group."),
};

const hop = z
  .strictObject({
    port: port.default(5432).describe("Database port the hop listens on and forwards to."),
    acceptance_required: z
      .literal(true)
      .optional()
      .describe("Always true (the key may be left out): the endpoint service requires acceptance, the stack accepts its own endpoint, and any other connection request waits for a person."),
    allowed_principals: z
      // AWS refuses principal ARNs with a path (ModifyVpcEndpointServicePermissions): say so here, not at apply.
      .array(iamPrincipalArn.refine((arn) => !/:(role|user)\/.*\//.test(arn), "expected a principal ARN without a path (AWS refuses paths here, e.g. SSO roles under /aws-reserved/): name the account root or a role without a path"))
      .default([])
      .describe("IAM principals allowed to request a connection to the hop's endpoint service, e.g. the role that applies the stack (a role ARN without a path: AWS refuses principals with paths). Empty: the deploying account, read from the NLB's ARN, since the applying principal cannot be known offline."),
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

/** A destination network to route: any IPv4 CIDR (a /32 for one host). */
const routedCidr = z.string().refine((value) => parseCidr(value) !== undefined, "expected an IPv4 CIDR such as 10.200.0.0/16 or 10.200.4.21/32");

export const networkKeys = {
  network: z
    .strictObject({
      nat_gateway: z
        .enum(["none", "single", "per_az"])
        .default("none")
        .describe("NAT for private subnets: none (the default: AWS services are reached through VPC endpoints), one shared gateway, or one per AZ. Needs public subnets, which are created (with the internet gateway) only for NAT."),
      service_endpoints: z
        .array(z.enum(interfaceEndpointServices))
        .default(["secretsmanager", "logs", "kms", "sts"])
        .describe("AWS services given interface endpoints in the DMS VPC (and in the target VPC when a Lambda runs there), so DMS and Lambda reach them without NAT. An S3 gateway endpoint is always added."),
      flow_log_retention_days: logRetentionDays
        .default(DEFAULT_FLOW_LOG_RETENTION_DAYS)
        .describe("Days the VPC flow logs of every VPC the stack creates are kept (in KMS-encrypted CloudWatch log groups)."),
      source_hop: hop.describe("The PrivateLink hop from the source VPC to the DMS VPC (three_vpc)."),
      target_hop: hop.describe("The PrivateLink hop from the target VPC to the DMS VPC (three_vpc)."),
      source_gateway: z
        .strictObject({
          transit_gateway_id: z.string().regex(/^tgw-[0-9a-f]{8,17}$/, "expected a Transit Gateway ID such as tgw-0123456789abcdef0").optional().describe("Attach the source VPC to this Transit Gateway."),
          vpn_gateway_id: z.string().regex(/^vgw-[0-9a-f]{8,17}$/, "expected a virtual private gateway ID such as vgw-0123456789abcdef0").optional().describe("Attach the source VPC to this virtual private gateway (a Site-to-Site VPN or Direct Connect)."),
          routed_cidrs: z.array(routedCidr).optional().describe("Networks routed through the gateway from the source VPC's private route tables. Default: each source.ip_addresses outside the source VPC, as /32."),
        })
        .optional()
        .describe("How the source VPC reaches source.ip_addresses outside it (on premises): an existing Transit Gateway or virtual private gateway (three_vpc, created source VPC). Without it such addresses are refused."),
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
    .describe("Networking settings beyond the aws-samples keys."),
};

/** Source addresses outside a created source VPC need a gateway and routes; exactly one gateway. */
export const sourceRouteCheck = crossCheck(["topology", "source", "vpcs", "existing_network", "network"], (config, _context, issue) => {
  const gateway = config.network.source_gateway;
  if (gateway && (gateway.transit_gateway_id === undefined) === (gateway.vpn_gateway_id === undefined)) {
    issue(["network", "source_gateway"], "the source VPC attaches to one gateway", JSON.stringify(gateway), "exactly one of transit_gateway_id or vpn_gateway_id");
  }
  const sourceCidr = config.vpcs.vpc.cidr === undefined ? undefined : parseCidr(config.vpcs.vpc.cidr);
  if (config.topology !== "three_vpc" || existingVpcPrefixes(config).includes("vpc") || sourceCidr === undefined || gateway) return;
  const outside = config.source.ip_addresses.filter((ip) => !new Address4(ip).isInSubnet(sourceCidr));
  if (outside.length > 0) {
    issue(
      ["source", "ip_addresses"],
      `outside the source VPC (${config.vpcs.vpc.cidr}) and nothing routes there from a new VPC`,
      JSON.stringify(outside),
      "network.source_gateway (the Transit Gateway or virtual private gateway that reaches them), an address inside the source VPC, or an existing source VPC that has the route",
    );
  }
});

/** The VPC key prefixes of the topology whose VPCs are created (not named in existing_network). */
function createdVpcPrefixes(config: Pick<EnvironmentConfig, "topology" | "existing_network">): VpcPrefix[] {
  const existing = existingVpcPrefixes(config);
  return Object.values(ROLE_PREFIXES[config.topology]).filter((prefix) => !existing.includes(prefix));
}

const REQUIRED_VPC_FIELDS = ["name", "cidr", "azs", "private_subnets"] as const;

/** The VPCs' own keys: the ones the topology needs, none it does not use, subnets that fit. */
const vpcLayoutCheck = crossCheck(["topology", "vpcs", "existing_network"], (config, context, issue) => {
  // VPCs named in existing_network are not created, so their keys are neither needed nor checked.
  const used = createdVpcPrefixes(config);
  for (const prefix of used) {
    for (const field of REQUIRED_VPC_FIELDS) {
      const key = vpcKey(prefix, field);
      // A key that is present but invalid has been reported already.
      if (config.vpcs[prefix][field] === undefined && !context.invalidKeys.has(key)) {
        issue([key], `required key is missing for topology "${config.topology}"`, "nothing", `the ${prefix} VPC's ${field.replace("_", " ")}`);
      }
    }
  }
  if (config.topology === "single_vpc") {
    for (const prefix of ["vpc2", "vpc3"] as const) {
      for (const field of VPC_FIELDS) {
        const value = config.vpcs[prefix][field];
        const key = vpcKey(prefix, field);
        if (value !== undefined) issue([key], "this key is used only by topology three_vpc", JSON.stringify(value), `no ${key} with topology "single_vpc" (or topology "three_vpc")`);
      }
    }
  }
  for (const prefix of used) vpcIssues(config.vpcs[prefix], prefix, issue);
});

const availabilityZoneRegionCheck = crossCheck(["topology", "vpcs", "existing_network", "region"], (config, _context, issue) => {
  const region = config.region;
  for (const prefix of createdVpcPrefixes(config)) {
    (config.vpcs[prefix].azs ?? []).forEach((az, index) => {
      if (!az.startsWith(region)) issue([vpcKey(prefix, "azs"), index], `availability zone is not in region ${region}`, JSON.stringify(az), `a zone of ${region}, such as ${region}a`);
    });
  }
});

/** The PrivateLink hops: valid final names, and an NLB subnet in every AZ the DMS VPC uses. */
const hopCheck = crossCheck(["topology", "vpcs", "nlb_name", "nlb_tg_name"], (config, context, issue) => {
  if (config.topology !== "three_vpc") return;
  const environment = context.environment;
  for (const hopName of ["source", "target"]) {
    for (const key of ["nlb_name", "nlb_tg_name"] as const) {
      const name = hopResourceName(environment, config[key], hopName);
      if (!isValidElbName(name)) {
        issue([key], `the ${hopName} hop's name "${name}" is not a valid load balancer or target group name`, JSON.stringify(config[key]),
          `a base name that keeps "<environment>-<base>-${hopName}" within ${ELB_NAME_MAX} letters, digits and hyphens (at most ${ELB_NAME_MAX - environment.length - hopName.length - 2} characters here)`);
      }
    }
  }
  // An interface endpoint can only be placed in AZs where the endpoint service's NLB has a
  // subnet; otherwise the endpoint fails at apply time.
  const dmsAzs = config.vpcs.vpc2.azs ?? [];
  for (const [providerPrefix, hopName] of [["vpc", "source"], ["vpc3", "target"]] as const) {
    const providerAzs = config.vpcs[providerPrefix].azs ?? [];
    const missing = dmsAzs.filter((az) => !providerAzs.includes(az));
    if (providerAzs.length > 0 && missing.length > 0) {
      issue(["vpc2_azs"], `the DMS VPC uses ${missing.join(", ")}, which the ${hopName} hop's NLB (in ${providerPrefix}_azs) does not serve`, JSON.stringify(dmsAzs),
        `DMS VPC availability zones that are all in ${providerPrefix}_azs (${providerAzs.join(", ")})`);
    }
  }
});

const natCheck = crossCheck(["topology", "vpcs", "existing_network", "network"], (config, _context, issue) => {
  const used = createdVpcPrefixes(config);
  if (config.network.nat_gateway !== "none" && !used.some((prefix) => (config.vpcs[prefix].public_subnets ?? []).length > 0)) {
    issue(["network", "nat_gateway"], "a NAT gateway needs public subnets", JSON.stringify(config.network.nat_gateway), `"none", or public subnets in ${used.map((p) => `${p}_public_subnets`).join(" / ")}`);
  }
});

/** Security group names as created: `<environment>-<base>[-<hop>]`; EC2 refuses a name starting with sg-. */
const securityGroupNameCheck = crossCheck(["ssm_sg_name", "s3_sg_name", "endpoint_sg_name"], (config, context, issue) => {
  for (const key of ["ssm_sg_name", "s3_sg_name", "endpoint_sg_name"] as const) {
    const name = `${context.environment}-${config[key]}`;
    if (name.toLowerCase().startsWith("sg-")) {
      issue([key], `the security group name "${name}" starts with sg-, which EC2 reserves for group IDs`, JSON.stringify(config[key]), "an environment name other than sg (the group name is <environment>-<base>)");
    }
  }
});

export const networkChecks = [vpcLayoutCheck, availabilityZoneRegionCheck, hopCheck, natCheck, securityGroupNameCheck, sourceRouteCheck];

/** One VPC's AZs and subnets; each check runs on whatever of them is present. */
function vpcIssues(vpc: SamplesVpc, prefix: VpcPrefix, issue: IssueReporter): void {
  const privateSubnets = vpc.private_subnets ?? [];
  const publicSubnets = vpc.public_subnets ?? [];
  const azs = vpc.azs;
  if (azs !== undefined) {
    const distinct = new Set(azs);
    if (distinct.size < 2) {
      issue([`${prefix}_azs`], "fewer than two availability zones", JSON.stringify(azs), "at least two distinct AZs: DB and DMS subnet groups and the NLB need two");
    }
    if (distinct.size !== azs.length) {
      issue([`${prefix}_azs`], "an availability zone is listed twice", JSON.stringify(azs), "each AZ once, one subnet per AZ");
    }
    if (vpc.private_subnets !== undefined && privateSubnets.length !== azs.length) {
      issue([`${prefix}_private_subnets`], `${privateSubnets.length} private subnets for ${azs.length} availability zones`, JSON.stringify(privateSubnets), `one private subnet per entry of ${prefix}_azs (${azs.length})`);
    }
    if (publicSubnets.length > 0 && publicSubnets.length !== azs.length) {
      issue([`${prefix}_public_subnets`], `${publicSubnets.length} public subnets for ${azs.length} availability zones`, JSON.stringify(publicSubnets), `none, or one public subnet per entry of ${prefix}_azs (${azs.length})`);
    }
  }

  const cidrText = vpc.cidr;
  const range = cidrText ? parseCidr(cidrText) : undefined;
  const subnets = [
    ...privateSubnets.map((cidr, index) => ({ cidr, path: [`${prefix}_private_subnets`, index] })),
    ...publicSubnets.map((cidr, index) => ({ cidr, path: [`${prefix}_public_subnets`, index] })),
  ];
  const parsed: { cidr: string; path: PropertyKey[]; range: Address4 }[] = [];
  for (const subnet of subnets) {
    const subnetRange = parseCidr(subnet.cidr);
    if (!subnetRange) continue;
    if (range && !subnetRange.isInSubnet(range)) {
      issue(subnet.path, `subnet is outside the VPC ${cidrText}`, JSON.stringify(subnet.cidr), `a CIDR inside ${cidrText}`);
    }
    for (const other of parsed) {
      if (subnetRange.isInSubnet(other.range) || other.range.isInSubnet(subnetRange)) {
        issue(subnet.path, `subnet overlaps ${jsonPath(other.path)} (${other.cidr})`, JSON.stringify(subnet.cidr), "subnets of one VPC that do not overlap each other");
      }
    }
    parsed.push({ ...subnet, range: subnetRange });
  }
}

type NetworkConfig = Pick<
  EnvironmentConfig,
  | "topology" | "vpcs" | "existing_network" | "network" | "source" | "instance_size" | "nlb_name" | "nlb_tg_name"
  | "vpc_endpoint_name" | "endpoint_sg_name" | "vpc_endpoint_service_name" | "ssm_sg_name" | "s3_sg_name"
>;

function vpcProps(config: NetworkConfig, prefix: VpcPrefix): NetworkVpcProps {
  const vpc = config.vpcs[prefix];
  const publicSubnetCidrs = vpc.public_subnets ?? [];
  return {
    // The network check has reported any of these missing, so the props are never built then.
    name: vpc.name!,
    cidr: vpc.cidr!,
    availabilityZones: vpc.azs!,
    privateSubnetCidrs: vpc.private_subnets!,
    publicSubnetCidrs,
    // NAT goes only where public subnets exist to hold it.
    natGateway: publicSubnetCidrs.length > 0 ? config.network.nat_gateway : "none",
  };
}

export function networkProps(config: NetworkConfig, context: ConfigContext): NetworkProps {
  const { environment, isProtected } = context;
  const network = config.network;
  const workstation = network.workstation.enabled
    ? {
        vpc: network.workstation.vpc,
        instanceType: config.instance_size,
        amiSsmParameter: network.workstation.ami_ssm_parameter,
        sessionManagerSecurityGroupName: `${environment}-${config.ssm_sg_name}`,
      }
    : undefined;
  const common = {
    serviceEndpoints: network.service_endpoints,
    serviceEndpointsSecurityGroupName: `${environment}-${config.s3_sg_name}`,
    workstation,
    flowLogRetentionDays: network.flow_log_retention_days,
  };
  if (config.topology === "single_vpc") {
    return { topology: "single_vpc", vpc: vpcSpec(config, "dms", () => vpcProps(config, "vpc")), ...common };
  }
  const hopSettings = (name: "source" | "target", settings: typeof network.source_hop, ipTargets: readonly string[]): HopSettings => ({
    port: settings.port,
    loadBalancerName: hopResourceName(environment, config.nlb_name, name),
    targetGroupName: hopResourceName(environment, config.nlb_tg_name, name),
    endpointServiceName: `${environment}-${config.vpc_endpoint_service_name}-${name}`,
    endpointName: `${environment}-${config.vpc_endpoint_name}-${name}`,
    endpointSecurityGroupName: `${environment}-${config.endpoint_sg_name}-${name}`,
    allowedPrincipals: settings.allowed_principals,
    ipTargets,
    deletionProtection: isProtected,
  });
  return {
    topology: "three_vpc",
    sourceVpc: vpcSpec(config, "source", () => vpcProps(config, "vpc")),
    dmsVpc: vpcSpec(config, "dms", () => vpcProps(config, "vpc2")),
    targetVpc: vpcSpec(config, "target", () => vpcProps(config, "vpc3")),
    sourceHop: hopSettings("source", network.source_hop, config.source.ip_addresses),
    sourceGateway: sourceGatewayProps(network.source_gateway),
    targetHop: hopSettings("target", network.target_hop, []),
    ...common,
  };
}

function sourceGatewayProps(gateway: NetworkConfig["network"]["source_gateway"]): ThreeVpcNetworkProps["sourceGateway"] {
  if (!gateway) return undefined;
  const routedCidrs = gateway.routed_cidrs;
  if (gateway.transit_gateway_id !== undefined) return { transitGatewayId: gateway.transit_gateway_id, routedCidrs };
  if (gateway.vpn_gateway_id !== undefined) return { vpnGatewayId: gateway.vpn_gateway_id, routedCidrs };
  return undefined;
}
