// A Lambda function in a VPC running a synth-time bundle (see lambda-bundle.ts) on nodejs22.x,
// with its asynchronous failures sent to a queue after bounded retries. It adds `bundle`,
// `function` and `invoke_config` to the caller's scope, so the caller's addresses stay its own.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "./arn-field.js";
import { zipAssetHash } from "./lambda-bundle.js";
import { serviceTrustPolicy } from "./service-trust-policy.js";

export interface BundledLambdaProps {
  readonly functionName: string;
  readonly description: string;
  readonly roleArn: string;
  /** The zip from `lambdaBundleZip` (handler "index.handler"). */
  readonly zipPath: string;
  readonly memorySize: number;
  readonly timeout: number;
  /**
   * Reserved concurrency. Reserving any fails in accounts whose concurrency quota is at its
   * minimum (AWS keeps a floor of unreserved executions), so it is opt-in.
   * @default unreserved
   */
  readonly reservedConcurrentExecutions?: number;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  /** Non-secret settings only. */
  readonly environment: Readonly<Record<string, string>>;
  /** Created first, so the function never writes to a log group without retention. */
  readonly logGroup: CloudwatchLogGroup;
  /** Where failed asynchronous invocations go once retries are spent. */
  readonly failureQueue: SqsQueue;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
}

export function bundledLambdaFunction(scope: Construct, props: BundledLambdaProps): LambdaFunction {
  const bundle = new TerraformAsset(scope, "bundle", { path: props.zipPath, type: AssetType.FILE, assetHash: zipAssetHash(props.zipPath) });
  const fn = new LambdaFunction(scope, "function", {
    functionName: props.functionName,
    description: props.description,
    role: props.roleArn,
    runtime: "nodejs22.x",
    architectures: ["arm64"],
    handler: "index.handler",
    filename: bundle.path,
    sourceCodeHash: bundle.assetHash,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: [props.securityGroupId] },
    environment: { variables: { ...props.environment } },
    dependsOn: [props.logGroup],
  });
  new LambdaFunctionEventInvokeConfig(scope, "invoke_config", {
    functionName: fn.functionName,
    maximumRetryAttempts: props.maximumRetryAttempts,
    maximumEventAgeInSeconds: props.maximumEventAgeInSeconds,
    destinationConfig: { onFailure: { destination: props.failureQueue.arn } },
  });
  return fn;
}

/**
 * The execution role of a function in a VPC, named as the function: only Lambda acting for this
 * account may assume it (Lambda documents no aws:SourceArn for execution roles), and AWS's managed
 * policy lets it make network interfaces in the VPC and write its own logs. It adds `role` and
 * `vpc_access_policy` to the caller's scope; the account is read from the log group's ARN.
 */
export function vpcLambdaRole(scope: Construct, functionName: string, logGroupArn: string): { role: IamRole; vpcAccess: IamRolePolicyAttachment } {
  const role = new IamRole(scope, "role", { name: functionName, assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", { sourceAccount: arnField(logGroupArn, "account") }) });
  const vpcAccess = new IamRolePolicyAttachment(scope, "vpc_access_policy", {
    role: role.name,
    policyArn: `arn:${arnField(logGroupArn, "partition")}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
  });
  return { role, vpcAccess };
}
