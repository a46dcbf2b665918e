import { describe, expect, it } from "vitest";
import { emptySecurityGroup } from "../../modules/network/security-group-rules.js";
import { ServiceEndpoints } from "../../modules/network/service-endpoints.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("ServiceEndpoints", () => {
  const json = synthConstruct((scope) => {
    const vpc = testVpc(scope, "vpc");
    const endpoints = new ServiceEndpoints(scope, "endpoints", { vpc, region: "eu-west-1", services: ["secretsmanager", "logs", "logs"], securityGroupName: "endpoints" });
    endpoints.allowClient("dms", emptySecurityGroup(scope, "dms", { name: "dms", description: "dms", vpcId: vpc.vpcId }));
  });
  const endpoints = resourcesOf(json, "aws_vpc_endpoint");

  it("creates one private-DNS interface endpoint per distinct service and an S3 gateway on the private route tables", () => {
    expect(Object.keys(endpoints).sort()).toEqual(["endpoints_logs", "endpoints_s3", "endpoints_secretsmanager"]);
    expect(endpoints.endpoints_secretsmanager).toMatchObject({ service_name: "com.amazonaws.eu-west-1.secretsmanager", vpc_endpoint_type: "Interface", private_dns_enabled: true });
    expect(endpoints.endpoints_s3).toMatchObject({ vpc_endpoint_type: "Gateway", route_table_ids: ["${aws_route_table.vpc_private_route_table_0.id}", "${aws_route_table.vpc_private_route_table_1.id}"] });
  });

  it("admits HTTPS from a named client group, and lets that group reach S3 through the gateway's prefix list", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, referenced_security_group_id: "${aws_security_group.dms.id}" })]);
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
    expect(egress.endpoints_dms_s3_egress).toMatchObject({ prefix_list_id: "${aws_vpc_endpoint.endpoints_s3.prefix_list_id}", from_port: 443 });
  });
});
