// The role AWS DMS assumes to read its endpoints' secrets (an endpoint's
// `secrets_manager_access_role_arn`): trusted by the regional DMS service principal for this
// account's resources only, allowed to read exactly the named secrets and to decrypt them through
// Secrets Manager.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";

/** What a DMS PostgreSQL endpoint needs to authenticate through Secrets Manager. */
export interface DmsCredentials {
  /** `secrets_manager_arn` of the source endpoints, by the key of the source they read. */
  readonly sources: Readonly<Record<string, { readonly secretArn: string }>>;
  /** `secrets_manager_arn` of the target endpoint. */
  readonly target: { readonly secretArn: string };
  /** `secrets_manager_access_role_arn` of both endpoints. */
  readonly accessRoleArn: string;
  /** The key both secrets are encrypted with. */
  readonly kmsKeyArn: string;
}

export interface DmsSecretsAccessRoleProps {
  readonly roleName: string;
  readonly region: string;
  readonly secretArns: readonly string[];
  readonly kmsKeyArn: string;
}

export class DmsSecretsAccessRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DmsSecretsAccessRoleProps) {
    super(scope, id);
    // The account is read from the key's ARN, so the plan makes no caller-identity lookup.
    const account = arnField(props.kmsKeyArn, "account");
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: "Assumed by AWS DMS to read its endpoints' secrets",
      assumeRolePolicy: serviceTrustPolicy(`dms.${props.region}.amazonaws.com`, { sourceAccount: account }),
    });
    new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: "read-endpoint-secrets",
      policy: policyDocument([
        { Sid: "ReadEndpointSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...props.secretArns] },
        {
          Sid: "DecryptEndpointSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.kmsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ]),
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
