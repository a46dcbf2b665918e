import { describe, expect, it } from "vitest";
import { CsvPipeline, CsvPipelineProps } from "../../modules/csv-pipeline/csv-pipeline.js";
import { allowTcp, emptySecurityGroup } from "../../modules/network/security-group-rules.js";
import { ServiceEndpoints } from "../../modules/network/service-endpoints.js";
import { testVpc } from "../helpers/network-fixtures.js";
import { onlyResource, resourcesOf, synthConstruct } from "../helpers/synth.js";

const loads: CsvPipelineProps["loads"] = [
  { prefix: "imports/accounts/", table: "public.accounts", mode: "upsert", key: ["id"] },
  { prefix: "imports/rates/", table: "rates", mode: "replace" },
];

function pipeline(overrides: Partial<CsvPipelineProps> = {}) {
  return synthConstruct((scope) => {
    const vpc = testVpc(scope, "vpc");
    const databaseGroup = emptySecurityGroup(scope, "database", { name: "db", description: "db", vpcId: vpc.vpcId });
    new CsvPipeline(scope, "csv_pipeline", {
      namePrefix: "lz-dev",
      vpc,
      serviceEndpoints: new ServiceEndpoints(scope, "endpoints", { vpc, region: "us-east-1", services: ["secretsmanager"], securityGroupName: "endpoints" }),
      database: { allowFrom: (id, peer, description) => allowTcp(scope, `db_${id}`, { from: peer, to: databaseGroup, port: 5432, description }) },
      databaseSecret: { secretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k" },
      loads,
      ...overrides,
    });
  });
}

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] };
// The policy is a Terraform template: interpolations hold HCL quotes, so they are replaced
// before the JSON around them is parsed.
const statements = (json: ReturnType<typeof pipeline>) =>
  JSON.parse((onlyResource(json, "aws_iam_role_policy").policy as string).replace(/\$\{[^}]*\}/g, (token) => (token.includes("log_group") ? "PART" : token))).Statement as Statement[];

describe("CsvPipeline", () => {
  const json = pipeline();
  const fn = onlyResource(json, "aws_lambda_function");

  it("runs the bundled handler on nodejs22.x in the VPC's private subnets, reserving no concurrency a new account may not have", () => {
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", timeout: 900, memory_size: 512 });
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(fn.vpc_config).toEqual({ subnet_ids: ["${aws_subnet.vpc_private_subnet_0.id}", "${aws_subnet.vpc_private_subnet_1.id}"], security_group_ids: ["${aws_security_group.csv_pipeline_security_group.id}"] });
    expect(String(fn.filename)).toMatch(/\.zip$/);
    expect(fn.depends_on).toEqual(["aws_cloudwatch_log_group.csv_pipeline_log_group"]);
  });

  it("passes the secret's ARN and the load map, and no credential, in the environment", () => {
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables).sort()).toEqual(["CSV_LOADS", "DB_SECRET_ARN", "POST_LOAD_ACTION"]);
    expect(JSON.parse(variables.CSV_LOADS)).toEqual([
      { prefix: "imports/accounts/", table: "public.accounts", mode: "upsert", key: ["id"] },
      { prefix: "imports/rates/", table: "rates", mode: "replace" },
    ]);
    expect(JSON.stringify(variables)).not.toMatch(/PGPASSWORD|password/i);
  });

  it("retries a bounded number of times, then sends the event to an encrypted queue", () => {
    expect(onlyResource(json, "aws_lambda_function_event_invoke_config")).toMatchObject({
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: "${aws_sqs_queue.csv_pipeline_failure_queue.arn}" } },
    });
    expect(onlyResource(json, "aws_sqs_queue").sqs_managed_sse_enabled).toBe(true);
  });

  it("notifies per load on .csv and .csv.gz objects under its prefix, after the invoke permission exists", () => {
    const notification = onlyResource(json, "aws_s3_bucket_notification");
    expect(notification.lambda_function).toEqual([
      expect.objectContaining({ id: "csv-load-0", events: ["s3:ObjectCreated:*"], filter_prefix: "imports/accounts/", filter_suffix: ".csv" }),
      expect.objectContaining({ id: "csv-load-0-gz", events: ["s3:ObjectCreated:*"], filter_prefix: "imports/accounts/", filter_suffix: ".csv.gz" }),
      expect.objectContaining({ id: "csv-load-1", events: ["s3:ObjectCreated:*"], filter_prefix: "imports/rates/", filter_suffix: ".csv" }),
      expect.objectContaining({ id: "csv-load-1-gz", events: ["s3:ObjectCreated:*"], filter_prefix: "imports/rates/", filter_suffix: ".csv.gz" }),
    ]);
    expect(notification.depends_on).toEqual(["aws_lambda_permission.csv_pipeline_s3_permission"]);
    expect(onlyResource(json, "aws_lambda_permission")).toMatchObject({ principal: "s3.amazonaws.com", source_arn: "${aws_s3_bucket.csv_pipeline_inbox_bucket.arn}" });
  });

  it("grants reads on the load prefixes, one secret and its key through Secrets Manager only", () => {
    const bySid = Object.fromEntries(statements(json).map((s) => [s.Sid, s]));
    expect(bySid.ReadInboxObjects.Resource).toEqual(["${aws_s3_bucket.csv_pipeline_inbox_bucket.arn}/imports/accounts/*", "${aws_s3_bucket.csv_pipeline_inbox_bucket.arn}/imports/rates/*"]);
    expect(bySid.ReadDatabaseSecret).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf" });
    expect(JSON.stringify(bySid.DecryptDatabaseSecret)).toMatch(/kms:ViaService/);
    expect(bySid.TagLoadedObjects.Action).toEqual(["s3:PutObjectTagging", "s3:PutObjectVersionTagging"]);
    for (const statement of statements(json)) {
      if (statement.Resource === "*") expect(statement.Sid).toBe("DescribeNetworkInterfaces");
      expect(statement.Action).not.toContain("*");
    }
  });

  it("reaches the database port and the service endpoints only", () => {
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === "${aws_security_group.csv_pipeline_security_group.id}");
    expect(egress.map((r) => r.from_port).sort()).toEqual([443, 443, 5432]);
    for (const rule of egress) expect(rule.cidr_ipv4).toBeUndefined();
  });

  it("hardens a new inbox bucket and versions it", () => {
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(onlyResource(json, "aws_s3_bucket").force_destroy).toBe(false);
    expect(onlyResource(json, "aws_s3_bucket_versioning")).toBeDefined();
  });

  it("uses an existing bucket by name without creating one, and may move objects instead of tagging", () => {
    const existing = pipeline({ existingBucketName: "team-uploads", postLoadAction: "move" });
    expect(resourcesOf(existing, "aws_s3_bucket")).toEqual({});
    expect(onlyResource(existing, "aws_s3_bucket_notification").bucket).toBe("team-uploads");
    const bySid = Object.fromEntries(statements(existing).map((s) => [s.Sid, s]));
    expect(bySid.TagLoadedObjects).toBeUndefined();
    // CopyObject copies the source's tags: the copy needs s3:PutObjectTagging besides s3:PutObject.
    expect(bySid.WriteMovedObjects).toMatchObject({
      Action: ["s3:PutObject", "s3:PutObjectTagging"],
      Resource: ["arn:PART:s3:::team-uploads/processed/*", "arn:PART:s3:::team-uploads/failed/*"],
    });
    expect(bySid.ReadInboxObjects.Action).toEqual(expect.arrayContaining(["s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"]));
    expect(bySid.DeleteMovedOriginals).toMatchObject({ Action: "s3:DeleteObject", Resource: ["arn:PART:s3:::team-uploads/imports/accounts/*", "arn:PART:s3:::team-uploads/imports/rates/*"] });
  });

  it("refuses an upsert without key columns and overlapping prefixes", () => {
    expect(() => pipeline({ loads: [{ prefix: "a/", table: "t", mode: "upsert" }] })).toThrow(/upsert needs key columns/);
    expect(() => pipeline({ loads: [{ prefix: "a/", table: "t", mode: "append" }, { prefix: "a/b/", table: "u", mode: "append" }] })).toThrow(/overlap/);
  });
});
