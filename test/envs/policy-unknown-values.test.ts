// The policy pack over a real offline plan (real Terraform and provider) of a small stack whose
// bad settings are known only after apply, written the way cdktf writes them: role policies with
// ARN-splitting interpolations, a policy built with jsonencode, a Lambda environment that names a
// created secret. Each must be caught or reported unverifiable, none passed in silence.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Fn } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { arnField } from "../../modules/core/arn-field.js";
import { addAwsProvider } from "../../modules/core/aws-provider.js";
import { policyDocument } from "../../modules/core/policy-document.js";
import { serviceTrustPolicy } from "../../modules/core/service-trust-policy.js";
import { evaluatePolicy } from "../../src/policy/engine.js";
import type { Finding } from "../../src/policy/types.js";
import { offlinePlan } from "../../src/terraform/offline-terraform.js";
import { synthConstruct } from "../helpers/synth.js";

let findings: Finding[];

beforeAll(() => {
  const json = synthConstruct((scope) => {
    addAwsProvider(scope, { region: "eu-west-1", defaultTags: {} });
    const key = new KmsKey(scope, "key", { description: "test", enableKeyRotation: true });
    const region = arnField(key.arn, "region");
    const role = new IamRole(scope, "role", { name: "policy-test", assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com") });
    new IamRolePolicy(scope, "pass_any_role", {
      role: role.name,
      policy: policyDocument([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": region } } }]),
    });
    new IamRolePolicy(scope, "everything", {
      role: role.name,
      policy: policyDocument([{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } }]),
    });
    new IamRolePolicy(scope, "encoded", {
      role: role.name,
      policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: key.arn }] }),
    });
    const secret = new SecretsmanagerSecret(scope, "secret", { name: "policy-test", kmsKeyId: "alias/aws/secretsmanager" });
    new LambdaFunction(scope, "function", {
      functionName: "policy-test",
      role: role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      s3Bucket: "policy-test-code",
      s3Key: "function.zip",
      environment: { variables: { DB_SECRET_ARN: secret.arn, DB_PASS: "hunter2", KEY_REGION: region } },
    });
    new RdsCluster(scope, "cluster", { clusterIdentifier: "policy-test", engine: "aurora-postgresql", masterUsername: "app", manageMasterUserPassword: true, skipFinalSnapshot: true });
  });
  const dir = mkdtempSync(join(tmpdir(), "lz-policy-unknown-"));
  try {
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    const { planJson } = offlinePlan(dir);
    findings = [...evaluatePolicy({ plan: planJson, synthesized: json, protected: false }).findings];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);

const of = (rule: string, address: string) => findings.filter((finding) => finding.rule === rule && finding.address === address);

describe("policy pack over a real plan with values known only after apply", () => {
  it("reads role policies with ARN-splitting interpolations and flags iam:PassRole and * on *", () => {
    expect(of("LZ-IAM-002", "aws_iam_role_policy.pass_any_role")).toEqual([expect.objectContaining({ severity: "error", message: "policy allows iam:PassRole on every resource" })]);
    expect(of("LZ-IAM-001", "aws_iam_role_policy.everything")).toEqual([expect.objectContaining({ severity: "error", message: "policy allows every action on every resource" })]);
  });

  it("reports a policy built with jsonencode as unverifiable, naming the resource", () => {
    expect(of("LZ-IAM-001", "aws_iam_role_policy.encoded")).toEqual([expect.objectContaining({ severity: "warning", unverifiable: true, message: expect.stringMatching(/^unverifiable: policy is not a policy document/) })]);
  });

  it("reads the Lambda environment map though a value in it is a created secret's ARN", () => {
    expect(of("LZ-LMB-004", "aws_lambda_function.function").map((finding) => finding.message)).toEqual(["DB_PASS looks like a secret held in plaintext"]);
  });

  it("fails an Aurora cluster that omits storage_encrypted and a secret under alias/aws/secretsmanager", () => {
    expect(of("LZ-DB-001", "aws_rds_cluster.cluster")).toEqual([expect.objectContaining({ severity: "error", message: "storage_encrypted is not set (unencrypted by default)" })]);
    expect(of("LZ-SEC-001", "aws_secretsmanager_secret.secret")).toEqual([expect.objectContaining({ severity: "error" })]);
  });
});
