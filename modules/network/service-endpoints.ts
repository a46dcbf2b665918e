// AWS service endpoints in one VPC so DMS, Lambda functions and the workstation reach Secrets
// Manager, CloudWatch Logs, KMS, ... without a NAT gateway: interface endpoints behind one
// security group that admits HTTPS only from groups named with `allowClient`, and optionally
// an S3 gateway endpoint on the private route tables.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { NetworkVpc } from "./network-vpc.js";
import { allowTcp, emptySecurityGroup } from "./security-group-rules.js";

export interface ServiceEndpointsProps {
  readonly vpc: NetworkVpc;
  readonly region: string;
  /** Service names as in `com.amazonaws.<region>.<service>`, e.g. `secretsmanager`. */
  readonly services: readonly string[];
  /** Name of the interface endpoints' security group. */
  readonly securityGroupName: string;
  /**
   * Add an S3 gateway endpoint on the VPC's private route tables.
   * @default true
   */
  readonly s3Gateway?: boolean;
}

export class ServiceEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly s3GatewayEndpoint?: VpcEndpoint;
  private readonly endpoints: Record<string, VpcEndpoint> = {};

  constructor(scope: Construct, id: string, private readonly props: ServiceEndpointsProps) {
    super(scope, id);
    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: props.securityGroupName,
      description: `AWS service interface endpoints in ${props.vpc.name}: HTTPS from named clients`,
      vpcId: props.vpc.vpcId,
    });
    for (const service of props.services) this.addService(service);
    // An existing VPC given without route tables keeps the S3 access it has.
    if ((props.s3Gateway ?? true) && props.vpc.privateRouteTableIds.length > 0) {
      this.s3GatewayEndpoint = new VpcEndpoint(this, "s3", {
        vpcId: props.vpc.vpcId,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: props.vpc.privateRouteTableIds,
        tags: { Name: `${props.vpc.name}-s3` },
      });
    }
  }

  get interfaceEndpoints(): Readonly<Record<string, VpcEndpoint>> {
    return this.endpoints;
  }

  /** An interface endpoint for one more service (a Lambda that needs it); a no-op when it exists. */
  addService(service: string): VpcEndpoint {
    this.endpoints[service] ??= new VpcEndpoint(this, service, {
      vpcId: this.props.vpc.vpcId,
      serviceName: `com.amazonaws.${this.props.region}.${service}`,
      vpcEndpointType: "Interface",
      subnetIds: this.props.vpc.privateSubnetIds,
      securityGroupIds: [this.securityGroup.id],
      privateDnsEnabled: true,
      tags: { Name: `${this.props.vpc.name}-${service}` },
    });
    return this.endpoints[service];
  }

  /** HTTPS from a client group to the interface endpoints, and to S3 through the gateway. */
  allowClient(id: string, client: SecurityGroup): void {
    allowTcp(this, `${id}_https`, { from: client, to: this.securityGroup, port: 443, description: `${id} to AWS service endpoints` });
    if (this.s3GatewayEndpoint) {
      new VpcSecurityGroupEgressRule(this, `${id}_s3_egress`, {
        securityGroupId: client.id,
        prefixListId: this.s3GatewayEndpoint.prefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `${id} to S3 through the gateway endpoint`,
      });
    }
  }
}
