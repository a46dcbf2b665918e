// The environment config loader: what loads, and every way a config can be wrong. Each bad
// config must fail with an issue naming the file, the JSON path and what was expected.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { synthesize } from "../../../src/synth.js";
import { validSingleVpc, validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

function issuesFor(environments: Record<string, Record<string, unknown>>, only?: string[]): ConfigIssue[] {
  tree = variablesTree(environments);
  try {
    loadEnvironments(tree.dir, only);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

function withChange(change: (config: Record<string, unknown>) => void, base = validThreeVpc()): Record<string, unknown> {
  change(base);
  return base;
}

interface BadConfig {
  readonly name: string;
  readonly config: Record<string, unknown> | string;
  readonly path: string;
  /** Matched against message + found + expected. */
  readonly says: RegExp;
}

const badConfigs: BadConfig[] = [
  { name: "region of the wrong type", config: withChange((c) => (c.region = 42)), path: "$.region", says: /wrong type.*42.*string/ },
  { name: "region that is not a region", config: withChange((c) => (c.region = "us-east")), path: "$.region", says: /AWS region/ },
  { name: "missing region", config: withChange((c) => delete c.region), path: "$.region", says: /required key is missing/ },
  { name: "VPC CIDR that is not a CIDR", config: withChange((c) => (c.vpc_cidr = "10.0.0.0")), path: "$.vpc_cidr", says: /IPv4 CIDR/ },
  { name: "VPC CIDR with host bits set", config: withChange((c) => (c.vpc2_cidr = "10.0.1.0/16")), path: "$.vpc2_cidr", says: /host bits.*10\.0\.0\.0\/16/ },
  { name: "VPC CIDR larger than AWS allows", config: withChange((c) => (c.vpc3_cidr = "10.0.0.0/8")), path: "$.vpc3_cidr", says: /\/16 to \/28/ },
  { name: "subnet CIDR with an octet over 255", config: withChange((c) => (c.vpc_private_subnets = ["192.168.1.0/24", "192.168.300.0/24"])), path: "$.vpc_private_subnets[1]", says: /IPv4 CIDR/ },
  { name: "subnet outside its VPC", config: withChange((c) => (c.vpc2_private_subnets = ["10.0.1.0/24", "10.1.2.0/24"])), path: "$.vpc2_private_subnets[1]", says: /outside the VPC 10\.0\.0\.0\/16/ },
  { name: "overlapping private subnets", config: withChange((c) => (c.vpc3_private_subnets = ["10.0.0.0/20", "10.0.1.0/24"])), path: "$.vpc3_private_subnets[1]", says: /overlaps \$\.vpc3_private_subnets\[0\]/ },
  { name: "public subnet overlapping a private one", config: withChange((c) => (c.vpc_public_subnets = ["192.168.1.0/24", "192.168.4.0/24"])), path: "$.vpc_public_subnets[0]", says: /overlaps/ },
  { name: "fewer than two AZs", config: withChange((c) => { c.vpc2_azs = ["us-east-1a"]; c.vpc2_private_subnets = ["10.0.1.0/24"]; c.vpc2_public_subnets = ["10.0.3.0/24"]; }), path: "$.vpc2_azs", says: /fewer than two availability zones.*at least two/ },
  { name: "the same AZ twice", config: withChange((c) => (c.vpc_azs = ["us-east-1a", "us-east-1a"])), path: "$.vpc_azs", says: /listed twice/ },
  { name: "AZ outside the region", config: withChange((c) => (c.vpc3_azs = ["us-east-1a", "us-west-2b"])), path: "$.vpc3_azs[1]", says: /not in region us-east-1/ },
  { name: "AZ that is not an AZ name", config: withChange((c) => (c.vpc_azs = ["us-east-1a", "east"])), path: "$.vpc_azs[1]", says: /availability zone name/ },
  { name: "private subnets not one per AZ", config: withChange((c) => (c.vpc_private_subnets = ["192.168.1.0/24"])), path: "$.vpc_private_subnets", says: /1 private subnets for 2 availability zones/ },
  { name: "NLB name over 32 characters once prefixed", config: withChange((c) => (c.nlb_name = "a-network-load-balancer-name")), path: "$.nlb_name", says: /dev-a-network-load-balancer-name-source.*32/ },
  { name: "target group name with invalid characters", config: withChange((c) => (c.nlb_tg_name = "tg_db")), path: "$.nlb_tg_name", says: /not a valid load balancer or target group name/ },
  { name: "unknown topology", config: withChange((c) => (c.topology = "hub_and_spoke")), path: "$.topology", says: /not an allowed value.*"three_vpc", "single_vpc"/ },
  { name: "unknown top-level key", config: withChange((c) => (c.vpc_cidrs = "10.0.0.0/16")), path: "$.vpc_cidrs", says: /unknown key \(did you mean "vpc_cidr"\?\)/ },
  { name: "unknown nested key", config: withChange((c) => (c.network = { nat_gateways: "single" })), path: "$.network.nat_gateways", says: /did you mean "nat_gateway"/ },
  { name: "empty file", config: "   \n", path: "$", says: /empty file/ },
  { name: "invalid JSON", config: '{\n  "region": "us-east-1",\n  "vpc_cidr": 10.0.0.0/16\n}', path: "$.vpc_cidr", says: /invalid JSON at line 3, column 15: "10\.0\.0\.0" is not a JSON number/ },
  { name: "a JSON array instead of an object", config: "[1, 2]", path: "$", says: /not a JSON object.*an array of 2/ },
  { name: "three_vpc without the DMS VPC", config: withChange((c) => delete c.vpc2_cidr), path: "$.vpc2_cidr", says: /required key is missing for topology "three_vpc"/ },
  { name: "vpc2 keys in single_vpc", config: withChange((c) => (c.vpc2_cidr = "10.1.0.0/16"), validSingleVpc()), path: "$.vpc2_cidr", says: /used only by topology three_vpc/ },
  { name: "DMS VPC in an AZ the source hop does not serve", config: withChange((c) => { c.vpc2_azs = ["us-east-1a", "us-east-1c"]; }), path: "$.vpc2_azs", says: /us-east-1c.*source hop/ },
  { name: "NAT without public subnets", config: withChange((c) => (c.network = { nat_gateway: "single" }), validSingleVpc()), path: "$.network.nat_gateway", says: /needs public subnets/ },
  { name: "state bucket name that S3 rejects", config: withChange((c) => (c.backend_bucket = "Terraform_State")), path: "$.backend_bucket", says: /not a valid S3 bucket name/ },
  { name: "source IP that is not an address", config: withChange((c) => (c.source = { ip_addresses: ["10.0.0.256"] })), path: "$.source.ip_addresses[0]", says: /IPv4 address/ },
  { name: "port out of range", config: withChange((c) => (c.network = { source_hop: { port: 70000 } })), path: "$.network.source_hop.port", says: /too large.*65535/ },
  { name: "tag value of the wrong type", config: withChange((c) => (c.common_tags = { team: 7 })), path: "$.common_tags.team", says: /wrong type.*string/ },
  { name: "allowed principal that is not an ARN", config: withChange((c) => (c.network = { target_hop: { allowed_principals: ["123456789012"] } })), path: "$.network.target_hop.allowed_principals[0]", says: /IAM principal ARN/ },
  { name: "allowed principal with a path", config: withChange((c) => (c.network = { source_hop: { allowed_principals: ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"] } })), path: "$.network.source_hop.allowed_principals[0]", says: /without a path/ },
  { name: "hop that would not require acceptance", config: withChange((c) => (c.network = { source_hop: { acceptance_required: false } })), path: "$.network.source_hop.acceptance_required", says: /one of true/ },
  { name: "flow log retention CloudWatch does not offer", config: withChange((c) => (c.network = { flow_log_retention_days: 100 })), path: "$.network.flow_log_retention_days", says: /CloudWatch retention periods/ },
  { name: "workstation in an unknown VPC", config: withChange((c) => (c.network = { workstation: { enabled: true, vpc: "app" } })), path: "$.network.workstation.vpc", says: /"source", "dms", "target"/ },
  { name: "source host name in three_vpc", config: withChange((c) => (c.source = { host: "db.example.com" })), path: "$.source.host", says: /source hop/ },
  { name: "environment name with capitals", config: withChange((c) => (c.environment = "Dev")), path: "$.environment", says: /lowercase/ },
  { name: "unknown AWS service endpoint", config: withChange((c) => (c.network = { service_endpoints: ["secretsmanager", "dynamo"] })), path: "$.network.service_endpoints[1]", says: /not an allowed value/ },
  { name: "boolean given as a string", config: withChange((c) => (c.protected = "yes")), path: "$.protected", says: /wrong type.*true or false/ },
];

describe("bad configs", () => {
  it("covers at least 30 distinct cases", () => {
    expect(badConfigs.length).toBeGreaterThanOrEqual(30);
  });

  for (const bad of badConfigs) {
    it(`rejects ${bad.name}`, () => {
      const issues = issuesFor({ dev: { "common.tfvars.json": bad.config } });
      const issue = issues.find((candidate) => candidate.path === bad.path && bad.says.test([candidate.message, candidate.found, candidate.expected].join(" | ")));
      expect(issue, `no matching issue at ${bad.path}; got ${JSON.stringify(issues, null, 2)}`).toBeDefined();
      expect(issue!.file).toMatch(/dev[\\/]common\.tfvars\.json$/);
      expect([issue!.message, issue!.found, issue!.expected].join(" | ")).toMatch(bad.says);
      if (bad.path !== "$") expect(issue!.expected ?? issue!.message).toBeTruthy();
    });
  }

  it("reports every problem at once, each against the file its key came from", () => {
    const issues = issuesFor({
      dev: {
        "10-network.tfvars.json": withChange((c) => { c.vpc_cidr = "bad"; delete c.region; }),
        "20-extra.tfvars.json": { regoin: "us-east-1", protected: 1 },
      },
    });
    expect(issues.map((i) => `${i.path}@${i.file.split(/[\\/]/).pop()}`)).toEqual(
      expect.arrayContaining(["$.vpc_cidr@10-network.tfvars.json", "$.regoin@20-extra.tfvars.json", "$.protected@20-extra.tfvars.json"]),
    );
    expect(issues.find((i) => i.path === "$.regoin")?.message).toMatch(/did you mean "region"/);
  });

  it("reports problems in every environment, not just the first", () => {
    const issues = issuesFor({
      a: { "x.tfvars.json": withChange((c) => (c.region = "nowhere")) },
      b: { "x.tfvars.json": withChange((c) => (c.vpc_cidr = "nowhere")) },
    });
    expect(issues.map((i) => i.file.split(/[\\/]/).slice(-2)[0])).toEqual(expect.arrayContaining(["a", "b"]));
  });

  it("rejects an environment directory with no tfvars files", () => {
    const issues = issuesFor({ dev: { "README.md": "notes" } });
    expect(issues[0].message).toMatch(/no \*\.tfvars\.json files/);
  });

  it("rejects an unknown --env with a suggestion", () => {
    const issues = issuesFor({ dev: { "a.tfvars.json": validThreeVpc() } }, ["deV2"]);
    expect(issues[0].message).toMatch(/no such environment \(did you mean "dev"\?\)/);
  });

  it("writes nothing to the output directory when any environment is invalid", () => {
    tree = variablesTree({
      good: { "a.tfvars.json": validThreeVpc() },
      bad: { "a.tfvars.json": withChange((c) => (c.vpc_cidr = "10.0.0.0/33")) },
    });
    const outdir = join(mkdtempSync(join(tmpdir(), "lz-out-")), "cdktf.out");
    try {
      expect(() => synthesize({ variablesDir: tree!.dir, outdir })).toThrow(ConfigError);
      expect(existsSync(outdir)).toBe(false);
    } finally {
      rmSync(join(outdir, ".."), { recursive: true, force: true });
    }
  });
});

describe("good configs", () => {
  it("loads the aws-samples key set as it is, as the three-VPC topology", () => {
    tree = variablesTree({ dev: { "common.tfvars.json": validThreeVpc() } });
    const [environment] = loadEnvironments(tree.dir);
    expect(environment.props.network.topology).toBe("three_vpc");
    // The sample's DMS and target VPCs share 10.0.0.0/16: PrivateLink makes that valid.
    expect(environment.config.vpcs.vpc2.cidr).toBe(environment.config.vpcs.vpc3.cidr);
    expect(environment.props.backend).toEqual({ bucket: "dms-tfstate-dev", key: "dev/terraform.tfstate", region: "us-east-1", kmsKeyId: undefined });
    expect(environment.props.tags).toMatchObject({ Environment: "dev", ManagedBy: "dms-landing-zone", terraform: "true" });
    expect(environment.props.network.flowLogRetentionDays).toBe(365);
  });

  it("merges files in name order, a later file replacing a top-level key whole", () => {
    tree = variablesTree({
      dev: {
        "a.tfvars.json": withChange((c) => (c.network = { nat_gateway: "single", workstation: { enabled: true } })),
        "b.tfvars.json": { network: { service_endpoints: ["logs"] } },
      },
    });
    const [environment] = loadEnvironments(tree.dir);
    expect(environment.config.network.nat_gateway).toBe("none");
    expect(environment.config.network.workstation.enabled).toBe(false);
    expect(environment.config.network.service_endpoints).toEqual(["logs"]);
  });

  it("treats every directory as an environment, sorted, and honours --env", () => {
    tree = variablesTree({ b: { "x.tfvars.json": validThreeVpc() }, a: { "x.tfvars.json": validSingleVpc() } });
    expect(loadEnvironments(tree.dir).map((e) => e.name)).toEqual(["a", "b"]);
    expect(loadEnvironments(tree.dir, ["b"]).map((e) => e.name)).toEqual(["b"]);
    expect(readdirSync(tree.dir).sort()).toEqual(["a", "b"]);
  });

  it("protects prod by default and honours an explicit setting", () => {
    tree = variablesTree({
      prod: { "x.tfvars.json": withChange((c) => (c.environment = "prod")) },
      qa: { "x.tfvars.json": withChange((c) => { c.environment = "qa"; c.protected = true; }) },
      dev: { "x.tfvars.json": validThreeVpc() },
    });
    expect(Object.fromEntries(loadEnvironments(tree.dir).map((e) => [e.name, e.props.protected]))).toEqual({ dev: false, prod: true, qa: true });
  });
});
