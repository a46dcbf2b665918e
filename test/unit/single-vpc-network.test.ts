import { describe, expect, it } from "vitest";
import { SingleVpcNetwork } from "../../modules/network/single-vpc-network.js";
import { twoAzVpc } from "../helpers/network-fixtures.js";
import { resourcesOf, synthConstruct } from "../helpers/synth.js";

describe("SingleVpcNetwork", () => {
  it("puts DMS and the database in one VPC with service endpoints and no load balancers", () => {
    let sameVpc = false;
    const json = synthConstruct((scope) => {
      const network = new SingleVpcNetwork(scope, "network", {
        region: "eu-central-1",
        namePrefix: "lz-s",
        vpc: twoAzVpc,
        serviceEndpoints: ["secretsmanager", "logs"],
        serviceEndpointsSecurityGroupName: "s-endpoints",
      });
      sameVpc = network.dmsVpc === network.targetVpc && network.targetServiceEndpoints() === network.dmsServiceEndpoints;
    });
    expect(sameVpc).toBe(true);
    expect(Object.keys(resourcesOf(json, "aws_vpc"))).toEqual(["network_vpc_vpc"]);
    expect(resourcesOf(json, "aws_lb")).toEqual({});
    expect(resourcesOf(json, "aws_security_group").network_dms_security_group).toMatchObject({ name_prefix: "lz-s-dms-", tags: { Name: "lz-s-dms" } });
  });
});
