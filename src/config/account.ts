// The AWS account an environment belongs to, and what follows from it across environments: the
// account's bootstrap stacks (state buckets, account-global DMS roles), the default state bucket,
// and the rule that no two environments of one account create the same account-global resource
// (AWS refuses the second with EntityAlreadyExists).
import { join } from "node:path";
import { z } from "zod";
import { BootstrapStackProps, bootstrapStackName, defaultStateBucket } from "../../stacks/bootstrap-stack.js";
import type { ConfigIssue } from "./errors.js";
import type { LoadedEnvironment } from "./load.js";

export const accountKeys = {
  account_id: z
    .string()
    .regex(/^[0-9]{12}$/, "expected the 12-digit AWS account ID")
    .optional()
    .describe(
      "AWS account the environment is deployed to. With it the app adds the account's bootstrap stack (`bootstrap-<account_id>-<region>`: state buckets and the account-global DMS roles), the state bucket defaults to `dms-lz-tfstate-<account_id>-<region>`, and the provider refuses any other account. Environments of one account may not both create an account-global resource.",
    ),
};

/** Terraform's DMS roles are account-global: at most one environment of an account creates them. */
export function accountGlobalIssues(environments: readonly LoadedEnvironment[], variablesDir: string): ConfigIssue[] {
  const creators = new Map<string, LoadedEnvironment[]>();
  for (const environment of environments) {
    if (environment.props.dms?.serviceRoles !== "create") continue;
    const account = environment.config.account_id ?? "(no account_id)";
    creators.set(account, [...(creators.get(account) ?? []), environment]);
  }
  const issues: ConfigIssue[] = [];
  for (const [account, owners] of creators) {
    if (owners.length < 2) continue;
    const names = owners.map((owner) => owner.name).join(", ");
    for (const owner of owners) {
      issues.push({
        file: join(variablesDir, owner.name),
        path: "$.dms.service_roles",
        message: `environments ${names} all create the account-global dms-vpc-role and dms-cloudwatch-logs-role in account ${account}; AWS refuses the second (EntityAlreadyExists)`,
        found: '"create"',
        expected: `"existing" in all but one (the account's bootstrap stack creates them when every environment says "existing"${account.startsWith("(") ? "; or give each environment its account_id" : ""})`,
      });
    }
  }
  return issues;
}

/**
 * One bootstrap per account and region of the environments that name their account: the state
 * buckets they use in that region, and the DMS roles in the account's first region (by name)
 * when one of its environments needs them and none creates them itself.
 */
export function bootstrapProps(environments: readonly LoadedEnvironment[]): BootstrapStackProps[] {
  const byStack = new Map<string, { accountId: string; region: string; buckets: Set<string> }>();
  const rolesNeeded = new Set<string>();
  const rolesCreated = new Set<string>();
  for (const environment of environments) {
    const accountId = environment.config.account_id;
    if (!accountId) continue;
    const backend = environment.props.backend;
    if (backend) {
      const name = bootstrapStackName(accountId, backend.region);
      const entry = byStack.get(name) ?? { accountId, region: backend.region, buckets: new Set<string>() };
      entry.buckets.add(backend.bucket);
      byStack.set(name, entry);
    }
    if (environment.props.dms?.serviceRoles === "existing") rolesNeeded.add(accountId);
    if (environment.props.dms?.serviceRoles === "create") rolesCreated.add(accountId);
  }
  const rolesHome = new Map<string, string>();
  for (const name of [...byStack.keys()].sort()) {
    const { accountId } = byStack.get(name)!;
    if (!rolesHome.has(accountId)) rolesHome.set(accountId, name);
  }
  return [...byStack.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stackName, { accountId, region, buckets }]) => ({
      stackName,
      accountId,
      region,
      stateBuckets: [...buckets].sort(),
      dmsServiceRoles: rolesHome.get(accountId) === stackName && rolesNeeded.has(accountId) && !rolesCreated.has(accountId),
      tags: { ManagedBy: "dms-landing-zone", Purpose: "bootstrap" },
    }));
}

/** The state bucket of an environment that names its account but no bucket. */
export function accountStateBucket(accountId: string | undefined, region: string): string | undefined {
  return accountId ? defaultStateBucket(accountId, region) : undefined;
}
