// IAM and resource policy documents written as plain JSON. Plans must not depend on AWS, so the
// `aws_iam_policy_document` data source is not used; token strings inside a statement
// (`${aws_s3_bucket.media.arn}`) become Terraform interpolations in the rendered JSON.

export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: PolicyConditions;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
