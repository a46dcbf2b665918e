// Every problem at once: cross-field checks run on every section that parsed even when another
// section failed, and a missing key is one problem, not a reason to skip its neighbours. Each
// fixture combines problems that used to hide one another; all of them must be reported.
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigIssue } from "../../../src/config/errors.js";
import { loadIssues, validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

function issuesFor(config: Record<string, unknown>): ConfigIssue[] {
  tree = variablesTree({ dev: { "common.tfvars.json": config } });
  return loadIssues(tree.dir);
}

function changed(change: (config: Record<string, unknown>) => void, base = validThreeVpc()): Record<string, unknown> {
  change(base);
  return base;
}

describe("every problem at once", () => {
  it.each([
    [
      "an unknown key and a subnet outside its VPC (the README's example)",
      changed((c) => { c.nlb_nme = "nlb"; c.vpc2_private_subnets = ["10.0.1.0/24", "10.1.2.0/24"]; }),
      ["$.nlb_nme", "$.vpc2_private_subnets[1]"],
    ],
    [
      "a malformed VPC CIDR, an AZ in the wrong region and a hop port unlike the database port",
      changed((c) => { c.vpc_cidr = "192.168.0.0"; c.vpc3_azs = ["us-east-1a", "eu-west-1b"]; c.database = { port: 5433 }; }),
      ["$.vpc_cidr", "$.vpc3_azs[1]", "$.database.port"],
    ],
    [
      "a missing vpc_azs and overlapping subnets in the same VPC",
      changed((c) => { delete c.vpc_azs; c.vpc_private_subnets = ["192.168.0.0/20", "192.168.1.0/24"]; }),
      ["$.vpc_azs", "$.vpc_private_subnets[1]"],
    ],
    [
      "a wrong type in one section and a cross-field problem in another",
      changed((c) => { c.protected = true; c.region = 7; c.media = { enabled: true, force_destroy: true }; }),
      ["$.region", "$.media.force_destroy"],
    ],
    [
      "a bad DMS task value and a media certificate without aliases",
      changed((c) => {
        c.dms = { enabled: true, tasks: { orders: { source_endpoint_key: "src", target_endpoint_key: "tgt", migration_type: "sometimes" } } };
        c.media = { enabled: true, certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" };
      }),
      ["$.dms.tasks.orders.migration_type", "$.media.aliases"],
    ],
    [
      "a bad single_vpc source host and NAT without public subnets",
      changed((c) => { c.source = { host: "db..example..com!" }; c.network = { nat_gateway: "single" }; }, validSingleVpc()),
      ["$.source.host", "$.network.nat_gateway"],
    ],
  ])("reports %s", (_name, config, paths) => {
    const issues = issuesFor(config);
    for (const path of paths) expect(issues.map((issue) => issue.path), JSON.stringify(issues, null, 2)).toContain(path);
  });
});
