// One Secrets Manager secret holding a PostgreSQL login in the shape AWS DMS requires of an
// endpoint secret (`username`, `password`, `host`, `port`; DMS cannot use RDS's own master secret
// because it has no host or port) and RDS's secret format adds (`engine`, `dbname`), which libpq-
// style clients such as the CSV pipeline read as well.
//
// With `generated` the stack writes the value once, through the write-only `secret_string_wo`, so
// neither the plan nor the state holds it. Without it the secret is created empty and its value is
// set outside Terraform (`aws secretsmanager put-secret-value`), which Terraform never reads back.
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { policyDocument } from "../core/policy-document.js";
import { GeneratedPassword } from "./generated-password.js";

/** The secret's JSON apart from the password. */
export interface DatabaseLogin {
  readonly username: string;
  /** The host the secret's reader connects to (for DMS in three_vpc: the hop's endpoint). */
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
}

export interface GeneratedSecretValue extends DatabaseLogin {
  readonly password: GeneratedPassword;
  /** The database that was given the same password: the value is written after it exists. */
  readonly database: TerraformResource;
  /**
   * A `replace_triggered_by` reference to an attribute of the database that changes only when it
   * is replaced (its RDS resource ID). A new database gets that apply's password, so the value is
   * written again in the same apply; an update of the database must not rewrite it (a reference
   * to the whole resource would).
   */
  readonly databaseReplacementTrigger: string;
}

export interface DatabaseSecretProps {
  /** Secret name, e.g. `dms-lz/dev/dms-target`. */
  readonly name: string;
  readonly description: string;
  readonly kmsKeyArn: string;
  /** Days a deleted secret can be restored (0: deleted at once, 7-30). */
  readonly recoveryWindowDays: number;
  /** `lifecycle.prevent_destroy` on the secret. @default false */
  readonly preventDestroy?: boolean;
  /**
   * The value, written by Terraform through a write-only argument.
   * @default none: the value is set outside Terraform
   */
  readonly generated?: GeneratedSecretValue;
}

export class DatabaseSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn;
    this.secret = new SecretsmanagerSecret(this, "secret", {
      name: props.name,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    const value = props.generated;
    if (value) {
      new SecretsmanagerSecretVersion(this, "value", {
        secretId: this.secret.id,
        secretStringWo: Fn.jsonencode({
          engine: "postgres",
          username: value.username,
          password: value.password.value,
          host: value.host,
          port: value.port,
          dbname: value.dbname,
        }),
        secretStringWoVersion: value.password.version,
        dependsOn: [value.database],
        lifecycle: { replaceTriggeredBy: [value.databaseReplacementTrigger] },
      });
    }
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
