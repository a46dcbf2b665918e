// Template text in config is escaped once, where config becomes props, and refused where DMS
// would refuse it anyway. (test/envs/template-text.test.ts proves the plan carries it literally.)
import { afterEach, expect, it } from "vitest";
import { ConfigError, ConfigIssue } from "../../../src/config/errors.js";
import { loadEnvironments } from "../../../src/config/load.js";
import { escapeTemplateText } from "../../../src/config/template-text.js";
import { validThreeVpc, variablesTree, VariablesTree } from "../../helpers/config-fixtures.js";

let tree: VariablesTree | undefined;
afterEach(() => tree?.cleanup());

it.each([
  ['${file("/etc/hostname")}', '$${file("/etc/hostname")}'],
  ["%{ if true }x%{ endif }", "%%{ if true }x%%{ endif }"],
  ["a $ sign, a % sign and {braces}", "a $ sign, a % sign and {braces}"],
  ["$${already}", "$$${already}"],
])("escapes %j as %j", (text, escaped) => {
  expect(escapeTemplateText(text)).toBe(escaped);
});

it("escapes tag keys and values and names on their way to the stack, but not the stack's name or backend", () => {
  tree = variablesTree({ dev: { "a.tfvars.json": { ...validThreeVpc(), common_tags: { "k%{x}": "${file(\"/etc/hostname\")}" }, s3_sg_name: "s3-${x}" } } });
  const [environment] = loadEnvironments(tree.dir);
  expect(environment.props.tags).toMatchObject({ "k%%{x}": '$${file("/etc/hostname")}' });
  expect(environment.props.network.serviceEndpointsSecurityGroupName).toBe("dev-s3-$${x}");
  expect(environment.props.stackName).toBe("dev");
  expect(environment.props.backend?.key).toBe("dev/terraform.tfstate");
});

it.each([
  ["an include pattern", { include: [{ schema: "public", table: "${aws_iam_role.x.arn}" }] }, "$.dms.tasks.load.include[0].table"],
  ["an exclude pattern", { include: [{ schema: "public", table: "%" }], exclude: [{ schema: "${var.s}", table: "t" }] }, "$.dms.tasks.load.exclude[0].schema"],
  ["a rename value", { include: [{ schema: "public", table: "%" }], transformations: [{ action: "rename", schema: "public", value: "${x}" }] }, "$.dms.tasks.load.transformations[0].value"],
])("refuses a Terraform reference in %s", (_name, rules, path) => {
  const dms = {
    enabled: true,
    endpoints: { source: { endpoint_type: "source", engine_name: "postgres" }, target: { endpoint_type: "target", engine_name: "postgres" } },
    tasks: { load: { source_endpoint_key: "source", target_endpoint_key: "target", migration_type: "full-load", ...rules } },
  };
  tree = variablesTree({ dev: { "a.tfvars.json": { ...validThreeVpc(), dms } } });
  let issues: ConfigIssue[] = [];
  try {
    loadEnvironments(tree.dir);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues = [...error.issues];
  }
  expect(issues.find((issue) => issue.path === path)?.expected).toMatch(/without \$\{/);
});

it.each([
  ["a state key with template text", { key: "${var.x}/state" }, "$.backend.key"],
  ["a state KMS key with template text", { kms_key_id: "%{ if true }k%{ endif }" }, "$.backend.kms_key_id"],
])("refuses %s (the backend block takes values literally)", (_name, backend, path) => {
  tree = variablesTree({ dev: { "a.tfvars.json": { ...validThreeVpc(), backend } } });
  expect(() => loadEnvironments(tree!.dir)).toThrow(ConfigError);
  try {
    loadEnvironments(tree.dir);
  } catch (error) {
    expect((error as ConfigError).issues.map((issue) => issue.path)).toContain(path);
  }
});
