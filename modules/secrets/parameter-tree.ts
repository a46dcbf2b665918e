// The Parameter Store tree the application reads its configuration from (the blog's
// `/cloudtalents/startup/...`): plain String parameters. Its one SecureString, the application's
// secret key, is created by the database-logins function (modules/database/database-users.ts), so
// Terraform never makes or sees its value. Other modules add
// their own entries (the media bucket's name, the CloudFront domain) with `addString`.
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";
import { arnField, arnLocation } from "../core/arn-field.js";
import { PolicyStatement, policyDocument } from "../core/policy-document.js";
import { ConstructError } from "../core/construct-error.js";

export interface ParameterTreeProps {
  /** `/<project>/<environment>` or the application's own path, e.g. `/cloudtalents/startup`. */
  readonly path: string;
  /** Key of the SecureString parameters (a full key ARN: account and region are read from it). */
  readonly kmsKeyArn: string;
}

export class ParameterTree extends Construct {
  readonly path: string;
  readonly kmsKeyArn: string;
  private readonly parameters: Record<string, SsmParameter> = {};

  constructor(scope: Construct, id: string, props: ParameterTreeProps) {
    super(scope, id);
    this.path = props.path.replace(/\/+$/, "");
    this.kmsKeyArn = props.kmsKeyArn;
  }

  /** `<path>/<name>` as a String parameter. */
  addString(name: string, value: string, description?: string): SsmParameter {
    return this.add(name, { type: "String", value, description });
  }

  /** Full name of an entry: `<path>/<name>`. */
  parameterName(name: string): string {
    return `${this.path}/${name}`;
  }

  /** ARN of an entry, `<path>/<name>`, whether or not this tree creates it. */
  parameterArn(name: string): string {
    return this.arnOf(this.parameterName(name));
  }

  /** The statements that read the whole tree (and decrypt its SecureStrings) for one role. */
  readStatements(): PolicyStatement[] {
    return [
      {
        Sid: "ReadParameterTree",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
        Resource: [this.arnOf(this.path), this.arnOf(`${this.path}/*`)],
      },
      {
        Sid: "DecryptParameterTree",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: this.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `ssm.${arnField(this.kmsKeyArn, "region")}.amazonaws.com` } },
      },
    ];
  }

  /** A parameter's ARN by its full name: the key's partition, region and account, read from its ARN. */
  private arnOf(fullName: string): string {
    const [partition, region, account] = arnLocation(this.kmsKeyArn);
    return `arn:${partition}:ssm:${region}:${account}:parameter${fullName}`;
  }

  /** Lets a role read every parameter under the path. */
  grantRead(id: string, roleName: string): IamRolePolicy {
    return new IamRolePolicy(this, `${id}_read_policy`, { role: roleName, name: "read-parameter-tree", policy: policyDocument(this.readStatements()) });
  }

  private add(name: string, config: { type: string; value: string; description?: string }): SsmParameter {
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name)) throw new ConstructError(this, `parameter name "${name}" is not a relative Parameter Store name`);
    if (this.parameters[name]) throw new ConstructError(this, `parameter "${this.parameterName(name)}" is added twice`);
    this.parameters[name] = new SsmParameter(this, name.replace(/[^A-Za-z0-9]+/g, "_"), { name: this.parameterName(name), tier: "Standard", ...config });
    return this.parameters[name];
  }
}
