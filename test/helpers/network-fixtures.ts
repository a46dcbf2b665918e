// Small network inputs shared by the network unit tests.
import { Construct } from "constructs";
import { ManagedVpc, NetworkVpcProps } from "../../modules/network/network-vpc.js";

export const twoAzVpc: NetworkVpcProps = {
  name: "test-vpc",
  cidr: "10.0.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  privateSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
};

/** Names for one PrivateLink hop, as the stack would give them. */
export function hopNames(name: string) {
  return {
    port: 5432,
    loadBalancerName: `t-nlb-${name}`,
    targetGroupName: `t-tg-${name}`,
    endpointServiceName: `t-svc-${name}`,
    endpointName: `t-ep-${name}`,
    endpointSecurityGroupName: `t-ep-sg-${name}`,
  };
}

export function testVpc(scope: Construct, id: string, props: Partial<NetworkVpcProps> = {}): ManagedVpc {
  return new ManagedVpc(scope, id, { ...twoAzVpc, name: id, ...props });
}
