// A password Terraform generates without it ever appearing in the plan or the state: the value is
// only passed to write-only arguments (`master_password_wo`, `secret_string_wo`, `value_wo`), which
// Terraform 1.11 keeps out of both, and it is written again only when `version` changes.
//
// It is built from Terraform's `uuid()` (random bits from the operating system's CSPRNG), which
// is unknown during plan and produced once per apply: every write-only argument that reads this
// local in one apply receives the same value. The provider's ephemeral
// `aws_secretsmanager_random_password` would do the same but calls Secrets Manager during every
// plan, which an offline plan (and a plan without network access) cannot do; the `random`
// provider is not in the landing zone's one-provider output.
import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

export interface GeneratedPasswordProps {
  /**
   * Bump to generate and write a new value everywhere the password is used (a rotation).
   * @default 1
   */
  readonly version?: number;
}

export class GeneratedPassword extends Construct {
  /** 64 hexadecimal characters (244 random bits); an expression, never a literal. */
  readonly value: string;
  readonly version: number;

  constructor(scope: Construct, id: string, props: GeneratedPasswordProps = {}) {
    super(scope, id);
    this.version = props.version ?? 1;
    this.value = new TerraformLocal(this, "value", Fn.replace(Fn.join("", [Fn.uuid(), Fn.uuid()]), "-", "")).asString;
  }
}
