// The account bootstrap, as `cdk bootstrap` is for CDK: what the environments of one AWS account
// and region need before their first `cdktf deploy`, applied once with local state. It creates the
// state buckets the environments name (versioned, encrypted, TLS only, no public access; locking
// is S3's native lock file, so no DynamoDB table) and, in one bootstrap per account, the
// account-global DMS roles that DMS looks up by fixed name. Environments reference both by name,
// never by a plan-time lookup.
import { LocalBackend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { addAwsProvider } from "../modules/core/aws-provider.js";
import { PrivateBucket } from "../modules/core/private-bucket.js";
import { ReadableIdStack, snakeCase } from "../modules/core/readable-id-stack.js";
import { DmsServiceRoles } from "../modules/dms/dms-service-roles.js";

export interface BootstrapStackProps {
  /** The stack's name, as `cdktf deploy <name>` uses it. */
  readonly stackName: string;
  /** The AWS account; the provider refuses to apply anywhere else (`allowed_account_ids`). */
  readonly accountId: string;
  readonly region: string;
  /** Names of the state buckets to create in this region. */
  readonly stateBuckets: readonly string[];
  /** Create dms-vpc-role and dms-cloudwatch-logs-role (one bootstrap per account does). */
  readonly dmsServiceRoles: boolean;
  /** Tags on every resource, through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The bootstrap stack of an account and region. */
export function bootstrapStackName(accountId: string, region: string): string {
  return `bootstrap-${accountId}-${region}`;
}

/** The state bucket an environment gets when it names none: one per account and region. */
export function defaultStateBucket(accountId: string, region: string): string {
  return `dms-lz-tfstate-${accountId}-${region}`;
}

/** Days a replaced state version is kept: long enough to roll back a bad apply. */
const STATE_VERSION_DAYS = 90;

export class BootstrapStack extends ReadableIdStack {
  readonly stateBuckets: readonly PrivateBucket[];
  readonly dmsServiceRoles?: DmsServiceRoles;

  constructor(scope: Construct, props: BootstrapStackProps) {
    super(scope, props.stackName);
    addAwsProvider(this, { region: props.region, defaultTags: props.tags, accountId: props.accountId });
    // Nothing exists yet to hold this stack's state. The path is relative to the stack's directory
    // (cdktf.out/stacks/<name>), so the state sits in the project root and survives every synth.
    new LocalBackend(this, { path: `../../../terraform.${props.stackName}.tfstate` });

    this.stateBuckets = props.stateBuckets.map((bucketName) => {
      const bucket = new PrivateBucket(this, `state_${snakeCase(bucketName)}`, { bucketName, versioned: true, noncurrentVersionDays: STATE_VERSION_DAYS, protect: true });
      new TerraformOutput(this, `state_bucket_${snakeCase(bucketName)}`, { value: bucket.bucketName, description: "Terraform state bucket" });
      return bucket;
    });
    if (props.dmsServiceRoles) {
      this.dmsServiceRoles = new DmsServiceRoles(this, "dms_service_roles", { mode: "create" });
      new TerraformOutput(this, "dms_vpc_role_arn", { value: this.dmsServiceRoles.vpcRole!.arn, description: "The account's dms-vpc-role" });
      new TerraformOutput(this, "dms_cloudwatch_logs_role_arn", { value: this.dmsServiceRoles.cloudWatchLogsRole!.arn, description: "The account's dms-cloudwatch-logs-role" });
    }
  }
}
