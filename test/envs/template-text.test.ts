// Template text in config is inert: `terraform plan` (real Terraform, the real AWS provider)
// plans a tag such as ${file("/etc/hostname")} and a group name holding ${...} as that literal
// text, instead of evaluating them on the reviewer's machine.
import { expect, it } from "vitest";
import type { ResourceChange } from "../../src/terraform/offline-terraform.js";
import { validSingleVpc, variablesTree } from "../helpers/config-fixtures.js";
import { referencePlan } from "../helpers/synth.js";

const HOSTILE_TAG = '${file("/etc/hostname")}';
const HOSTILE_KEY = "%{ if true }owner%{ endif }";

it("plans template text from config as literal text", () => {
  const tree = variablesTree({
    lit: {
      "a.tfvars.json": {
        ...validSingleVpc(),
        database: { enabled: false },
        common_tags: { note: HOSTILE_TAG, [HOSTILE_KEY]: "team" },
        s3_sg_name: "endpoints-${path.cwd}",
      },
    },
  });
  try {
    // Planned once per input hash (test/helpers/test-cache.ts).
    const changes = referencePlan("lit", tree.dir).plan.planJson.resource_changes ?? [];
    const after = (change: ResourceChange) => change.change.after as Record<string, unknown>;
    const vpc = changes.find((change) => change.type === "aws_vpc");
    expect(after(vpc!).tags_all).toMatchObject({ note: HOSTILE_TAG, [HOSTILE_KEY]: "team" });
    // Security groups are named by prefix (AWS appends a suffix), so replacements never collide.
    const groupNames = changes.filter((change) => change.type === "aws_security_group").map((change) => after(change).name_prefix);
    expect(groupNames).toContain("lit-endpoints-${path.cwd}-");
  } finally {
    tree.cleanup();
  }
});
