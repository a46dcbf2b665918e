// The one policy the application's existing role (the blog's EC2 instance profile role) needs to
// read its configuration: every parameter under the tree's path, the named secrets, and their keys
// through Parameter Store and Secrets Manager only.
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { ParameterTree } from "./parameter-tree.js";

export interface ApplicationConfigAccessProps {
  /** The existing role the policy is attached to. */
  readonly roleName: string;
  /** Name of the inline policy. */
  readonly policyName: string;
  readonly parameters: ParameterTree;
  /** Secrets the application reads (the database login). */
  readonly secrets: readonly { readonly secretArn: string; readonly kmsKeyArn: string }[];
}

export class ApplicationConfigAccess extends Construct {
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ApplicationConfigAccessProps) {
    super(scope, id);
    const region = arnField(props.parameters.kmsKeyArn, "region");
    const secretKeys = [...new Set(props.secrets.map((secret) => secret.kmsKeyArn))];
    this.policy = new IamRolePolicy(this, "policy", {
      role: props.roleName,
      name: props.policyName,
      policy: policyDocument([
        ...props.parameters.readStatements(),
        ...(props.secrets.length > 0
          ? [
              {
                Sid: "ReadSecrets",
                Effect: "Allow" as const,
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: props.secrets.map((secret) => secret.secretArn),
              },
              {
                Sid: "DecryptSecrets",
                Effect: "Allow" as const,
                Action: "kms:Decrypt",
                Resource: secretKeys,
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
              },
            ]
          : []),
      ]),
    });
  }
}
