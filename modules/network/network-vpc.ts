// One VPC: private subnets (a route table each, so per-AZ NAT can be added without replacing
// anything), optional NAT, DNS on, and the default security group stripped of its rules so nothing
// can use it by accident. Public subnets and the internet gateway exist only for the NAT gateways
// that use them: nothing else in the landing zone faces the internet, so public CIDRs given
// without NAT stay reserved and unused rather than opening a path no one needs.
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { ConstructError } from "../core/construct-error.js";

export type NatGatewayMode = "none" | "single" | "per_az";

export interface NetworkVpcProps {
  /** Name tag of the VPC; subnets and route tables are named after it. */
  readonly name: string;
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** One availability zone per subnet, in subnet order. */
  readonly availabilityZones: readonly string[];
  /** Private subnet CIDRs, one per entry of `availabilityZones`. */
  readonly privateSubnetCidrs: readonly string[];
  /**
   * Public subnet CIDRs, one per AZ: created, with an internet gateway, only when NAT needs them.
   * @default []
   */
  readonly publicSubnetCidrs?: readonly string[];
  /**
   * NAT for the private subnets. Needs public subnets.
   * @default "none"
   */
  readonly natGateway?: NatGatewayMode;
}

export interface PrivateSubnet {
  readonly id: string;
  readonly availabilityZone: string;
  /** The subnet's own route table (a VPC this stack creates); unknown for an existing VPC. */
  readonly routeTableId?: string;
}

/**
 * A VPC the landing zone places things in: one this stack creates (`ManagedVpc`) or an existing
 * one named in config (`ExistingVpc`). Everything outside the VPC constructs uses only this.
 */
export interface NetworkVpc {
  /** Name tag (created) or a display name (existing); other resources are named after it. */
  readonly name: string;
  readonly cidr: string;
  readonly vpcId: string;
  readonly privateSubnets: readonly PrivateSubnet[];
  readonly privateSubnetIds: string[];
  /** Route tables of the private subnets, for gateway endpoints; may be empty for an existing VPC. */
  readonly privateRouteTableIds: string[];
  readonly availabilityZones: string[];
  readonly publicSubnetIds: readonly string[];
  /** Whether this stack creates the VPC (false: it exists already and is only referenced). */
  readonly managed: boolean;
}

/** A VPC this stack creates, with its subnets, route tables and optional NAT. */
export class ManagedVpc extends Construct implements NetworkVpc {
  readonly managed = true;
  readonly vpc: Vpc;
  readonly name: string;
  readonly cidr: string;
  readonly privateSubnets: readonly PrivateSubnet[];
  readonly publicSubnetIds: readonly string[];

  constructor(scope: Construct, id: string, props: NetworkVpcProps) {
    super(scope, id);
    const publicCidrs = props.publicSubnetCidrs ?? [];
    const nat = props.natGateway ?? "none";
    if (props.availabilityZones.length !== props.privateSubnetCidrs.length) {
      throw new ConstructError(this, `${props.privateSubnetCidrs.length} private subnets for ${props.availabilityZones.length} availability zones; give one per AZ`);
    }
    if (nat !== "none" && publicCidrs.length === 0) {
      throw new ConstructError(this, `NAT gateway "${nat}" needs public subnets`);
    }
    this.name = props.name;
    this.cidr = props.cidr;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, "default_security_group", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });

    const publicSubnets = (nat === "none" ? [] : publicCidrs).map(
      (cidr, index) =>
        new Subnet(this, `public_subnet_${index}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: props.availabilityZones[index % props.availabilityZones.length],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${index}`, Tier: "public" },
        }),
    );
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    if (publicSubnets.length > 0) {
      const gateway = new InternetGateway(this, "internet_gateway", { vpcId: this.vpc.id, tags: { Name: props.name } });
      const publicRoutes = new RouteTable(this, "public_route_table", { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
      new Route(this, "public_default_route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id });
      publicSubnets.forEach((subnet, index) => {
        new RouteTableAssociation(this, `public_route_table_association_${index}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      });
    }

    const natGatewayIds = this.natGateways(nat, publicSubnets);
    this.privateSubnets = props.privateSubnetCidrs.map((cidr, index) => {
      const availabilityZone = props.availabilityZones[index];
      const subnet = new Subnet(this, `private_subnet_${index}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone,
        tags: { Name: `${props.name}-private-${index}`, Tier: "private" },
      });
      const routes = new RouteTable(this, `private_route_table_${index}`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${index}` } });
      new RouteTableAssociation(this, `private_route_table_association_${index}`, { subnetId: subnet.id, routeTableId: routes.id });
      if (natGatewayIds.length > 0) {
        new Route(this, `private_default_route_${index}`, {
          routeTableId: routes.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGatewayIds[index % natGatewayIds.length],
        });
      }
      return { id: subnet.id, availabilityZone, routeTableId: routes.id };
    });
  }

  get vpcId(): string {
    return this.vpc.id;
  }

  get privateSubnetIds(): string[] {
    return this.privateSubnets.map((subnet) => subnet.id);
  }

  get privateRouteTableIds(): string[] {
    return this.privateSubnets.flatMap((subnet) => (subnet.routeTableId ? [subnet.routeTableId] : []));
  }

  get availabilityZones(): string[] {
    return this.privateSubnets.map((subnet) => subnet.availabilityZone);
  }

  private natGateways(mode: NatGatewayMode, publicSubnets: readonly Subnet[]): string[] {
    if (mode === "none") return [];
    const count = mode === "single" ? 1 : publicSubnets.length;
    return publicSubnets.slice(0, count).map((subnet, index) => {
      const address = new Eip(this, `nat_eip_${index}`, { domain: "vpc", tags: { Name: `${this.name}-nat-${index}` } });
      return new NatGateway(this, `nat_gateway_${index}`, { allocationId: address.id, subnetId: subnet.id, tags: { Name: `${this.name}-nat-${index}` } }).id;
    });
  }
}
