// The account-level roles DMS looks up by fixed name: `dms-vpc-role` (ENIs of replication
// instances) and `dms-cloudwatch-logs-role` (task logs). They are global to the account, so only
// one environment per account creates them; every other one adopts them ("existing") and never
// manages, replaces or deletes them. (`dms-access-for-endpoint` is needed only for Redshift
// targets, which this project does not build.)
//
// Propagation: a new role is not usable by DMS at once, and the first apply used to fail with "The
// IAM Role arn:aws:iam::...:role/dms-vpc-role is not configured properly" (terraform-provider-aws
// #11025, #32824). The usual fixes are a time_sleep (another provider) or a local-exec `sleep`
// (needs a shell on the deploying machine). Neither is needed: the AWS provider retries
// CreateReplicationSubnetGroup on AccessDeniedFault for its IAM propagation timeout (2 minutes) in
// every version this project supports, so it is enough that the subnet group is not even
// attempted before the role *and its policy attachment* exist. `dependables` is that ordering
// point (the attachments, not the roles: a role without its policy is the failing case); the
// replication instance follows the subnet group, and tasks follow the logs role's attachment.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { arnField } from "../core/arn-field.js";

export type ServiceRolesMode = "create" | "existing";

export const DMS_VPC_ROLE_NAME = "dms-vpc-role";
export const DMS_CLOUDWATCH_LOGS_ROLE_NAME = "dms-cloudwatch-logs-role";

export interface DmsServiceRolesProps {
  /**
   * `create`: this stack owns the roles (one environment per account). `existing`: the roles were
   * created elsewhere; they are referenced by their fixed names only.
   * @default "create"
   */
  readonly mode?: ServiceRolesMode;
}

export class DmsServiceRoles extends Construct {
  readonly mode: ServiceRolesMode;
  readonly vpcRoleName = DMS_VPC_ROLE_NAME;
  readonly cloudWatchLogsRoleName = DMS_CLOUDWATCH_LOGS_ROLE_NAME;
  /** What the subnet group (VPC role) waits for; empty for existing roles. */
  readonly vpcRoleReady: ITerraformDependable[] = [];
  /** What logging tasks wait for; empty for existing roles. */
  readonly logsRoleReady: ITerraformDependable[] = [];
  readonly vpcRole?: IamRole;
  readonly cloudWatchLogsRole?: IamRole;

  constructor(scope: Construct, id: string, props: DmsServiceRolesProps = {}) {
    super(scope, id);
    this.mode = props.mode ?? "create";
    if (this.mode === "existing") return;

    const vpc = this.serviceRole("vpc_role", DMS_VPC_ROLE_NAME, "AmazonDMSVPCManagementRole");
    this.vpcRole = vpc.role;
    this.vpcRoleReady.push(vpc.attachment);
    const logs = this.serviceRole("cloudwatch_logs_role", DMS_CLOUDWATCH_LOGS_ROLE_NAME, "AmazonDMSCloudWatchLogsRole");
    this.cloudWatchLogsRole = logs.role;
    this.logsRoleReady.push(logs.attachment);
  }

  private serviceRole(id: string, name: string, managedPolicy: string): { role: IamRole; attachment: IamRolePolicyAttachment } {
    const role = new IamRole(this, id, {
      name,
      description: `Account-level role AWS DMS looks up by name (${name})`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "dms.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    // The partition comes from the role's own ARN, so GovCloud and China work without a lookup.
    const attachment = new IamRolePolicyAttachment(this, `${id}_policy`, {
      role: role.name,
      policyArn: `arn:${arnField(role.arn, "partition")}:iam::aws:policy/service-role/${managedPolicy}`,
    });
    return { role, attachment };
  }
}
