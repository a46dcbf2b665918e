// Import and moved blocks by Terraform address, applied at synth once every construct exists.
import { App, Testing } from "cdktf";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { importExisting } from "../../modules/core/import-existing.js";
import { movedFrom, movedResources } from "../../modules/core/moved-blocks.js";
import { ReadableIdStack } from "../../modules/core/readable-id-stack.js";

/** A full synth with aspects and validations (as `dms-lz synth` runs it), so unknown addresses fail. */
function synthWith(build: (stack: ReadableIdStack) => void): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), "lz-unit-"));
  try {
    const app = Testing.stubVersion(new App({ outdir, stackTraces: false, skipValidation: false }));
    const stack = new ReadableIdStack(app, "test");
    addAwsProvider(stack, { region: "us-east-1", defaultTags: {} });
    build(stack);
    app.synth();
    return JSON.parse(readFileSync(join(outdir, "stacks", "test", "cdk.tf.json"), "utf8")) as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const role = (scope: Construct, id: string) => new IamRole(scope, id, { name: id, assumeRolePolicy: "{}" });

describe("importExisting", () => {
  it("adds an import block for a resource created after the call", () => {
    const json = synthWith((stack) => {
      importExisting(stack, { "aws_iam_role.dms_service_roles_vpc_role": "dms-vpc-role" });
      role(new Construct(new Construct(stack, "dms_service_roles"), "vpc"), "role");
    });
    expect(json.import).toEqual([{ to: "aws_iam_role.dms_service_roles_vpc_role", id: "dms-vpc-role" }]);
  });

  it("fails synth for an address the stack does not have, naming those of the type", () => {
    expect(() =>
      synthWith((stack) => {
        importExisting(stack, { "aws_iam_role.dms_vpc_role": "dms-vpc-role", "aws_s3_bucket.media": "b" });
        role(stack, "workstation_role");
      }),
    ).toThrow(/no resource at aws_iam_role\.dms_vpc_role in this stack \(resources of that type: aws_iam_role\.workstation_role\)[\s\S]*aws_s3_bucket\.media .*no resource of that type/);
  });
});

describe("moved blocks", () => {
  it("records a rename with movedFrom", () => {
    const json = synthWith((stack) => {
      movedFrom(new S3Bucket(stack, "media_content_bucket", {}), "aws_s3_bucket.media_bucket");
    });
    expect(json.moved).toEqual([{ from: "aws_s3_bucket.media_bucket", to: "aws_s3_bucket.media_content_bucket" }]);
    expect(Object.keys((json.resource as Record<string, object>).aws_s3_bucket)).toEqual(["media_content_bucket"]);
  });

  it("records renames by address at synth, and refuses a change of type", () => {
    const json = synthWith((stack) => {
      movedResources(stack, { "aws_iam_role.old_role": "aws_iam_role.new_role" });
      role(stack, "new_role");
    });
    expect(json.moved).toEqual([{ from: "aws_iam_role.old_role", to: "aws_iam_role.new_role" }]);
    expect(() => synthWith((stack) => movedFrom(new S3Bucket(stack, "b", {}), "aws_iam_role.b"))).toThrow(/cannot change the resource type/);
  });
});
