// The CSV pipeline's infrastructure: an inbox bucket (hardened like the media bucket, or an
// existing one), ObjectCreated notifications per configured load (.csv and .csv.gz), and the loader Lambda in
// the target VPC's private subnets. The function's environment carries no secret: only the
// secret's ARN and the load map. Failed asynchronous invocations go to an encrypted SQS queue
// after a bounded number of retries, so nothing is lost silently.
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";
import { bundledLambdaFunction } from "../core/bundled-lambda.js";
import { failureQueue } from "../core/failure-queue.js";
import { lambdaBundleZip } from "../core/lambda-bundle.js";
import { PolicyStatement, policyDocument } from "../core/policy-document.js";
import { PrivateBucket } from "../core/private-bucket.js";
import { arnField, arnLocation } from "../core/arn-field.js";
import { serviceTrustPolicy } from "../core/service-trust-policy.js";
import { NetworkVpc } from "../network/network-vpc.js";
import { emptySecurityGroup } from "../network/security-group-rules.js";
import { ServiceEndpoints } from "../network/service-endpoints.js";
import { refuseProblems } from "../core/construct-error.js";

export type CsvLoadMode = "replace" | "append" | "upsert";

/** Object name endings that trigger a load: plain CSV and gzip-compressed CSV (decompressed as it streams). */
export const CSV_SUFFIXES = [".csv", ".csv.gz"] as const;

/** One load: CSV objects under `prefix` land in `table`. */
export interface CsvLoad {
  /** Key prefix in the inbox bucket, e.g. `accounts/`. Only `.csv` and `.csv.gz` objects trigger a load. */
  readonly prefix: string;
  /** Target table, optionally schema-qualified (`public.accounts`). */
  readonly table: string;
  readonly mode: CsvLoadMode;
  /** Conflict columns (upsert only). */
  readonly key?: readonly string[];
  /** @default "," */
  readonly delimiter?: string;
  /** The text that means NULL. @default "" (an unquoted empty field) */
  readonly null?: string;
  /** @default "UTF8" */
  readonly encoding?: string;
  /** Whether a header-only file may empty the table in replace mode. @default false */
  readonly allowEmpty?: boolean;
}

/** What the pipeline needs from the database it loads into. */
export interface CsvPipelineDatabase {
  /** Admits the pipeline's group on the database port. */
  allowFrom(id: string, peer: SecurityGroup, description: string): void;
}

export interface CsvPipelineProps {
  /** Prefix of the function, role, queue and bucket names. */
  readonly namePrefix: string;
  /** The VPC of the database; the function runs in its private subnets. */
  readonly vpc: NetworkVpc;
  /** AWS service endpoints in that VPC (Secrets Manager, and S3 through the gateway). */
  readonly serviceEndpoints: ServiceEndpoints;
  readonly database: CsvPipelineDatabase;
  /** The login the function uses: a secret with username, password, host, port, dbname. */
  readonly databaseSecret: { readonly secretArn: string; readonly kmsKeyArn: string };
  readonly loads: readonly CsvLoad[];
  /**
   * Use this existing bucket as the inbox instead of creating one. Its notification
   * configuration is then owned by this stack.
   * @default a new hardened bucket
   */
  readonly existingBucketName?: string;
  /** @default S3-managed encryption */
  readonly bucketKmsKeyArn?: string;
  /** Versioning on the inbox, so a load can name the exact object version. @default true */
  readonly versioned?: boolean;
  /** @default false */
  readonly forceDestroy?: boolean;
  /** prevent_destroy on the inbox bucket. @default false */
  readonly protect?: boolean;
  /** Tag objects with their outcome, or move them to processed/ and failed/. @default "tag" */
  readonly postLoadAction?: "tag" | "move";
  /** Concurrent loads at most (per-table order is kept by an advisory lock anyway). @default 2 */
  readonly reservedConcurrency?: number;
  /** @default 900 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMb?: number;
  /** Retries of a failed asynchronous invocation (0-2). @default 2 */
  readonly maximumRetryAttempts?: number;
  /** @default 21600 (6 hours) */
  readonly maximumEventAgeSeconds?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

/** The zip the Lambda runs: one self-contained `index.js`, handler "index.handler". */
export function csvPipelineBundleZip(): string {
  return lambdaBundleZip("csv-pipeline", join(import.meta.dirname, "handler", "index.ts"));
}

export class CsvPipeline extends Construct {
  readonly function: LambdaFunction;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly failureQueue: SqsQueue;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly inbox?: PrivateBucket;

  constructor(scope: Construct, id: string, props: CsvPipelineProps) {
    super(scope, id);
    const problems = validate(props);
    refuseProblems(this, problems);
    const functionName = `${props.namePrefix}-csv-pipeline`;

    const logGroup = new CloudwatchLogGroup(this, "log_group", { name: `/aws/lambda/${functionName}`, retentionInDays: props.logRetentionDays ?? 30 });
    const [partition, region, account] = arnLocation(logGroup.arn);

    if (props.existingBucketName) {
      this.bucketName = props.existingBucketName;
      this.bucketArn = `arn:${partition}:s3:::${props.existingBucketName}`;
    } else {
      this.inbox = new PrivateBucket(this, "inbox", {
        bucketPrefix: `${props.namePrefix}-csv-inbox-`.slice(0, 37),
        kmsKeyArn: props.bucketKmsKeyArn,
        versioned: props.versioned ?? true,
        forceDestroy: props.forceDestroy,
        protect: props.protect,
      });
      this.bucketName = this.inbox.bucketName;
      this.bucketArn = this.inbox.bucketArn;
    }

    this.failureQueue = failureQueue(this, "failure_queue", `${functionName}-failures`);

    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: functionName,
      description: "CSV pipeline Lambda: the database port and HTTPS to the VPC's service endpoints only",
      vpcId: props.vpc.vpcId,
    });
    props.serviceEndpoints.allowClient("csv_pipeline", this.securityGroup);
    props.database.allowFrom("csv_pipeline", this.securityGroup, "CSV pipeline Lambda to the database");

    this.role = new IamRole(this, "role", { name: functionName, assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", { sourceAccount: account }) });
    new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: "csv-pipeline",
      policy: policyDocument(this.statements(props, logGroup.arn, region)),
    });

    this.function = bundledLambdaFunction(this, {
      functionName,
      description: "Loads CSV objects from the inbox bucket into PostgreSQL with COPY, one transaction per object",
      roleArn: this.role.arn,
      zipPath: csvPipelineBundleZip(),
      memorySize: props.memoryMb ?? 512,
      timeout: props.timeoutSeconds ?? 900,
      reservedConcurrentExecutions: props.reservedConcurrency,
      subnetIds: props.vpc.privateSubnetIds,
      securityGroupId: this.securityGroup.id,
      environment: {
        CSV_LOADS: JSON.stringify(props.loads.map(loadRule)),
        DB_SECRET_ARN: props.databaseSecret.secretArn,
        POST_LOAD_ACTION: props.postLoadAction ?? "tag",
      },
      logGroup,
      failureQueue: this.failureQueue,
      maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
      maximumEventAgeInSeconds: props.maximumEventAgeSeconds ?? 21_600,
    });

    // S3 checks that it may invoke the function when the notification is saved, so the
    // permission must exist first.
    const permission = new LambdaPermission(this, "s3_permission", {
      statementId: "invoke-from-inbox-bucket",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "s3.amazonaws.com",
      sourceArn: this.bucketArn,
      sourceAccount: account,
    });
    new S3BucketNotification(this, "notification", {
      bucket: this.bucketName,
      // One configuration per load and suffix (S3 filters take one suffix each); ".csv" and ".csv.gz"
      // do not overlap, as neither ends the other.
      lambdaFunction: props.loads.flatMap((load, index) =>
        CSV_SUFFIXES.map((suffix, suffixIndex) => ({
          id: suffixIndex === 0 ? `csv-load-${index}` : `csv-load-${index}-gz`,
          lambdaFunctionArn: this.function.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: load.prefix,
          filterSuffix: suffix,
        })),
      ),
      dependsOn: [permission],
    });
  }

  private statements(props: CsvPipelineProps, logGroupArn: string, region: string): PolicyStatement[] {
    const objects = props.loads.map((load) => `${this.bucketArn}/${load.prefix}*`);
    const moving = (props.postLoadAction ?? "tag") === "move";
    const statements: PolicyStatement[] = [
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
      // Lambda attaches the function to the VPC through network interfaces. Describe has no
      // resource-level permission; the others are held to this account and region's EC2
      // resources, the scope Lambda's documentation gives for DeleteNetworkInterface.
      { Sid: "DescribeNetworkInterfaces", Effect: "Allow", Action: "ec2:DescribeNetworkInterfaces", Resource: "*" },
      {
        Sid: "VpcNetworkInterfaces",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: `arn:${arnField(logGroupArn, "partition")}:ec2:${region}:${arnField(logGroupArn, "account")}:*/*`,
      },
      { Sid: "ReadInboxObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"], Resource: objects },
      ...(moving
        ? [
            // CopyObject copies the source's tags (tagging directive COPY, the default): reading them is in
            // ReadInboxObjects, and writing them to the copy needs s3:PutObjectTagging on the destination
            // besides s3:PutObject (AWS: "s3:GetObjectTagging for the source object and s3:PutObjectTagging
            // for objects in the destination bucket").
            { Sid: "WriteMovedObjects", Effect: "Allow" as const, Action: ["s3:PutObject", "s3:PutObjectTagging"], Resource: [`${this.bucketArn}/processed/*`, `${this.bucketArn}/failed/*`] },
            { Sid: "DeleteMovedOriginals", Effect: "Allow" as const, Action: "s3:DeleteObject", Resource: objects },
          ]
        : [{ Sid: "TagLoadedObjects", Effect: "Allow" as const, Action: ["s3:PutObjectTagging", "s3:PutObjectVersionTagging"], Resource: objects }]),
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: props.databaseSecret.secretArn },
      {
        Sid: "DecryptDatabaseSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.databaseSecret.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
      { Sid: "SendFailures", Effect: "Allow", Action: "sqs:SendMessage", Resource: this.failureQueue.arn },
    ];
    if (props.bucketKmsKeyArn) {
      statements.push({ Sid: "InboxBucketKey", Effect: "Allow", Action: moving ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt", Resource: props.bucketKmsKeyArn });
    }
    return statements;
  }
}

/** The handler's CSV_LOADS entry for one load. */
function loadRule(load: CsvLoad): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ prefix: load.prefix, table: load.table, mode: load.mode, key: load.key, delimiter: load.delimiter, null: load.null, encoding: load.encoding, allow_empty: load.allowEmpty }).filter(([, value]) => value !== undefined));
}

function validate(props: CsvPipelineProps): string[] {
  const problems: string[] = [];
  if (props.loads.length === 0) problems.push("give at least one load");
  props.loads.forEach((load, index) => {
    if (load.mode === "upsert" && (load.key ?? []).length === 0) problems.push(`load ${index} (${load.prefix}): upsert needs key columns`);
    props.loads.forEach((other, otherIndex) => {
      // S3 rejects notifications whose prefixes overlap for the same event and suffix.
      if (otherIndex > index && (other.prefix.startsWith(load.prefix) || load.prefix.startsWith(other.prefix))) {
        problems.push(`loads ${index} and ${otherIndex}: prefixes "${load.prefix}" and "${other.prefix}" overlap`);
      }
    });
  });
  return problems;
}
