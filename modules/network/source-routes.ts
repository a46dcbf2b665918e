// The path from the source VPC to a source database outside AWS (on premises, another network):
// the VPC attached to a Transit Gateway or a virtual private gateway the user already has, and a
// route to each source network in every private route table, so the hop's NLB can reach its IP
// targets. Without it an NLB in a new VPC has only its local route and the targets never answer.
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpnGatewayAttachment } from "@cdktf/provider-aws/lib/vpn-gateway-attachment";
import { Construct } from "constructs";
import { NetworkVpc } from "./network-vpc.js";
import { ConstructError } from "../core/construct-error.js";

/** An existing gateway the source networks are reached through. */
export type SourceGateway = { readonly transitGatewayId: string } | { readonly vpnGatewayId: string };

export interface SourceRoutesProps {
  /** The VPC of the hop's NLB (created by this stack: its route tables are known). */
  readonly vpc: NetworkVpc;
  readonly gateway: SourceGateway;
  /** Destination CIDRs routed through the gateway (the source database's networks). */
  readonly cidrs: readonly string[];
}

export class SourceRoutes extends Construct {
  constructor(scope: Construct, id: string, props: SourceRoutesProps) {
    super(scope, id);
    const tables = [...new Set(props.vpc.privateSubnets.flatMap((subnet) => (subnet.routeTableId ? [subnet.routeTableId] : [])))];
    if (tables.length === 0) throw new ConstructError(this, `${props.vpc.name} has no route tables this stack manages; route ${props.cidrs.join(", ")} in the existing VPC instead`);
    const gateway = props.gateway;
    const target =
      "transitGatewayId" in gateway
        ? (() => {
            const attachment = new Ec2TransitGatewayVpcAttachment(this, "transit_gateway_attachment", {
              transitGatewayId: gateway.transitGatewayId,
              vpcId: props.vpc.vpcId,
              subnetIds: props.vpc.privateSubnetIds,
              tags: { Name: `${props.vpc.name}-source` },
            });
            return { transitGatewayId: gateway.transitGatewayId, dependsOn: [attachment] };
          })()
        : (() => {
            const attachment = new VpnGatewayAttachment(this, "vpn_gateway_attachment", { vpcId: props.vpc.vpcId, vpnGatewayId: gateway.vpnGatewayId });
            return { gatewayId: gateway.vpnGatewayId, dependsOn: [attachment] };
          })();
    tables.forEach((routeTableId, tableIndex) => {
      props.cidrs.forEach((cidr, cidrIndex) => {
        new Route(this, `route_${tableIndex}_${cidrIndex}`, { routeTableId, destinationCidrBlock: cidr, ...target });
      });
    });
  }
}
