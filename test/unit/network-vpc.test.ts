import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ManagedVpc } from "../../modules/network/network-vpc.js";
import { twoAzVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("ManagedVpc", () => {
  it("creates a DNS-enabled VPC with a private subnet and route table per AZ, and nothing public", () => {
    const json = synthConstruct((scope) => new ManagedVpc(scope, "vpc", twoAzVpc));
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), "aws_vpc", { cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true })).toBe(true);
    const subnets = Object.values(resourcesOf(json, "aws_subnet"));
    expect(subnets.map((s) => [s.cidr_block, s.availability_zone])).toEqual([["10.0.1.0/24", "us-east-1a"], ["10.0.2.0/24", "us-east-1b"]]);
    expect(Object.keys(resourcesOf(json, "aws_route_table"))).toEqual(["vpc_private_route_table_0", "vpc_private_route_table_1"]);
    expect(resourcesOf(json, "aws_internet_gateway")).toEqual({});
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(json, "aws_route")).toEqual({});
  });

  it("strips the default security group of every rule", () => {
    const json = synthConstruct((scope) => new ManagedVpc(scope, "vpc", twoAzVpc));
    const group = Object.values(resourcesOf(json, "aws_default_security_group"))[0];
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it("creates no public subnet or internet gateway when nothing uses them (public CIDRs without NAT)", () => {
    const json = synthConstruct((scope) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, publicSubnetCidrs: ["10.0.101.0/24", "10.0.102.0/24"] }));
    expect(resourcesOf(json, "aws_internet_gateway")).toEqual({});
    expect(Object.values(resourcesOf(json, "aws_subnet")).map((subnet) => (subnet.tags as Record<string, string>).Tier)).toEqual(["private", "private"]);
    expect(Object.values(resourcesOf(json, "aws_route")).filter((route) => route.destination_cidr_block === "0.0.0.0/0")).toEqual([]);
  });

  it("adds an internet gateway for public subnets and routes private subnets through per-AZ NAT when asked", () => {
    const json = synthConstruct((scope) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, publicSubnetCidrs: ["10.0.101.0/24", "10.0.102.0/24"], natGateway: "per_az" }));
    expect(Object.keys(resourcesOf(json, "aws_internet_gateway"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(2);
    const routes = resourcesOf(json, "aws_route");
    expect(routes.vpc_private_default_route_0.nat_gateway_id).toBe("${aws_nat_gateway.vpc_nat_gateway_0.id}");
    expect(routes.vpc_private_default_route_1.nat_gateway_id).toBe("${aws_nat_gateway.vpc_nat_gateway_1.id}");
    for (const subnet of Object.values(resourcesOf(json, "aws_subnet"))) expect(subnet.map_public_ip_on_launch ?? false).toBe(false);
  });

  it("shares one NAT gateway in single mode", () => {
    const json = synthConstruct((scope) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, publicSubnetCidrs: ["10.0.101.0/24", "10.0.102.0/24"], natGateway: "single" }));
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toEqual(["vpc_nat_gateway_0"]);
    expect(Object.keys(resourcesOf(json, "aws_route")).filter((k) => k.includes("private"))).toHaveLength(2);
  });

  it("refuses NAT without public subnets and subnets that do not match the AZs", () => {
    expect(() => synthConstruct((scope) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, natGateway: "single" }))).toThrow(/needs public subnets/);
    expect(() => synthConstruct((scope) => new ManagedVpc(scope, "vpc", { ...twoAzVpc, privateSubnetCidrs: ["10.0.1.0/24"] }))).toThrow(/1 private subnets for 2/);
  });
});
