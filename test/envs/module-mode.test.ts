// Module mode: the synthesized environment as a Terraform module, called from a small HCL root
// module (test/fixtures/module-root) that owns the provider and the shared VPC. The root passes
// the offline plan (which validates) with the real AWS provider.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { offlinePlan, openOfflineWorkspace, PlanJson } from "../../src/terraform/offline-terraform.js";
import { cachedJson, hashFiles } from "../helpers/test-cache.js";
import { environmentNames, loadEnvironments } from "../../src/config/load.js";
import { mockApplyIn } from "../../src/terraform/mock-apply.js";
import { passOnce, REFERENCE_VARIABLES } from "../helpers/synth.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "module-root");
let root: string;
let module: Record<string, Record<string, unknown>>;
let stdout = "";
let plan: PlanJson;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "lz-module-root-"));
  cpSync(join(FIXTURE, "main.tf"), join(root, "main.tf"));
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stdout += text) };
  return runCli(["synth", "--module", "--env", "workspace", "--vars", join(FIXTURE, "variables"), "--out", join(root, "dms-landing-zone")], io).then((code) => {
    expect(code, stdout).toBe(0);
    module = JSON.parse(readFileSync(join(root, "dms-landing-zone", "main.tf.json"), "utf8"));
    // Planned once per root and module content (test/helpers/test-cache.ts); a plan that fails validation throws.
    plan = cachedJson(join("plans", `module-root-${hashFiles([root])}`), () => offlinePlan(root).planJson);
  });
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("dms-lz synth --module", () => {
  it("writes a module without backend or provider configuration, keeping required_providers", () => {
    // assets/: the database logins function's package, which the module carries inside it.
    expect(readdirSync(join(root, "dms-landing-zone"))).toEqual(["assets", "main.tf.json"]);
    expect(module.provider).toBeUndefined();
    expect(module.terraform.backend).toBeUndefined();
    expect(module.terraform.required_providers).toEqual({ aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 7.0.0" } });
  });

  it("turns the per-workspace values into variables with the configured defaults", () => {
    expect(Object.keys(module.variable).sort()).toEqual(["application_role_name", "dms_private_subnet_ids", "dms_route_table_ids", "dms_vpc_id"]);
    expect(module.variable.dms_private_subnet_ids).toMatchObject({ type: "list(string)", default: ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"] });
    const body = JSON.stringify({ ...module, variable: undefined });
    expect(body).not.toContain("vpc-0a1b2c3d4e5f60718");
    expect(body).not.toContain("subnet-0a1b2c3d4e5f60718");
    expect(body).toContain("${var.dms_vpc_id}");
    expect(stdout).toContain('module "dms_landing_zone" { source = ');
  });

  it("keeps the stack's outputs under their names", () => {
    expect(Object.keys(module.output)).toEqual(expect.arrayContaining(["dms_vpc_id", "target_vpc_id"]));
  });

  it("validates and plans from the HCL root, placing everything in the root's VPC", () => {
    const changes = plan.resource_changes ?? [];
    const inModule = changes.filter((change) => change.address.startsWith("module.dms_landing_zone."));
    expect(inModule.length).toBeGreaterThan(10);
    expect(inModule.filter((change) => change.type === "aws_vpc" || change.type === "aws_subnet")).toEqual([]);
    const dmsGroup = inModule.find((change) => change.address === "module.dms_landing_zone.aws_security_group.network_dms_security_group");
    expect((dmsGroup?.change.after_unknown as Record<string, unknown>).vpc_id).toBe(true);
    expect(changes.map((change) => change.address)).toEqual(expect.arrayContaining(["aws_vpc.shared", "aws_subnet.private[0]", "aws_subnet.private[1]"]));
  });
});

describe("module mode for every reference environment", () => {
  // A root module as a workspace would write it: its own provider, the module, its outputs.
  const rootModule = (region: string) => `provider "aws" {
  region = "${region}"
}

module "dms_landing_zone" {
  source = "./dms-landing-zone"
}

output "landing_zone" {
  value     = module.dms_landing_zone
  sensitive = true
}
`;

  it.each(environmentNames(REFERENCE_VARIABLES))("%s: an HCL root calling the module inits, validates, plans and mock-applies, with the Lambda packages inside the module", async (name) => {
    const [environment] = loadEnvironments(REFERENCE_VARIABLES, [name]);
    const region = environment.props.region;
    const dir = mkdtempSync(join(tmpdir(), `lz-module-${name}-`));
    try {
      writeFileSync(join(dir, "main.tf"), rootModule(region));
      const io = { stdout: () => undefined, stderr: (text: string) => void (stdout += text) };
      expect(await runCli(["synth", "--module", "--env", name, "--vars", REFERENCE_VARIABLES, "--out", join(dir, "dms-landing-zone")], io), stdout).toBe(0);
      const text = readFileSync(join(dir, "dms-landing-zone", "main.tf.json"), "utf8");
      expect(text).not.toMatch(/"(variable|output|check|locals)": \{\}/);
      expect(JSON.parse(text).terraform.required_version).toBe(">= 1.11.0");
      const packages = [...text.matchAll(/"filename": "\$\{path\.module\}\/([^"]+)"/g)].map((match) => match[1]);
      expect(text).not.toMatch(/"filename": "assets\//);
      for (const file of packages) expect(existsSync(join(dir, "dms-landing-zone", file)), file).toBe(true);
      // dev: the CSV loader, the hop target sync and the logins functions of the target and the simulated source.
      if (name === "dev") expect(packages).toHaveLength(4);

      passOnce(dir, region, `module-${name}`, () => {
        const workspace = openOfflineWorkspace(dir);
        try {
          // plan validates; a configuration it refuses throws here.
          workspace.run(["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=root.tfplan"], "plan");
          const rootPlan = JSON.parse(workspace.run(["show", "-json", "root.tfplan"], "show")) as PlanJson;
          const functions = (rootPlan.resource_changes ?? []).filter((change) => change.type === "aws_lambda_function");
          expect(functions).toHaveLength(packages.length);
          for (const change of functions) expect(existsSync(join(dir, String((change.change.after as { filename: string }).filename)))).toBe(true);
          mockApplyIn(workspace, region);
        } finally {
          workspace.dispose();
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
