import { describe, expect, it } from "vitest";
import { DmsNotifications } from "../../modules/dms/dms-notifications.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

function notifications(emails?: string[], taskIds = ["dms-lz-dev-accounts"]) {
  return synthConstruct((scope) => new DmsNotifications(scope, "events", { name: "dms-lz-dev-dms-events", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k", replicationInstanceId: "dms-lz-dev", taskIds, emails }));
}

describe("DmsNotifications", () => {
  it("encrypts the topic with the given customer managed key and lets DMS publish to it", () => {
    const json = notifications();
    expect(onlyResource(json, "aws_sns_topic")).toMatchObject({ name: "dms-lz-dev-dms-events", kms_master_key_id: "arn:aws:kms:us-east-1:111122223333:key/k" });
    expect(onlyResource(json, "aws_sns_topic_policy").policy as string).toContain('"Principal":{"Service":"dms.amazonaws.com"},"Action":"sns:Publish"');
    expect(onlyResource(json, "aws_sns_topic_policy").policy as string).toMatch(/"Condition":\{"StringEquals":\{"aws:SourceAccount":"\$\{element\(split\(":", aws_sns_topic\.\w+\.arn\), 4\)\}"\}\}/);
  });

  it("subscribes to failures of the instance and to failures and state changes of the tasks", () => {
    const subscriptions = resourcesOf(notifications(), "aws_dms_event_subscription");
    expect(subscriptions.events_instance_events).toMatchObject({ source_type: "replication-instance", source_ids: ["dms-lz-dev"], sns_topic_arn: "${aws_sns_topic.events_topic.arn}" });
    expect(subscriptions.events_instance_events.event_categories).toContain("failure");
    expect(subscriptions.events_task_events).toMatchObject({ source_type: "replication-task", source_ids: ["dms-lz-dev-accounts"], event_categories: ["failure", "state change"] });
  });

  it("subscribes e-mail addresses when given, and skips the task subscription without tasks", () => {
    const json = notifications(["dba@example.com", "oncall@example.com"], []);
    expect(Object.values(resourcesOf(json, "aws_sns_topic_subscription")).map((s) => [s.protocol, s.endpoint])).toEqual([
      ["email", "dba@example.com"],
      ["email", "oncall@example.com"],
    ]);
    expect(Object.keys(resourcesOf(json, "aws_dms_event_subscription"))).toEqual(["events_instance_events"]);
    expect(resourcesOf(notifications(), "aws_sns_topic_subscription")).toEqual({});
  });
});
