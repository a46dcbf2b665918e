import { describe, expect, it } from "vitest";
import { ThreeVpcNetwork, ThreeVpcNetworkProps } from "../../modules/network/three-vpc-network.js";
import { hopNames, twoAzVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

const hop = hopNames;

function network(withTargetEndpoints: boolean, source: Pick<ThreeVpcNetworkProps, "sourceGateway"> & { ipTargets?: string[] } = {}) {
  return synthConstruct((scope) => {
    const built = new ThreeVpcNetwork(scope, "network", {
      region: "us-east-1",
      namePrefix: "lz-t",
      // The aws-samples layout: DMS and target VPCs share one CIDR.
      sourceVpc: { ...twoAzVpc, name: "source", cidr: "192.168.0.0/16", privateSubnetCidrs: ["192.168.1.0/24", "192.168.2.0/24"] },
      dmsVpc: { ...twoAzVpc, name: "dms" },
      targetVpc: { ...twoAzVpc, name: "target" },
      sourceHop: { ...hop("source"), ipTargets: source.ipTargets ?? ["192.168.1.9"] },
      sourceGateway: source.sourceGateway,
      targetHop: hop("target"),
      serviceEndpoints: ["secretsmanager"],
      serviceEndpointsSecurityGroupName: "t-endpoints",
    });
    if (withTargetEndpoints) built.targetServiceEndpoints();
  });
}

describe("ThreeVpcNetwork", () => {
  it("refuses a source IP outside the source VPC when nothing routes there", () => {
    expect(() => network(false, { ipTargets: ["10.50.0.9"] })).toThrow(/source IP 10\.50\.0\.9 is outside the source VPC \(192\.168\.0\.0\/16\) and nothing routes there/);
  });

  it("attaches the source VPC to a given Transit Gateway and routes the source network in every private route table", () => {
    const json = network(false, { ipTargets: ["10.50.0.9"], sourceGateway: { transitGatewayId: "tgw-0123456789abcdef0", routedCidrs: ["10.50.0.0/16"] } });
    expect(resourcesOf(json, "aws_ec2_transit_gateway_vpc_attachment").network_source_routes_transit_gateway_attachment).toMatchObject({
      transit_gateway_id: "tgw-0123456789abcdef0",
      vpc_id: "${aws_vpc.network_source_vpc_vpc.id}",
    });
    const routes = Object.values(resourcesOf(json, "aws_route")).filter((route) => route.destination_cidr_block === "10.50.0.0/16");
    expect(routes).toHaveLength(2);
    for (const route of routes) {
      expect(route).toMatchObject({ transit_gateway_id: "tgw-0123456789abcdef0", depends_on: ["aws_ec2_transit_gateway_vpc_attachment.network_source_routes_transit_gateway_attachment"] });
      expect(String(route.route_table_id)).toContain("network_source_vpc");
    }
  });

  it("or attaches it to a virtual private gateway and routes each off-VPC target", () => {
    const json = network(false, { ipTargets: ["10.50.0.9"], sourceGateway: { vpnGatewayId: "vgw-0123456789abcdef0" } });
    expect(resourcesOf(json, "aws_vpn_gateway_attachment").network_source_routes_vpn_gateway_attachment).toMatchObject({ vpn_gateway_id: "vgw-0123456789abcdef0" });
    const routes = Object.values(resourcesOf(json, "aws_route")).filter((route) => route.destination_cidr_block === "10.50.0.9/32");
    expect(routes.map((route) => route.gateway_id)).toEqual(["vgw-0123456789abcdef0", "vgw-0123456789abcdef0"]);
  });

  it("builds three VPCs with no routes between them and two hops consumed from the DMS VPC", () => {
    const json = network(false);
    expect(Object.keys(resourcesOf(json, "aws_vpc")).sort()).toEqual(["network_dms_vpc_vpc", "network_source_vpc_vpc", "network_target_vpc_vpc"]);
    expect(resourcesOf(json, "aws_vpc_peering_connection")).toEqual({});
    expect(resourcesOf(json, "aws_ec2_transit_gateway")).toEqual({});
    const endpoints = resourcesOf(json, "aws_vpc_endpoint");
    expect(endpoints.network_source_hop_endpoint.vpc_id).toBe("${aws_vpc.network_dms_vpc_vpc.id}");
    expect(endpoints.network_target_hop_endpoint.vpc_id).toBe("${aws_vpc.network_dms_vpc_vpc.id}");
  });

  it("gives the DMS group egress only to the hop endpoints and the service endpoints", () => {
    const egress = Object.values(resourcesOf(network(false), "aws_vpc_security_group_egress_rule")).filter(
      (rule) => rule.security_group_id === "${aws_security_group.network_dms_security_group.id}",
    );
    expect(egress.map((rule) => rule.referenced_security_group_id ?? rule.prefix_list_id).sort()).toEqual([
      "${aws_security_group.network_dms_service_endpoints_security_group.id}",
      "${aws_security_group.network_source_hop_endpoint_security_group.id}",
      "${aws_security_group.network_target_hop_endpoint_security_group.id}",
      "${aws_vpc_endpoint.network_dms_service_endpoints_s3.prefix_list_id}",
    ]);
    for (const rule of egress) expect(rule.cidr_ipv4).toBeUndefined();
  });

  it("creates target-VPC service endpoints only when something there asks for them", () => {
    expect(Object.keys(resourcesOf(network(false), "aws_vpc_endpoint")).some((k) => k.startsWith("network_target_service_endpoints"))).toBe(false);
    expect(Object.keys(resourcesOf(network(true), "aws_vpc_endpoint")).some((k) => k.startsWith("network_target_service_endpoints"))).toBe(true);
  });
});
