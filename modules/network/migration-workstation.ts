// The migration workstation (the aws-samples bastion) without its risks: a private subnet, no
// SSH and no inbound rule at all, reached only through SSM Session Manager over VPC endpoints,
// IMDSv2 required, encrypted root volume. The AMI is resolved by EC2 at launch from a public SSM
// parameter (`resolve:ssm:` in the launch template), so plans make no AMI lookup. It is a place to
// run psql, `dms-lz preflight` and `dms-lz verify` inside the VPC: its first boot installs the
// PostgreSQL client and Node.js from the Amazon Linux repositories (S3, reached through the VPC's
// gateway endpoint; no NAT), and its role may read the database secrets it is granted.
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { NetworkVpc } from "./network-vpc.js";
import { emptySecurityGroup } from "./security-group-rules.js";
import { ServiceEndpoints } from "./service-endpoints.js";

export interface MigrationWorkstationProps {
  readonly vpc: NetworkVpc;
  readonly region: string;
  /** Prefix of the workstation's named resources. */
  readonly name: string;
  readonly instanceType: string;
  /** Public SSM parameter holding the AMI ID. */
  readonly amiSsmParameter: string;
  /** Name of the Session Manager endpoints' security group. */
  readonly sessionManagerSecurityGroupName: string;
}

/** First boot: the tools preflight, verify and a psql session need, from the AL2023 repositories. */
export const WORKSTATION_USER_DATA = [
  "#!/bin/bash",
  "set -euo pipefail",
  "dnf install -y postgresql16 nodejs20 jq",
  "alternatives --set node /usr/bin/node-20 || true",
].join("\n");

export class MigrationWorkstation extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly instance: Instance;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MigrationWorkstationProps) {
    super(scope, id);
    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: `${props.name}-workstation`,
      description: "Migration workstation: no inbound rules; Session Manager only",
      vpcId: props.vpc.vpcId,
    });
    const sessionManager = new ServiceEndpoints(this, "session_manager_endpoints", {
      vpc: props.vpc,
      region: props.region,
      services: ["ssm", "ssmmessages", "ec2messages"],
      securityGroupName: props.sessionManagerSecurityGroupName,
      s3Gateway: false,
    });
    sessionManager.allowClient("workstation", this.securityGroup);

    this.role = new IamRole(this, "role", {
      name: `${props.name}-workstation`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicyAttachment(this, "session_manager_policy", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    const profile = new IamInstanceProfile(this, "instance_profile", { name: `${props.name}-workstation`, role: this.role.name });

    const template = new LaunchTemplate(this, "launch_template", {
      name: `${props.name}-workstation`,
      imageId: `resolve:ssm:${props.amiSsmParameter}`,
      userData: Fn.base64encode(WORKSTATION_USER_DATA),
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [this.securityGroup.id],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 16, encrypted: "true", deleteOnTermination: "true" } }],
      monitoring: { enabled: true },
      tagSpecifications: [{ resourceType: "instance", tags: { Name: `${props.name}-workstation` } }],
    });
    this.instance = new Instance(this, "instance", {
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      subnetId: props.vpc.privateSubnets[0].id,
      associatePublicIpAddress: false,
      tags: { Name: `${props.name}-workstation` },
    });
  }

  /** Lets the workstation read secrets (psql logins, preflight and verify) through Secrets Manager only. */
  grantReadSecrets(id: string, secrets: readonly { readonly secretArn: string; readonly kmsKeyArn: string }[]): void {
    if (secrets.length === 0) return;
    const keys = [...new Set(secrets.map((secret) => secret.kmsKeyArn))];
    new IamRolePolicy(this, `${id}_policy`, {
      role: this.role.name,
      name: id.replace(/_/g, "-"),
      policy: policyDocument([
        { Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secrets.map((secret) => secret.secretArn) },
        {
          Sid: "DecryptSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keys,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${arnField(keys[0], "region")}.amazonaws.com` } },
        },
      ]),
    });
  }
}
