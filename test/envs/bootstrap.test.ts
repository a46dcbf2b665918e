// The account bootstrap: one stack per account and region of the environments that name their
// account, holding the state buckets they use and (once per account) the account-global DMS roles.
// It plans offline and passes the mocked apply like every environment; the config refuses two
// environments of one account that would both create the DMS roles.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapStackName, defaultStateBucket } from "../../stacks/bootstrap-stack.js";
import { loadEnvironments } from "../../src/config/load.js";
import { ConfigError } from "../../src/config/errors.js";
import { synthesize } from "../../src/synth.js";
import { offlinePlan } from "../../src/terraform/offline-terraform.js";
import { validSingleVpc, validThreeVpc, variablesTree } from "../helpers/config-fixtures.js";
import { mockApplyCached, REFERENCE_VARIABLES, SynthJson } from "../helpers/synth.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

let outdir: string;
let stacks: Record<string, SynthJson>;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "lz-bootstrap-"));
  synthesize({ variablesDir: REFERENCE_VARIABLES, outdir });
  stacks = Object.fromEntries(readdirSync(join(outdir, "stacks")).map((name) => [name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"))]));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const bootstraps = () => Object.keys(stacks).filter((name) => name.startsWith("bootstrap-"));
const roleNames = (json: SynthJson) => Object.values(json.resource?.aws_iam_role ?? {}).map((role) => role.name);

describe("account bootstrap", () => {
  it("is one stack per account and region the reference environments name", () => {
    const environments = loadEnvironments(REFERENCE_VARIABLES);
    const expected = new Set(environments.map((environment) => bootstrapStackName(environment.config.account_id!, environment.props.backend!.region)));
    expect(bootstraps().sort()).toEqual([...expected].sort());
  });

  it("creates every state bucket an environment uses, in the bucket's region, with local state", () => {
    for (const environment of loadEnvironments(REFERENCE_VARIABLES)) {
      const backend = environment.props.backend!;
      const bootstrap = stacks[bootstrapStackName(environment.config.account_id!, backend.region)];
      expect(Object.values(bootstrap.resource?.aws_s3_bucket ?? {}).map((bucket) => bucket.bucket), environment.name).toContain(backend.bucket);
      expect(bootstrap.terraform?.backend).toEqual({ local: { path: expect.stringMatching(/^\.\.\/\.\.\/\.\.\/terraform\.bootstrap-.*\.tfstate$/) } });
    }
    // single-vpc names no bucket: it gets the account's default one.
    expect(stacks["single-vpc"].terraform?.backend).toMatchObject({ s3: { bucket: defaultStateBucket("111122223333", "eu-central-1"), use_lockfile: true, encrypt: true } });
  });

  it("hardens the state bucket: versioned, encrypted, TLS only, no public access, prevent_destroy", () => {
    const json = stacks[bootstraps()[0]];
    const one = <T>(type: string) => Object.values(json.resource?.[type] ?? {})[0] as T;
    expect(one<{ versioning_configuration: { status: string } }>("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(one<{ rule: unknown[] }>("aws_s3_bucket_server_side_encryption_configuration").rule).toHaveLength(1);
    expect(one("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(JSON.stringify(one("aws_s3_bucket_policy"))).toContain("aws:SecureTransport");
    expect(one("aws_s3_bucket")).toMatchObject({ lifecycle: { prevent_destroy: true } });
    expect(json.resource?.aws_dynamodb_table).toBeUndefined();
  });

  it("creates the account-global DMS roles exactly once per account, and no environment does", () => {
    const creators = Object.entries(stacks).filter(([, json]) => roleNames(json).includes("dms-vpc-role"));
    expect(creators.map(([name]) => name)).toEqual([bootstraps().sort()[0]]);
    expect(roleNames(creators[0][1])).toEqual(expect.arrayContaining(["dms-vpc-role", "dms-cloudwatch-logs-role"]));
  });

  it("pins the provider to the account and Terraform to 1.11", () => {
    for (const [name, json] of Object.entries(stacks)) {
      expect((json.provider?.aws as { allowed_account_ids?: string[] }[])[0].allowed_account_ids, name).toEqual(["111122223333"]);
      expect(json.terraform?.required_version, name).toBe(">= 1.11.0");
    }
  });

  it("plans offline and passes the mocked apply (the bootstrap with roles and a bucket; the others differ only in names)", () => {
    const name = bootstraps().sort()[0];
    const stackDir = join(outdir, "stacks", name);
    expect(offlinePlan(stackDir).counts.add).toBe(Object.values(stacks[name].resource ?? {}).reduce((sum, resources) => sum + Object.keys(resources).length, 0));
    mockApplyCached(stackDir, name.split("-").slice(2).join("-"), name);
  }, 600_000);
});

describe("account-global resources in config", () => {
  const dms = (serviceRoles: string) => ({ dms: { enabled: true, service_roles: serviceRoles } });

  it.each([
    ["one account", { account_id: "111122223333" }, { account_id: "111122223333" }],
    ["no account_id on either", {}, {}],
  ])("refuses two environments that both create the DMS roles (%s)", (_, a, b) => {
    const tree = variablesTree({ alpha: { "a.tfvars.json": { ...validThreeVpc(), ...a, ...dms("create") } }, beta: { "a.tfvars.json": { ...validSingleVpc(), ...b, ...dms("create") } } });
    try {
      expect(() => loadEnvironments(tree.dir)).toThrow(ConfigError);
      expect(() => loadEnvironments(tree.dir)).toThrow(/alpha\/?: \$\.dms\.service_roles: environments alpha, beta all create the account-global dms-vpc-role/);
    } finally {
      tree.cleanup();
    }
  });

  it("accepts them in different accounts, or when all but one say existing", () => {
    const tree = variablesTree({
      alpha: { "a.tfvars.json": { ...validThreeVpc(), account_id: "111122223333", ...dms("create") } },
      beta: { "a.tfvars.json": { ...validSingleVpc(), account_id: "444455556666", ...dms("create") } },
      gamma: { "a.tfvars.json": { ...validSingleVpc(), account_id: "111122223333", ...dms("existing") } },
    });
    try {
      expect(loadEnvironments(tree.dir).map((environment) => environment.name)).toEqual(["alpha", "beta", "gamma"]);
    } finally {
      tree.cleanup();
    }
  });
});
