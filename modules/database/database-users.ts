// The logins of one PostgreSQL database, each with one writer that is not Terraform: a small
// function in the database's VPC (its handler is ./db-users/) connects with RDS's master secret,
// creates the least-privilege roles (DMS, the application, the CSV loader), generates each
// password and writes it with host, port and database, in the format DMS reads, to that role's own
// secret. Terraform invokes it on create and again whenever its inputs or its code change (a
// replaced hop endpoint rewrites the DMS secret's host), and Secrets Manager invokes it to rotate
// each secret. Terraform creates the secrets empty and never sees a password.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Lazy, TerraformResource } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { arnField } from "../core/arn-field.js";
import { bundledLambdaFunction, vpcLambdaRole } from "../core/bundled-lambda.js";
import { ConstructError } from "../core/construct-error.js";
import { failureQueue } from "../core/failure-queue.js";
import { PolicyStatement, policyDocument } from "../core/policy-document.js";
import { NetworkVpc } from "../network/network-vpc.js";
import { emptySecurityGroup } from "../network/security-group-rules.js";
import { ServiceEndpoints } from "../network/service-endpoints.js";
import { DatabaseSecret } from "../secrets/database-secret.js";
import { dbUsersBundleZip } from "./db-users/bundle.js";
import type { DbUsersConfig, LoadTable, LoginKind, LoginSpec } from "./db-users/config.js";
import type { PostgresDatabase } from "./postgres-database.js";

export type { LoginKind } from "./db-users/config.js";

export interface DatabaseLoginProps {
  readonly kind: LoginKind;
  /** The role's name in PostgreSQL. */
  readonly username: string;
  readonly description: string;
  /**
   * The host and port the secret names, for a reader that reaches the database another way (DMS
   * through a PrivateLink hop).
   * @default the database's writer endpoint and port
   */
  readonly secretHost?: string;
  readonly secretPort?: number;
  /** `csv_loader`: its load tables. */
  readonly tables?: readonly LoadTable[];
}

export interface DatabaseUsersProps {
  /** Name of the function, its role, group and log group. */
  readonly functionName: string;
  readonly database: PostgresDatabase;
  /** The database's VPC; the function runs in its private subnets. */
  readonly vpc: NetworkVpc;
  /** That VPC's service endpoints; Secrets Manager (and SSM for random parameters) are added. */
  readonly serviceEndpoints: ServiceEndpoints;
  readonly logins: readonly DatabaseLoginProps[];
  /** Secret names are `<secretNamePrefix>/<username with - for _>-<suffix>`. */
  readonly secretNamePrefix: string;
  /** Key of the login secrets (and of RDS's master secret). */
  readonly kmsKeyArn: string;
  readonly recoveryWindowDays: number;
  /** @default false */
  readonly preventDestroy?: boolean;
  /** @default [] (e.g. ["aws_s3"] when the database imports from S3) */
  readonly extensions?: readonly string[];
  /** SecureString parameters the function creates once with a random value (the application's secret key). @default none */
  readonly randomParameters?: readonly { readonly name: string; readonly arn: string }[];
  /** Days between rotations of each login's password. @default 30 */
  readonly rotationDays?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

export class DatabaseUsers extends Construct {
  readonly function: LambdaFunction;
  readonly securityGroup: SecurityGroup;
  readonly invocation: LambdaInvocation;
  private readonly secrets = new Map<LoginKind, DatabaseSecret>();

  constructor(scope: Construct, id: string, props: DatabaseUsersProps) {
    super(scope, id);
    const { database } = props;
    const kinds = props.logins.map((login) => login.kind);
    if (new Set(kinds).size !== kinds.length) throw new ConstructError(this, `one login per kind (${kinds.join(", ")})`);

    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: props.functionName,
      description: "Database logins function: the database port and HTTPS to the VPC's service endpoints only",
      vpcId: props.vpc.vpcId,
    });
    props.serviceEndpoints.addService("secretsmanager");
    if ((props.randomParameters ?? []).length > 0) props.serviceEndpoints.addService("ssm");
    props.serviceEndpoints.allowClient(id, this.securityGroup);
    database.allowFrom(id, this.securityGroup, "Database logins function to the database");

    for (const login of props.logins) {
      this.secrets.set(
        login.kind,
        new DatabaseSecret(this, login.kind, {
          namePrefix: `${props.secretNamePrefix}/${login.username.replace(/_/g, "-")}`,
          description: `${login.description} (written and rotated by ${props.functionName})`,
          kmsKeyArn: props.kmsKeyArn,
          recoveryWindowDays: props.recoveryWindowDays,
          preventDestroy: props.preventDestroy,
        }),
      );
    }

    const logGroup = new CloudwatchLogGroup(this, "log_group", { name: `/aws/lambda/${props.functionName}`, retentionInDays: props.logRetentionDays ?? 30 });
    const { role, vpcAccess } = vpcLambdaRole(this, props.functionName, logGroup.arn);
    const region = arnField(logGroup.arn, "region");
    const failures = failureQueue(this, "failure_queue", `${props.functionName}-failures`);
    const loginSecretArns = [...this.secrets.values()].map((secret) => secret.secretArn);
    const statements: PolicyStatement[] = [
      { Sid: "ReadMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: database.masterUserSecretArn },
      {
        Sid: "WriteLoginSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecretVersionStage"],
        Resource: loginSecretArns,
      },
      {
        Sid: "SecretsKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: props.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${region}.amazonaws.com`, `ssm.${region}.amazonaws.com`] } },
      },
      { Sid: "RecordFailedRuns", Effect: "Allow", Action: "sqs:SendMessage", Resource: failures.arn },
    ];
    if ((props.randomParameters ?? []).length > 0) {
      statements.push({ Sid: "CreateRandomParameters", Effect: "Allow", Action: "ssm:PutParameter", Resource: props.randomParameters!.map((parameter) => parameter.arn) });
    }
    const policy = new IamRolePolicy(this, "policy", { role: role.name, name: "database-logins", policy: policyDocument(statements) });

    const config: DbUsersConfig = {
      masterSecretArn: database.masterUserSecretArn,
      host: database.address,
      port: database.port,
      dbname: database.databaseName,
      engine: database.engine,
      extensions: [...(props.extensions ?? [])],
      logins: props.logins.map((login): LoginSpec => ({
        kind: login.kind,
        username: login.username,
        secretArn: this.secretArn(login.kind),
        secretHost: login.secretHost ?? database.address,
        secretPort: login.secretPort ?? database.port,
        tables: login.tables,
        // The application reads and writes what DMS migrates.
        readsTablesOf: login.kind === "application" ? props.logins.filter((other) => other.kind === "dms_target").map((other) => other.username) : undefined,
      })),
      randomParameters: (props.randomParameters ?? []).map((parameter) => ({ name: parameter.name, kmsKeyId: props.kmsKeyArn })),
    };
    const configJson = JSON.stringify(config);
    this.function = bundledLambdaFunction(this, {
      functionName: props.functionName,
      description: "Creates the database's least-privilege logins and writes and rotates their secrets",
      roleArn: role.arn,
      zipPath: dbUsersBundleZip(),
      memorySize: 256,
      timeout: 300,
      // Runs are serialized by an advisory lock in the database (handler.ts), not by reserved concurrency.
      subnetIds: props.vpc.privateSubnetIds,
      securityGroupId: this.securityGroup.id,
      environment: { DB_USERS: configJson },
      logGroup,
      failureQueue: failures,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 3600,
    });

    // Replaced (so invoked again) when the logins, hosts or code change; the result names roles and
    // secrets, never a password. It runs once the database, its network paths and the grants exist.
    this.invocation = new LambdaInvocation(this, "invocation", {
      functionName: this.function.functionName,
      input: JSON.stringify({ action: "ensure" }),
      // A replaced database (a new resource ID) gets its logins again, with the passwords the secrets hold.
      triggers: { config: configJson, code: this.function.sourceCodeHash, database: database.resourceId },
    });
    const prerequisites = [database as unknown as IConstruct, props.serviceEndpoints, policy, vpcAccess, ...this.secrets.values()];
    this.invocation.dependsOn = Lazy.listValue({ produce: () => [...new Set(prerequisites.flatMap(resourcesIn))].map((resource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`) });

    const rotationDays = props.rotationDays ?? 30;
    for (const [kind, secret] of this.secrets) {
      const permission = new LambdaPermission(this, `${kind}_rotation_permission`, {
        statementId: `rotate-${kind.replace(/_/g, "-")}`,
        action: "lambda:InvokeFunction",
        functionName: this.function.functionName,
        principal: "secretsmanager.amazonaws.com",
        sourceArn: secret.secretArn,
      });
      new SecretsmanagerSecretRotation(this, `${kind}_rotation`, {
        secretId: secret.secretArn,
        rotationLambdaArn: this.function.arn,
        rotationRules: { automaticallyAfterDays: rotationDays },
        // The first value is the invocation's; rotation starts on the schedule.
        rotateImmediately: false,
        dependsOn: [this.invocation, permission],
      });
    }
  }

  /** The secret of a login kind (its ARN is what DMS, the application and the CSV pipeline read). */
  secret(kind: LoginKind): DatabaseSecret {
    const secret = this.secrets.get(kind);
    if (!secret) throw new ConstructError(this, `no ${kind} login`);
    return secret;
  }

  secretArn(kind: LoginKind): string {
    return this.secret(kind).secretArn;
  }
}

/** Every Terraform resource in a construct's subtree. */
function resourcesIn(root: IConstruct): TerraformResource[] {
  return root.node.findAll().filter((node): node is TerraformResource => node instanceof TerraformResource);
}
