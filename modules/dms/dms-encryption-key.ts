// The customer managed KMS key of an environment's DMS resources: the replication instance's
// storage, the endpoints' stored connection data and the events topic. Its policy keeps AWS's
// default (the account administers it and may delegate through IAM) and adds the one grant IAM
// cannot give: DMS publishing to the encrypted topic as the `dms.amazonaws.com` service, for this
// account only (aws:SourceAccount, which DMS 3.4.7 and later sets for the resource policies it
// meets: "Cross-service confused deputy prevention" in the DMS user guide). With CDC latency alarms it also admits
// CloudWatch, which must encrypt the alarm's message to publish it; that grant is conditioned on
// this account's alarms of this environment (aws:SourceAccount, aws:SourceArn), which CloudWatch sets.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { PolicyConditions, policyDocument } from "../core/policy-document.js";

export interface DmsEncryptionKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** `lifecycle.prevent_destroy` on the key. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Name prefix of the CloudWatch alarms that publish to the topic under this key.
   * @default no alarms: CloudWatch is not admitted
   */
  readonly alarmNamePrefix?: string;
}

export class DmsEncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: DmsEncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `${props.alias}: DMS replication instance storage, endpoint connection data and the events topic`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
      tags: { Name: props.alias },
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    // The policy is its own resource because it names the account, read from the key's ARN.
    new KmsKeyPolicy(this, "policy", {
      keyId: this.key.keyId,
      policy: policyDocument([
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${arnField(this.key.arn, "partition")}:iam::${arnField(this.key.arn, "account")}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "DmsPublishesToEncryptedTopic",
          Effect: "Allow",
          Principal: { Service: "dms.amazonaws.com" },
          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": arnField(this.key.arn, "account") } },
        },
        ...(props.alarmNamePrefix === undefined
          ? []
          : [{ Sid: "CloudWatchAlarmsPublishToEncryptedTopic", Effect: "Allow" as const, Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*", Condition: alarmSourceCondition(this.key.arn, props.alarmNamePrefix) }]),
      ]),
    });
  }

  get arn(): string {
    return this.key.arn;
  }
}

/** Only this account's alarms whose names start with `prefix` (the confused-deputy guard for CloudWatch). */
export function alarmSourceCondition(keyOrTopicArn: string, prefix: string): PolicyConditions {
  const account = arnField(keyOrTopicArn, "account");
  return {
    StringEquals: { "aws:SourceAccount": account },
    ArnLike: { "aws:SourceArn": `arn:${arnField(keyOrTopicArn, "partition")}:cloudwatch:${arnField(keyOrTopicArn, "region")}:${account}:alarm:${prefix}*` },
  };
}
