// Keeps each PrivateLink hop's target group pointed at its database's writer. A writer's IP changes
// on failover, maintenance or instance replacement, and a fixed IP target then silently cuts DMS
// off. A small Lambda in the target VPC resolves every writer endpoint and registers/deregisters
// IP targets, every minute and on RDS failover/availability events. RDS host names resolve to
// private addresses from any VPC, so one function serves the source hop's target group as well.
// The target groups are owned by this function: Terraform manages no attachments in them.
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { bundledLambdaFunction, vpcLambdaRole } from "../core/bundled-lambda.js";
import { failureQueue } from "../core/failure-queue.js";
import { policyDocument } from "../core/policy-document.js";
import { NetworkVpc } from "../network/network-vpc.js";
import { emptySecurityGroup } from "../network/security-group-rules.js";
import { ServiceEndpoints } from "../network/service-endpoints.js";
import { targetSyncBundleZip } from "./target-sync/bundle.js";
import { SyncTarget } from "./target-sync/handler.js";

export interface HopTargetSyncTarget extends SyncTarget {
  /** RDS event source identifiers (cluster and instances) whose failover triggers a sync. */
  readonly eventSourceIdentifiers: readonly string[];
}

export interface HopTargetSyncProps {
  /** Name of the function, its role, group and log group. */
  readonly functionName: string;
  /** The VPC the function runs in (its private subnets). */
  readonly vpc: NetworkVpc;
  /** That VPC's service endpoints; an `elasticloadbalancing` endpoint is added when missing. */
  readonly serviceEndpoints: ServiceEndpoints;
  readonly targets: readonly HopTargetSyncTarget[];
  /**
   * EventBridge schedule of the periodic sync.
   * @default "rate(1 minute)"
   */
  readonly schedule?: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
}

export class HopTargetSync extends Construct {
  readonly function: LambdaFunction;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: HopTargetSyncProps) {
    super(scope, id);
    this.securityGroup = emptySecurityGroup(this, "security_group", {
      name: props.functionName,
      description: "Hop target sync Lambda: HTTPS to the VPC's service endpoints only",
      vpcId: props.vpc.vpcId,
    });
    props.serviceEndpoints.addService("elasticloadbalancing");
    props.serviceEndpoints.allowClient("hop_target_sync", this.securityGroup);

    const logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.role = vpcLambdaRole(this, props.functionName, logGroup.arn).role;
    // Runs that still fail are kept for inspection instead of vanishing.
    const failures = failureQueue(this, "failure_queue", `${props.functionName}-failures`);
    new IamRolePolicy(this, "target_group_policy", {
      role: this.role.name,
      name: "sync-hop-targets",
      policy: policyDocument([
        // DescribeTargetHealth supports no resource-level permission.
        { Sid: "ReadTargets", Effect: "Allow", Action: "elasticloadbalancing:DescribeTargetHealth", Resource: "*" },
        {
          Sid: "ChangeTargets",
          Effect: "Allow",
          Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
          Resource: props.targets.map((target) => target.targetGroupArn),
        },
        { Sid: "RecordFailedRuns", Effect: "Allow", Action: "sqs:SendMessage", Resource: failures.arn },
      ]),
    });

    const targets: SyncTarget[] = props.targets.map(({ name, targetGroupArn, hostName, port }) => ({ name, targetGroupArn, hostName, port }));
    this.function = bundledLambdaFunction(this, {
      functionName: props.functionName,
      description: "Keeps the PrivateLink hops' target groups on their databases' writers",
      roleArn: this.role.arn,
      zipPath: targetSyncBundleZip(),
      memorySize: 128,
      timeout: 30,
      // No reserved concurrency (it fails in new accounts at the minimum quota): runs may overlap,
      // and each converges the target group on the writer it resolves, re-checking before it ends.
      subnetIds: props.vpc.privateSubnetIds,
      securityGroupId: this.securityGroup.id,
      environment: { TARGETS: JSON.stringify(targets) },
      logGroup,
      failureQueue: failures,
      // A missed run is repaired by the next one a minute later; retries would only pile up.
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
    });

    this.trigger(props.functionName, "schedule", { scheduleExpression: props.schedule ?? "rate(1 minute)", description: "Periodic hop target sync" });
    this.trigger(props.functionName, "rds_events", {
      description: "Hop target sync on RDS failover, availability and maintenance events",
      eventPattern: JSON.stringify({
        source: ["aws.rds"],
        "detail-type": ["RDS DB Cluster Event", "RDS DB Instance Event"],
        detail: {
          SourceIdentifier: [...new Set(props.targets.flatMap((target) => target.eventSourceIdentifiers))],
          EventCategories: ["failover", "availability", "maintenance"],
        },
      }),
    });
  }

  private trigger(functionName: string, id: string, rule: { description: string; scheduleExpression?: string; eventPattern?: string }): void {
    const eventRule = new CloudwatchEventRule(this, `${id}_rule`, { name: `${functionName}-${id.replace(/_/g, "-")}`, ...rule });
    new CloudwatchEventTarget(this, `${id}_target`, { rule: eventRule.name, arn: this.function.arn });
    new LambdaPermission(this, `${id}_permission`, {
      statementId: `invoke-from-${id.replace(/_/g, "-")}`,
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: eventRule.arn,
    });
  }
}
