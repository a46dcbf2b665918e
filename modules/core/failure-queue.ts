// Where a Lambda's failed asynchronous invocations go once its retries are spent: an encrypted
// SQS queue that keeps them for the longest retention SQS allows, so nothing vanishes unseen.
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";

export function failureQueue(scope: Construct, id: string, name: string): SqsQueue {
  return new SqsQueue(scope, id, { name, sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 });
}
