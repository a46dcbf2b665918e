// Group-to-group TCP rules, written as a pair: the ingress rule on the receiving group and the
// egress rule on the sending one. Security groups here start with no rules at all (Terraform
// removes AWS's default allow-all egress), so every path is one of these named pairs.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

export interface TcpPathProps {
  /** The group traffic leaves from. */
  readonly from: SecurityGroup;
  /** The group traffic arrives at. */
  readonly to: SecurityGroup;
  readonly port: number;
  /** Why the path exists; shown on both rules. */
  readonly description: string;
}

/** Creates `<id>_ingress` on `to` and `<id>_egress` on `from` in `scope`. */
export function allowTcp(scope: Construct, id: string, props: TcpPathProps): void {
  new VpcSecurityGroupIngressRule(scope, `${id}_ingress`, {
    securityGroupId: props.to.id,
    referencedSecurityGroupId: props.from.id,
    ipProtocol: "tcp",
    fromPort: props.port,
    toPort: props.port,
    description: props.description,
  });
  new VpcSecurityGroupEgressRule(scope, `${id}_egress`, {
    securityGroupId: props.from.id,
    referencedSecurityGroupId: props.to.id,
    ipProtocol: "tcp",
    fromPort: props.port,
    toPort: props.port,
    description: props.description,
  });
}

/**
 * A security group with no rules; rules are added as named paths. It is replaced before it is
 * destroyed (a replacement changing the description or VPC would otherwise detach its ENIs), so it
 * gets a generated name after `name`'s prefix: two groups with one fixed name cannot coexist
 * (InvalidGroup.Duplicate). The `Name` tag carries the readable name.
 */
export function emptySecurityGroup(scope: Construct, id: string, props: { name: string; description: string; vpcId: string }): SecurityGroup {
  return new SecurityGroup(scope, id, {
    namePrefix: `${props.name}-`,
    description: props.description,
    vpcId: props.vpcId,
    tags: { Name: props.name },
    revokeRulesOnDelete: true,
    lifecycle: { createBeforeDestroy: true },
  });
}
