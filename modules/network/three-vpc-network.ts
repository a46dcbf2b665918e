// The aws-samples topology: source, DMS and target VPCs with no routes between them. DMS reaches
// each database through a PrivateLink hop, so the VPCs may use overlapping CIDRs.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { MigrationNetwork, WorkstationSettings } from "./migration-network.js";
import { MigrationWorkstation } from "./migration-workstation.js";
import { networkVpc, VpcSpec } from "./existing-vpc.js";
import { NetworkVpc } from "./network-vpc.js";
import { PrivateLinkHop, PrivateLinkHopProps } from "./privatelink-hop.js";
import { emptySecurityGroup } from "./security-group-rules.js";
import { ServiceEndpoints } from "./service-endpoints.js";
import { SourceGateway, SourceRoutes } from "./source-routes.js";
import { Address4 } from "ip-address";
import { ConstructError } from "../core/construct-error.js";
import { VpcFlowLogs } from "./vpc-flow-logs.js";

export type HopSettings = Omit<PrivateLinkHopProps, "providerVpc" | "consumerVpc">;

export interface ThreeVpcNetworkProps {
  readonly region: string;
  /** `<project>-<environment>`: prefix of the groups and roles this construct names. */
  readonly namePrefix: string;
  /** The source VPC to create, or an existing one. */
  readonly sourceVpc: VpcSpec;
  /** The DMS VPC to create, or an existing one (typically the VPC with the VPN to on-premises). */
  readonly dmsVpc: VpcSpec;
  /** The target VPC to create, or an existing one. */
  readonly targetVpc: VpcSpec;
  readonly sourceHop: HopSettings;
  readonly targetHop: HopSettings;
  /** Interface endpoint services in the DMS VPC (and the target VPC when needed there). */
  readonly serviceEndpoints: readonly string[];
  readonly serviceEndpointsSecurityGroupName: string;
  /**
   * Days the VPC flow log groups keep their logs.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /** @default no workstation */
  readonly workstation?: WorkstationSettings;
  /**
   * How the source VPC reaches source IP targets outside it (on premises): a Transit Gateway or
   * virtual private gateway to attach to, and the networks to route (default: each such IP, /32).
   * @default none: every source IP target must be inside the source VPC
   */
  readonly sourceGateway?: SourceGateway & { readonly routedCidrs?: readonly string[] };
}

export class ThreeVpcNetwork extends Construct implements MigrationNetwork {
  readonly topology = "three_vpc" as const;
  readonly sourceVpc: NetworkVpc;
  readonly dmsVpc: NetworkVpc;
  readonly targetVpc: NetworkVpc;
  readonly dmsSecurityGroup: SecurityGroup;
  readonly dmsServiceEndpoints: ServiceEndpoints;
  readonly sourceHop: PrivateLinkHop;
  readonly targetHop: PrivateLinkHop;
  readonly workstation?: MigrationWorkstation;
  readonly flowLogs: VpcFlowLogs;
  private targetEndpoints?: ServiceEndpoints;

  constructor(scope: Construct, id: string, private readonly props: ThreeVpcNetworkProps) {
    super(scope, id);
    this.sourceVpc = networkVpc(this, "source_vpc", props.sourceVpc);
    this.dmsVpc = networkVpc(this, "dms_vpc", props.dmsVpc);
    this.targetVpc = networkVpc(this, "target_vpc", props.targetVpc);

    this.flowLogs = new VpcFlowLogs(this, "flow_logs", { namePrefix: props.namePrefix, region: props.region, vpcs: [this.sourceVpc, this.dmsVpc, this.targetVpc], retentionDays: props.flowLogRetentionDays });

    this.dmsSecurityGroup = emptySecurityGroup(this, "dms_security_group", {
      name: `${props.namePrefix}-dms`,
      description: "DMS replication instance: egress to the hop endpoints and AWS service endpoints only",
      vpcId: this.dmsVpc.vpcId,
    });
    this.dmsServiceEndpoints = new ServiceEndpoints(this, "dms_service_endpoints", {
      vpc: this.dmsVpc,
      region: props.region,
      services: props.serviceEndpoints,
      securityGroupName: props.serviceEndpointsSecurityGroupName,
    });
    this.dmsServiceEndpoints.allowClient("dms", this.dmsSecurityGroup);

    this.routeToSource(props);
    this.sourceHop = new PrivateLinkHop(this, "source_hop", { ...props.sourceHop, providerVpc: this.sourceVpc, consumerVpc: this.dmsVpc });
    this.targetHop = new PrivateLinkHop(this, "target_hop", { ...props.targetHop, providerVpc: this.targetVpc, consumerVpc: this.dmsVpc });
    this.sourceHop.allowClient("dms", this.dmsSecurityGroup, "DMS to the source database");
    this.targetHop.allowClient("dms", this.dmsSecurityGroup, "DMS to the target database");

    if (props.workstation) {
      const vpc = { source: this.sourceVpc, dms: this.dmsVpc, target: this.targetVpc }[props.workstation.vpc];
      this.workstation = new MigrationWorkstation(this, "workstation", { ...props.workstation, vpc, region: props.region, name: props.namePrefix });
      if (vpc === this.dmsVpc) {
        this.sourceHop.allowClient("workstation", this.workstation.securityGroup, "Workstation to the source database");
        this.targetHop.allowClient("workstation", this.workstation.securityGroup, "Workstation to the target database");
      }
      // Secrets Manager, KMS and S3 (the package repositories) through the VPC's endpoints.
      if (vpc === this.dmsVpc) this.dmsServiceEndpoints.allowClient("workstation", this.workstation.securityGroup);
      if (vpc === this.targetVpc) this.targetServiceEndpoints().allowClient("workstation", this.workstation.securityGroup);
    }
  }

  /** Refuses IP targets nothing routes to; routes them through the given gateway. */
  private routeToSource(props: ThreeVpcNetworkProps): void {
    const outside = (props.sourceHop.ipTargets ?? []).filter((ip) => !new Address4(ip).isInSubnet(new Address4(this.sourceVpc.cidr)));
    if (outside.length === 0 || !this.sourceVpc.managed) return;
    if (!props.sourceGateway) {
      throw new ConstructError(
        this,
        `source IP ${outside.join(", ")} is outside the source VPC (${this.sourceVpc.cidr}) and nothing routes there: ` +
          "give the Transit Gateway or virtual private gateway that reaches it (the source VPC is attached and the route added), or adopt an existing source VPC that has the route",
      );
    }
    const { routedCidrs, ...gateway } = props.sourceGateway;
    new SourceRoutes(this, "source_routes", { vpc: this.sourceVpc, gateway, cidrs: routedCidrs ?? outside.map((ip) => `${ip}/32`) });
  }

  targetServiceEndpoints(): ServiceEndpoints {
    this.targetEndpoints ??= new ServiceEndpoints(this, "target_service_endpoints", {
      vpc: this.targetVpc,
      region: this.props.region,
      services: this.props.serviceEndpoints,
      securityGroupName: `${this.props.serviceEndpointsSecurityGroupName}-target`,
    });
    return this.targetEndpoints;
  }
}
