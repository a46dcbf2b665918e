import { describe, expect, it } from "vitest";
import { PrivateLinkHop } from "../../modules/network/privatelink-hop.js";
import { emptySecurityGroup } from "../../modules/network/security-group-rules.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const hopProps = {
  port: 5432,
  loadBalancerName: "dev-nlb-target",
  targetGroupName: "dev-tg-target",
  endpointServiceName: "dev-svc-target",
  endpointName: "dev-endpoint-target",
  endpointSecurityGroupName: "dev-endpoint-sg-target",
};

function hop(ipTargets: string[] = [], allowedPrincipals?: string[]) {
  return synthConstruct((scope) => {
    const provider = testVpc(scope, "provider", { cidr: "192.168.0.0/16", privateSubnetCidrs: ["192.168.1.0/24", "192.168.2.0/24"] });
    const consumer = testVpc(scope, "consumer");
    const dms = emptySecurityGroup(scope, "dms", { name: "dms", description: "dms", vpcId: consumer.vpcId });
    const created = new PrivateLinkHop(scope, "hop", { ...hopProps, providerVpc: provider, consumerVpc: consumer, ipTargets, allowedPrincipals });
    created.allowClient("dms", dms, "DMS to the database");
  });
}

describe("PrivateLinkHop", () => {
  it("puts an internal, cross-zone NLB with its own security group in the provider VPC's private subnets", () => {
    const lb = onlyResource(hop(), "aws_lb");
    expect(lb).toMatchObject({ name: "dev-nlb-target", load_balancer_type: "network", internal: true, enable_cross_zone_load_balancing: true });
    expect(lb.subnets).toEqual(["${aws_subnet.provider_private_subnet_0.id}", "${aws_subnet.provider_private_subnet_1.id}"]);
    expect(lb.security_groups).toEqual(["${aws_security_group.hop_nlb_security_group.id}"]);
  });

  it("forwards the database port over TCP to an IP target group with TCP health checks", () => {
    const json = hop();
    expect(onlyResource(json, "aws_lb_target_group")).toMatchObject({ port: 5432, protocol: "TCP", target_type: "ip", health_check: { protocol: "TCP" } });
    expect(onlyResource(json, "aws_lb_listener")).toMatchObject({ port: 5432, protocol: "TCP" });
  });

  it("registers external IPs with availability zone all and in-VPC IPs without, each with a /32 egress rule", () => {
    const json = hop(["10.200.0.5", "192.168.1.20"]);
    const attachments = resourcesOf(json, "aws_lb_target_group_attachment");
    expect(attachments.hop_ip_target_0).toMatchObject({ target_id: "10.200.0.5", availability_zone: "all", port: 5432 });
    expect(attachments.hop_ip_target_1.availability_zone).toBeUndefined();
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
    expect(egress.hop_ip_target_0_egress).toMatchObject({ cidr_ipv4: "10.200.0.5/32", from_port: 5432, to_port: 5432 });
  });

  it("requires acceptance and accepts only its own endpoint, in the stack", () => {
    const json = hop();
    expect(onlyResource(json, "aws_vpc_endpoint_service").acceptance_required).toBe(true);
    expect(onlyResource(json, "aws_vpc_endpoint_connection_accepter")).toEqual({
      vpc_endpoint_service_id: "${aws_vpc_endpoint_service.hop_endpoint_service.id}",
      vpc_endpoint_id: "${aws_vpc_endpoint.hop_endpoint.id}",
    });
  });

  it("allows only the deploying account on the endpoint service by default, read from the NLB ARN", () => {
    const service = onlyResource(hop(), "aws_vpc_endpoint_service");
    expect(service.allowed_principals).toEqual([
      'arn:${element(split(":", aws_lb.hop_nlb.arn), 1)}:iam::${element(split(":", aws_lb.hop_nlb.arn), 4)}:root',
    ]);
    const named = onlyResource(hop([], ["arn:aws:iam::111122223333:root"]), "aws_vpc_endpoint_service");
    expect(named.allowed_principals).toEqual(["arn:aws:iam::111122223333:root"]);
  });

  it("admits the database port at the interface endpoint only from the named client group", () => {
    const json = hop();
    expect(onlyResource(json, "aws_vpc_endpoint")).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: false, security_group_ids: ["${aws_security_group.hop_endpoint_security_group.id}"] });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toEqual([
      expect.objectContaining({ security_group_id: "${aws_security_group.hop_endpoint_security_group.id}", referenced_security_group_id: "${aws_security_group.dms.id}", from_port: 5432, to_port: 5432, ip_protocol: "tcp" }),
    ]);
    for (const rule of ingress) expect(rule.cidr_ipv4).toBeUndefined();
  });
});
