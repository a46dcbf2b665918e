// A field of an ARN (`arn:partition:service:region:account:resource`): computed here when the ARN is
// a literal (an existing key named in config), or read by Terraform from a created resource's
// ARN, so that plans make no caller-identity or region lookup.
import { Fn, Token } from "cdktf";

// resourceId: the id in `arn:...:resource-type:resource-id` ARNs (a DMS task's ARN ends `task:ID`).
export const ARN_FIELDS = { partition: 1, service: 2, region: 3, account: 4, resourceId: 6 } as const;

export function arnField(arn: string, field: keyof typeof ARN_FIELDS): string {
  const index = ARN_FIELDS[field];
  return Token.isUnresolved(arn) ? Fn.element(Fn.split(":", arn), index) : arn.split(":")[index];
}

/** Partition, region and account of an ARN: where another ARN in the same account and region lives. */
export function arnLocation(arn: string): [partition: string, region: string, account: string] {
  return [arnField(arn, "partition"), arnField(arn, "region"), arnField(arn, "account")];
}
