// A VPC that exists already (the one with the VPN to on-premises, or a platform team's shared
// VPC): nothing is created or changed in it beyond what the landing zone places there. Subnets'
// availability zones and the route tables are given, as a plan cannot look them up offline.
import { Construct } from "constructs";
import { ManagedVpc, NetworkVpc, NetworkVpcProps, PrivateSubnet } from "./network-vpc.js";
import { ConstructError, isKnownText } from "../core/construct-error.js";

export interface ExistingVpcProps {
  /** The VPC's ID, `vpc-...`. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR (hop targets inside it are told apart from on-premises ones by it). */
  readonly cidr: string;
  /** Private subnets the landing zone uses, at least two in different AZs. */
  readonly privateSubnetIds: readonly string[];
  /** The availability zone of each subnet, in the same order. */
  readonly availabilityZones: readonly string[];
  /**
   * Route tables of those subnets, for the S3 gateway endpoint.
   * @default [] (no S3 gateway endpoint: the VPC has one already, or reaches S3 otherwise)
   */
  readonly routeTableIds?: readonly string[];
  /** Name used in the names and Name tags of what the landing zone puts in the VPC. */
  readonly name: string;
}

export class ExistingVpc extends Construct implements NetworkVpc {
  readonly managed = false;
  readonly name: string;
  readonly cidr: string;
  readonly vpcId: string;
  readonly privateSubnets: readonly PrivateSubnet[];
  readonly publicSubnetIds: readonly string[] = [];
  private readonly routeTableIds: readonly string[];

  constructor(scope: Construct, id: string, props: ExistingVpcProps) {
    super(scope, id);
    if (props.privateSubnetIds.length !== props.availabilityZones.length) {
      throw new ConstructError(this, `${props.privateSubnetIds.length} subnets for ${props.availabilityZones.length} availability zones; give the AZ of each subnet`);
    }
    if (props.availabilityZones.every(isKnownText) && new Set(props.availabilityZones).size < 2) {
      throw new ConstructError(this, `the subnets must span at least two availability zones (DB and DMS subnet groups and NLBs need two)`);
    }
    this.name = props.name;
    this.cidr = props.cidr;
    this.vpcId = props.vpcId;
    this.privateSubnets = props.privateSubnetIds.map((subnetId, index) => ({ id: subnetId, availabilityZone: props.availabilityZones[index] }));
    this.routeTableIds = [...new Set(props.routeTableIds ?? [])];
  }

  get privateSubnetIds(): string[] {
    return this.privateSubnets.map((subnet) => subnet.id);
  }

  get privateRouteTableIds(): string[] {
    return [...this.routeTableIds];
  }

  get availabilityZones(): string[] {
    return this.privateSubnets.map((subnet) => subnet.availabilityZone);
  }
}

/** A VPC to create, or an existing one to use. */
export type VpcSpec = NetworkVpcProps | ({ readonly existing: true } & ExistingVpcProps);

/** Creates the VPC construct for a spec: a `ManagedVpc`, or an `ExistingVpc` that creates nothing. */
export function networkVpc(scope: Construct, id: string, spec: VpcSpec): NetworkVpc {
  return "existing" in spec ? new ExistingVpc(scope, id, spec) : new ManagedVpc(scope, id, spec);
}
