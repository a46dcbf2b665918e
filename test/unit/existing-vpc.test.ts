// Bring-your-own network: an existing VPC creates nothing, and the network constructs place their
// resources in it by ID exactly as they do in a VPC they create.
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ExistingVpc, networkVpc } from "../../modules/network/existing-vpc.js";
import { ThreeVpcNetwork } from "../../modules/network/three-vpc-network.js";
import { SingleVpcNetwork } from "../../modules/network/single-vpc-network.js";
import { hopNames, twoAzVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

const existing = {
  existing: true as const,
  name: "corp-vpn",
  vpcId: "vpc-0123456789abcdef0",
  cidr: "10.20.0.0/16",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  availabilityZones: ["us-east-1a", "us-east-1b"],
  routeTableIds: ["rtb-0123456789abcdef0", "rtb-0123456789abcdef0"],
};

const hop = hopNames;

describe("ExistingVpc", () => {
  it("exposes the configured IDs through the NetworkVpc surface and creates no resource", () => {
    let vpc: ExistingVpc | undefined;
    const json = synthConstruct((scope) => {
      vpc = networkVpc(scope, "dms_vpc", existing) as ExistingVpc;
    });
    expect(vpc).toBeInstanceOf(ExistingVpc);
    expect(vpc).toMatchObject({ managed: false, vpcId: existing.vpcId, cidr: "10.20.0.0/16", name: "corp-vpn", publicSubnetIds: [] });
    expect(vpc!.privateSubnetIds).toEqual(existing.privateSubnetIds);
    expect(vpc!.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(vpc!.privateRouteTableIds).toEqual(["rtb-0123456789abcdef0"]);
    expect(json.resource ?? {}).toEqual({});
  });

  it("refuses subnets without an AZ each, and subnets in one AZ", () => {
    expect(() => synthConstruct((scope) => new ExistingVpc(scope, "v", { ...existing, availabilityZones: ["us-east-1a"] }))).toThrow(/2 subnets for 1 availability zones/);
    expect(() => synthConstruct((scope) => new ExistingVpc(scope, "v", { ...existing, availabilityZones: ["us-east-1a", "us-east-1a"] }))).toThrow(/two availability zones/);
  });

  it("places the DMS group, service endpoints and hop endpoints in an existing DMS VPC", () => {
    const json = synthConstruct((scope) => {
      new ThreeVpcNetwork(scope, "network", {
        region: "us-east-1",
        namePrefix: "lz-t",
        sourceVpc: { ...twoAzVpc, name: "source", cidr: "192.168.0.0/16", privateSubnetCidrs: ["192.168.1.0/24", "192.168.2.0/24"] },
        dmsVpc: existing,
        targetVpc: { ...twoAzVpc, name: "target" },
        sourceHop: hop("source"),
        targetHop: hop("target"),
        serviceEndpoints: ["secretsmanager"],
        serviceEndpointsSecurityGroupName: "t-endpoints",
      });
    });
    expect(Object.keys(resourcesOf(json, "aws_vpc")).sort()).toEqual(["network_source_vpc_vpc", "network_target_vpc_vpc"]);
    expect(Object.keys(resourcesOf(json, "aws_subnet")).some((name) => name.startsWith("network_dms_vpc"))).toBe(false);
    expect(resourcesOf(json, "aws_security_group").network_dms_security_group.vpc_id).toBe(existing.vpcId);
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_vpc_endpoint", { vpc_id: existing.vpcId, subnet_ids: existing.privateSubnetIds, vpc_endpoint_type: "Interface", service_name: "com.amazonaws.us-east-1.secretsmanager" })).toBe(true);
    const endpoints = resourcesOf(json, "aws_vpc_endpoint");
    expect(endpoints.network_source_hop_endpoint).toMatchObject({ vpc_id: existing.vpcId, subnet_ids: existing.privateSubnetIds });
    expect(endpoints.network_dms_service_endpoints_s3).toMatchObject({ vpc_endpoint_type: "Gateway", route_table_ids: ["rtb-0123456789abcdef0"] });
  });

  it("adds no S3 gateway endpoint to an existing VPC given without route tables", () => {
    const json = synthConstruct((scope) => {
      new SingleVpcNetwork(scope, "network", {
        region: "us-east-1",
        namePrefix: "lz-t",
        vpc: { ...existing, routeTableIds: [] },
        serviceEndpoints: ["secretsmanager"],
        serviceEndpointsSecurityGroupName: "t-endpoints",
      });
    });
    expect(Object.keys(resourcesOf(json, "aws_vpc_endpoint"))).toEqual(["network_service_endpoints_secretsmanager"]);
    expect(resourcesOf(json, "aws_vpc")).toEqual({});
  });
});
