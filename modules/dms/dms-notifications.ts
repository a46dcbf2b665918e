// DMS events to people: an SNS topic encrypted with a customer managed key DMS may use (DMS cannot
// publish to a topic under the AWS managed SNS key, whose policy it may not use), event
// subscriptions for the replication instance and the tasks, and optional e-mail subscribers.
import { DmsEventSubscription } from "@cdktf/provider-aws/lib/dms-event-subscription";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { alarmSourceCondition } from "./dms-encryption-key.js";

/** Event categories DMS publishes for replication instances that need someone's attention. */
export const INSTANCE_EVENT_CATEGORIES = ["failure", "failover", "low storage", "configuration change"] as const;
/** Event categories for replication tasks: a failed task and every start/stop. */
export const TASK_EVENT_CATEGORIES = ["failure", "state change"] as const;

export interface DmsNotificationsProps {
  /** Topic and subscription name prefix. */
  readonly name: string;
  /** Customer managed key whose policy lets `dms.amazonaws.com` generate data keys and decrypt. */
  readonly kmsKeyArn: string;
  /** Identifier of the replication instance to watch. @default none (DMS Serverless) */
  readonly replicationInstanceId?: string;
  /** Identifiers of the tasks to watch. */
  readonly taskIds: readonly string[];
  /**
   * E-mail addresses subscribed to the topic (each must confirm by e-mail).
   * @default []
   */
  readonly emails?: readonly string[];
  /**
   * Name prefix of the CloudWatch alarms that publish to the topic.
   * @default no alarms: CloudWatch is not admitted
   */
  readonly alarmNamePrefix?: string;
}

export class DmsNotifications extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: DmsNotificationsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn });
    // DMS acting for this account only (see DmsEncryptionKey).
    new SnsTopicPolicy(this, "topic_policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        { Sid: "DmsPublishes", Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sns:Publish", Resource: this.topic.arn, Condition: { StringEquals: { "aws:SourceAccount": arnField(this.topic.arn, "account") } } },
        // The topic's policy replaces SNS's default, so the alarms are admitted here by name.
        ...(props.alarmNamePrefix === undefined
          ? []
          : [{ Sid: "CloudWatchAlarmsPublish", Effect: "Allow" as const, Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: this.topic.arn, Condition: alarmSourceCondition(this.topic.arn, props.alarmNamePrefix) }]),
      ]),
    });

    if (props.replicationInstanceId !== undefined) {
      new DmsEventSubscription(this, "instance_events", {
        name: `${props.name}-instance`,
        snsTopicArn: this.topic.arn,
        sourceType: "replication-instance",
        sourceIds: [props.replicationInstanceId],
        eventCategories: [...INSTANCE_EVENT_CATEGORIES],
        enabled: true,
      });
    }
    if (props.taskIds.length > 0) {
      new DmsEventSubscription(this, "task_events", {
        name: `${props.name}-tasks`,
        snsTopicArn: this.topic.arn,
        sourceType: "replication-task",
        sourceIds: [...props.taskIds],
        eventCategories: [...TASK_EVENT_CATEGORIES],
        enabled: true,
      });
    }
    (props.emails ?? []).forEach((email, index) => {
      new SnsTopicSubscription(this, `email_${index}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    });
  }
}
