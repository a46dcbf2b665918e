// One Secrets Manager secret holding a PostgreSQL login in the shape AWS DMS requires of an
// endpoint secret (`username`, `password`, `host`, `port`; DMS cannot use RDS's own master secret
// because it has no host or port) and RDS's secret format adds (`engine`, `dbname`), which libpq-
// style clients such as the CSV pipeline read as well.
//
// Terraform creates the secret empty and never writes or reads its value: the db-users function
// (modules/database/database-users.ts) is its one writer, or, for an external source, the user.
// The name is a prefix plus a suffix Terraform picks, so destroying and re-creating an environment
// inside the recovery window does not collide with the secret still scheduled for deletion.
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";

export interface DatabaseSecretProps {
  /** Secret name prefix, e.g. `dms-lz/dev/dms-target`; Terraform appends `-<suffix>`. */
  readonly namePrefix: string;
  readonly description: string;
  readonly kmsKeyArn: string;
  /** Days a deleted secret can be restored (0: deleted at once, 7-30). */
  readonly recoveryWindowDays: number;
  /** `lifecycle.prevent_destroy` on the secret. @default false */
  readonly preventDestroy?: boolean;
}

export class DatabaseSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn;
    this.secret = new SecretsmanagerSecret(this, "secret", {
      namePrefix: `${props.namePrefix}-`,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
  }

  get secretArn(): string {
    return this.secret.arn;
  }

  /** GetSecretValue on this secret and Decrypt of its key through Secrets Manager, for a role. */
  grantRead(id: string, roleName: string): IamRolePolicy {
    return new IamRolePolicy(this, `${id}_read_policy`, {
      role: roleName,
      name: `read-${this.node.id.replace(/_/g, "-")}-secret`,
      policy: policyDocument([
        { Sid: "ReadSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: this.secretArn },
        {
          Sid: "DecryptSecret",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: this.kmsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${arnField(this.secretArn, "region")}.amazonaws.com` } },
        },
      ]),
    });
  }
}
