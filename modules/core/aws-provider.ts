// The one provider the synthesized output uses, pinned as users' workspaces pin it, and the
// Terraform version every stack and module needs.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/**
 * hashicorp/aws from the 5.100 line (validated offline on this project's machines) through the
 * 6.x line the bindings are generated from. The bindings would otherwise emit their own bare
 * `aws` source and an exact 6.x version, which workspaces on 5.x cannot init.
 */
export const AWS_PROVIDER_REQUIREMENT = { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } as const;

/** The floor the stacks are validated on (terraform test mocks, S3-native state locking): Terraform 1.11. */
export const TERRAFORM_MINIMUM_VERSION = "1.11.0";
export const TERRAFORM_REQUIRED_VERSION = `>= ${TERRAFORM_MINIMUM_VERSION}`;

export interface LandingZoneProviderProps {
  /** AWS region of every resource in the stack. */
  readonly region: string;
  /** Tags applied to every resource through `default_tags`. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /**
   * The only account the provider may apply in (`allowed_account_ids`): credentials for another
   * account fail before anything changes.
   * @default any account
   */
  readonly accountId?: string;
}

export function addAwsProvider(scope: Construct, props: LandingZoneProviderProps): AwsProvider {
  const provider = new AwsProvider(scope, "aws", {
    region: props.region,
    defaultTags: [{ tags: { ...props.defaultTags } }],
    allowedAccountIds: props.accountId ? [props.accountId] : undefined,
  });
  const stack = TerraformStack.of(scope);
  stack.addOverride("terraform.required_providers.aws", AWS_PROVIDER_REQUIREMENT);
  stack.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
  return provider;
}
