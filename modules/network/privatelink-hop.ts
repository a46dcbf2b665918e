// One PrivateLink hop: an internal NLB in the VPC that has the database, published as a VPC
// endpoint service, and an interface endpoint in the consuming (DMS) VPC. DMS connects to the
// endpoint's DNS name; overlapping or non-routable CIDRs on the two sides do not matter.
//
// The service requires acceptance and the stack accepts its own endpoint (an
// aws_vpc_endpoint_connection_accepter): the provider's aws_vpc_endpoint counts
// `pendingAcceptance` as created, so without the accepter DMS would never get through. Any other
// endpoint an allowed principal creates waits for a person to accept it.
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Address4 } from "ip-address";
import { Construct } from "constructs";
import { NetworkVpc } from "./network-vpc.js";
import { allowTcp, emptySecurityGroup } from "./security-group-rules.js";
import { arnField } from "../core/arn-field.js";

export interface PrivateLinkHopProps {
  /** The VPC holding the database; the NLB and endpoint service live here. */
  readonly providerVpc: NetworkVpc;
  /** The VPC that connects (DMS); the interface endpoint lives here. */
  readonly consumerVpc: NetworkVpc;
  /** Database port: listener, target group and every rule. */
  readonly port: number;
  /** NLB name (32 characters at most). */
  readonly loadBalancerName: string;
  /** Target group name (32 characters at most). */
  readonly targetGroupName: string;
  /** Name tag of the endpoint service. */
  readonly endpointServiceName: string;
  /** Name tag of the interface endpoint. */
  readonly endpointName: string;
  /** Name of the interface endpoint's security group. */
  readonly endpointSecurityGroupName: string;
  /**
   * Principals allowed to request a connection (each request still needs acceptance). Name the
   * role that applies the stack (an IAM role ARN without a path: AWS refuses principals with
   * paths, so SSO roles can only be admitted through their account).
   * @default the deploying account, read from the NLB's ARN: the applying principal cannot be
   *   known offline
   */
  readonly allowedPrincipals?: readonly string[];
  /**
   * IP targets (an on-premises or EC2 database). A database in the stack registers its own.
   * @default []
   */
  readonly ipTargets?: readonly string[];
  /**
   * Deletion protection on the NLB.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

export class PrivateLinkHop extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  /** The NLB's group: the database admits this group (health checks and forwarded traffic). */
  readonly loadBalancerSecurityGroup: SecurityGroup;
  /** The interface endpoint's group: admits clients named with `allowClient`. */
  readonly endpointSecurityGroup: SecurityGroup;
  readonly endpointService: VpcEndpointService;
  readonly endpoint: VpcEndpoint;
  /** The acceptance of the stack's own endpoint: whatever needs the path open depends on it. */
  readonly connection: VpcEndpointConnectionAccepter;
  readonly port: number;
  private readonly providerVpc: NetworkVpc;

  constructor(scope: Construct, id: string, props: PrivateLinkHopProps) {
    super(scope, id);
    this.port = props.port;
    this.providerVpc = props.providerVpc;

    this.loadBalancerSecurityGroup = emptySecurityGroup(this, "nlb_security_group", {
      name: `${props.loadBalancerName}-nlb`,
      description: `NLB of the ${id}: forwards the database port to its targets`,
      vpcId: props.providerVpc.vpcId,
    });
    this.loadBalancer = new Lb(this, "nlb", {
      name: props.loadBalancerName,
      loadBalancerType: "network",
      internal: true,
      subnets: props.providerVpc.privateSubnetIds,
      securityGroups: [this.loadBalancerSecurityGroup.id],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection ?? false,
      // PrivateLink traffic arrives from the endpoint service, not from a client address a rule
      // could name; the endpoint's own group in the consumer VPC is where clients are filtered.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
      tags: { Name: props.loadBalancerName },
    });
    this.targetGroup = new LbTargetGroup(this, "target_group", {
      name: props.targetGroupName,
      port: props.port,
      protocol: "TCP",
      targetType: "ip",
      vpcId: props.providerVpc.vpcId,
      // Close connections to a deregistered writer so DMS reconnects to the new one.
      connectionTermination: true,
      deregistrationDelay: "30",
      healthCheck: { protocol: "TCP", port: "traffic-port", interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      tags: { Name: props.targetGroupName },
    });
    new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: props.port,
      protocol: "TCP",
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    (props.ipTargets ?? []).forEach((ip, index) => this.addIpTarget(`ip_target_${index}`, ip));

    // The account is read from the NLB's ARN rather than a caller-identity lookup, so that the
    // plan makes no AWS API call.
    const deployingAccount = `arn:${arnField(this.loadBalancer.arn, "partition")}:iam::${arnField(this.loadBalancer.arn, "account")}:root`;
    this.endpointService = new VpcEndpointService(this, "endpoint_service", {
      acceptanceRequired: true,
      networkLoadBalancerArns: [this.loadBalancer.arn],
      allowedPrincipals: props.allowedPrincipals && props.allowedPrincipals.length > 0 ? [...props.allowedPrincipals] : [deployingAccount],
      supportedIpAddressTypes: ["ipv4"],
      tags: { Name: props.endpointServiceName },
    });

    this.endpointSecurityGroup = emptySecurityGroup(this, "endpoint_security_group", {
      name: props.endpointSecurityGroupName,
      description: `Interface endpoint of the ${id}: admits named clients on the database port`,
      vpcId: props.consumerVpc.vpcId,
    });
    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.consumerVpc.vpcId,
      serviceName: this.endpointService.serviceName,
      vpcEndpointType: "Interface",
      subnetIds: props.consumerVpc.privateSubnetIds,
      securityGroupIds: [this.endpointSecurityGroup.id],
      privateDnsEnabled: false,
      tags: { Name: props.endpointName },
    });
    // Accepts and waits until the endpoint is available; on destroy it rejects the connection.
    this.connection = new VpcEndpointConnectionAccepter(this, "endpoint_acceptance", {
      vpcEndpointServiceId: this.endpointService.id,
      vpcEndpointId: this.endpoint.id,
    });
  }

  /** The host name clients (DMS endpoints, psql on the workstation) connect to. */
  get serverName(): string {
    return this.endpoint.dnsEntry.get(0).dnsName;
  }

  /** Lets a client group in the consumer VPC reach the database through this hop. */
  allowClient(id: string, client: SecurityGroup, description: string): void {
    allowTcp(this, `${id}_to_endpoint`, { from: client, to: this.endpointSecurityGroup, port: this.port, description });
  }

  /** Lets the NLB forward to (and health-check) a database's group in the provider VPC. */
  allowTargetGroup(id: string, target: SecurityGroup): void {
    allowTcp(this, `nlb_to_${id}`, { from: this.loadBalancerSecurityGroup, to: target, port: this.port, description: `${this.node.id} NLB to ${id}` });
  }

  /** Registers an IP target; addresses outside the provider VPC (on-premises) use zone "all". */
  addIpTarget(id: string, ip: string): void {
    const insideVpc = new Address4(ip).isInSubnet(new Address4(this.providerVpc.cidr));
    new LbTargetGroupAttachment(this, id, {
      targetGroupArn: this.targetGroup.arn,
      targetId: ip,
      port: this.port,
      availabilityZone: insideVpc ? undefined : "all",
    });
    new VpcSecurityGroupEgressRule(this, `${id}_egress`, {
      securityGroupId: this.loadBalancerSecurityGroup.id,
      cidrIpv4: `${ip}/32`,
      ipProtocol: "tcp",
      fromPort: this.port,
      toPort: this.port,
      description: `${this.node.id} NLB to database target ${ip}`,
    });
  }
}
