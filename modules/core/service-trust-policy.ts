// The trust policy of a role an AWS service assumes. Optionally limited to the deploying account's
// resources (`aws:SourceAccount`) and to the resources acting (`aws:SourceArn`, a pattern), the
// guard against a confused deputy in another account.
import type { PolicyConditions } from "./policy-document.js";

export function serviceTrustPolicy(service: string, options: { sourceAccount?: string; sourceArn?: string } = {}): string {
  const condition: Record<string, Record<string, string>> = {};
  if (options.sourceAccount) condition.StringEquals = { "aws:SourceAccount": options.sourceAccount };
  if (options.sourceArn) condition.ArnLike = { "aws:SourceArn": options.sourceArn };
  const conditions: PolicyConditions | undefined = Object.keys(condition).length > 0 ? condition : undefined;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(conditions ? { Condition: conditions } : {}) }],
  });
}
