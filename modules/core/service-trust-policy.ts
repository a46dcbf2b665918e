// The trust policy of a role an AWS service assumes. Optionally limited to the deploying account's
// resources (`aws:SourceAccount`), the guard against a confused deputy in another account.
import type { PolicyConditions } from "./policy-document.js";

export function serviceTrustPolicy(service: string, options: { sourceAccount?: string } = {}): string {
  const condition: PolicyConditions | undefined = options.sourceAccount ? { StringEquals: { "aws:SourceAccount": options.sourceAccount } } : undefined;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
  });
}
