// VPC flow logs for every VPC the stack creates: each VPC's traffic (accepted and rejected) to its
// own CloudWatch log group, encrypted with a customer managed key and kept for a set retention.
// The key admits CloudWatch Logs only for these log groups (kms:EncryptionContext:aws:logs:arn),
// and the delivery role only the flow logs service acting for this account
// (aws:SourceAccount / aws:SourceArn, as the VPC user guide's flow log role shows). VPCs that
// exist already are left alone: their owner decides their logging.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";
import { NetworkVpc } from "./network-vpc.js";

/** How long flow logs are kept when the config says nothing: a year, for incident look-backs. */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

export interface VpcFlowLogsProps {
  /** `<project>-<environment>`: the key alias, role and log group names start with it. */
  readonly namePrefix: string;
  /** AWS region of the stack (the log groups' ARNs in the key policy). */
  readonly region: string;
  /** The VPCs; only those the stack creates get flow logs. */
  readonly vpcs: readonly NetworkVpc[];
  /**
   * Days the log groups keep flow logs (a CloudWatch Logs retention value).
   * @default 365
   */
  readonly retentionDays?: number;
}

export class VpcFlowLogs extends Construct {
  readonly key?: KmsKey;
  readonly logGroups: readonly CloudwatchLogGroup[];

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const vpcs = props.vpcs.filter((vpc, index) => vpc.managed && vpc instanceof Construct && props.vpcs.indexOf(vpc) === index);
    if (vpcs.length === 0) {
      this.logGroups = [];
      return;
    }
    const groupPrefix = `/${props.namePrefix}/vpc-flow-logs`;
    const key = new KmsKey(this, "key", {
      description: `${props.namePrefix}: VPC flow log groups`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: { Name: `${props.namePrefix}-vpc-flow-logs` },
    });
    this.key = key;
    new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-vpc-flow-logs`, targetKeyId: key.keyId });
    const partition = arnField(key.arn, "partition");
    const account = arnField(key.arn, "account");
    const logGroupArns = `arn:${partition}:logs:${props.region}:${account}:log-group:${groupPrefix}/*`;
    // A separate resource because it names the account, read from the key's ARN.
    const keyPolicy = new KmsKeyPolicy(this, "key_policy", {
      keyId: key.keyId,
      policy: policyDocument([
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "CloudWatchLogsEncryptsFlowLogs",
          Effect: "Allow",
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupArns } },
        },
      ]),
    });

    // Named after the VPC's role in the stack (source_vpc, dms_vpc, ...), not its Name tag, so that
    // renaming a VPC neither moves its address nor replaces its log group.
    const roles = vpcs.map((vpc) => (vpc as NetworkVpc & Construct).node.id);
    this.logGroups = vpcs.map(
      (vpc, index) =>
        new CloudwatchLogGroup(this, `${roles[index]}_log_group`, {
          name: `${groupPrefix}/${roles[index].replace(/_vpc$/, "").replace(/_/g, "-")}`,
          retentionInDays: props.retentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
          kmsKeyId: key.arn,
          // CloudWatch Logs checks the key policy when the group is associated with the key.
          dependsOn: [keyPolicy],
          tags: { Name: `${vpc.name}-flow-logs` },
        }),
    );

    const role = new IamRole(this, "role", {
      name: `${props.namePrefix}-vpc-flow-logs`,
      description: "VPC flow logs: deliver to the stack's flow log groups",
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", { sourceAccount: account, sourceArn: `arn:${partition}:ec2:${props.region}:${account}:vpc-flow-log/*` }),
    });
    new IamRolePolicy(this, "delivery_policy", {
      role: role.name,
      name: "deliver-flow-logs",
      policy: policyDocument([
        { Sid: "WriteFlowLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: this.logGroups.map((group) => `${group.arn}:*`) },
      ]),
    });

    vpcs.forEach((vpc, index) => {
      new FlowLog(this, `${roles[index]}_flow_log`, {
        vpcId: vpc.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: this.logGroups[index].arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 600,
        tags: { Name: `${vpc.name}-flow-log` },
      });
    });
  }
}
