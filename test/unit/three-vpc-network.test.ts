import { describe, expect, it } from "vitest";
import { ThreeVpcNetwork } from "../../modules/network/three-vpc-network.js";
import { hopNames, twoAzVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

const hop = hopNames;

function network(withTargetEndpoints: boolean) {
  return synthConstruct((scope) => {
    const built = new ThreeVpcNetwork(scope, "network", {
      region: "us-east-1",
      namePrefix: "lz-t",
      // The aws-samples layout: DMS and target VPCs share one CIDR.
      sourceVpc: { ...twoAzVpc, name: "source", cidr: "192.168.0.0/16", privateSubnetCidrs: ["192.168.1.0/24", "192.168.2.0/24"] },
      dmsVpc: { ...twoAzVpc, name: "dms" },
      targetVpc: { ...twoAzVpc, name: "target" },
      sourceHop: { ...hop("source"), ipTargets: ["10.50.0.9"] },
      targetHop: hop("target"),
      serviceEndpoints: ["secretsmanager"],
      serviceEndpointsSecurityGroupName: "t-endpoints",
    });
    if (withTargetEndpoints) built.targetServiceEndpoints();
  });
}

describe("ThreeVpcNetwork", () => {
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
