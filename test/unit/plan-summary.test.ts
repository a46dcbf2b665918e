// The plan summary over hand-written plans: stateful call-outs, counts by module, policy results
// with suppressions, the settings table, and a Mermaid diagram that parses.
import { describe, expect, it } from "vitest";
import { evaluatePolicy } from "../../src/policy/engine.js";
import { moduleOfAddress } from "../../src/terraform/address-modules.js";
import { renderPlanSummary, summaryMarker } from "../../src/terraform/plan-summary.js";
import { compliantStack } from "../fixtures/policy/compliant-stack.js";
import { change, FixtureResource, planFixture } from "../helpers/plan-fixtures.js";
import { mermaidBlocks, MermaidSyntaxError, parseFlowchart } from "../helpers/mermaid-flowchart.js";

function summaryOf(stack: FixtureResource[], options: { protected?: boolean; suppress?: boolean } = {}) {
  const { plan, synthesized } = planFixture(stack);
  const policy = evaluatePolicy({
    plan,
    synthesized,
    protected: options.protected ?? true,
    suppressions: options.suppress ? [{ rule: "LZ-DB-002", address: "aws_db_instance.*", reason: "vendor data check until 2025-07-01" }] : [],
  });
  return renderPlanSummary({ environment: "prod", plan, synthesized, policy, notes: ["Planned offline."] });
}

const networkResources: FixtureResource[] = [
  { address: "aws_vpc.network_source_vpc_vpc", values: { cidr_block: "192.168.0.0/16", tags: { Name: "source-db-vpc" } } },
  { address: "aws_vpc.network_dms_vpc_vpc", values: { cidr_block: "10.0.0.0/16", tags: { Name: "dms-vpc" } } },
  { address: "aws_vpc.network_target_vpc_vpc", values: { cidr_block: "10.0.0.0/16", tags: { Name: "target \"db\" vpc" } } },
  { address: "aws_lb.network_source_hop_nlb", values: { internal: true, enable_deletion_protection: true } },
  { address: "aws_lb.network_target_hop_nlb", values: { internal: true, enable_deletion_protection: true } },
  { address: "aws_lb_target_group_attachment.network_source_hop_ip_target_0", values: { target_id: "192.168.1.10", port: 5432 } },
  { address: "aws_s3_bucket.csv_pipeline_bucket", values: { bucket: "uploads" } },
];

describe("moduleOfAddress", () => {
  it.each([
    ["aws_lb.network_source_hop_nlb", "network"],
    ["aws_db_instance.database_instance", "database"],
    ["aws_lambda_function.hop_target_sync_function", "database"],
    ["aws_rds_cluster.simulated_source_cluster", "database"],
    ["aws_dms_replication_task.dms_task_orders", "dms"],
    ["aws_secretsmanager_secret.secrets_target", "secrets"],
    ["module.dms_landing_zone.aws_s3_bucket.media_bucket", "media"],
    ["aws_lambda_function.csv_pipeline_loader[0]", "csv-pipeline"],
    ["aws_vpc_endpoint_service.somewhere_else", "other"],
    ["aws_iam_role.dmsextra", "other"],
    ["aws_cloudwatch_dashboard.operations_dashboard", "operations"],
    ["aws_cloudwatch_metric_alarm.operations_alarms_csv_pipeline_errors", "operations"],
  ])("%s → %s", (address, module) => {
    expect(moduleOfAddress(address)).toBe(module);
  });
});

describe("plan summary", () => {
  it("starts with its marker and says no stateful resource is at risk in a create-only plan", () => {
    const summary = summaryOf(compliantStack());
    expect(summary.startsWith(summaryMarker("prod"))).toBe(true);
    expect(summary).toContain("No stateful resource");
    expect(summary).toContain("> Planned offline.");
  });

  it("calls out stateful replacements and destroys at the top", () => {
    let stack = change(compliantStack(), "aws_db_instance.database_instance", (db) => (db.actions = ["delete", "create"]));
    stack = change(stack, "aws_s3_bucket.media_bucket", (bucket) => (bucket.actions = ["delete"]));
    const summary = summaryOf(stack);
    const callout = summary.indexOf("stateful resources replaced or destroyed");
    expect(callout).toBeGreaterThan(0);
    expect(callout).toBeLessThan(summary.indexOf("| module |"));
    expect(summary).toContain("- **replace** `aws_db_instance.database_instance` (RDS database)");
    expect(summary).toContain("- **destroy** `aws_s3_bucket.media_bucket` (S3 bucket)");
  });

  it("lists the dashboard, every alarm with its threshold, and DMS Serverless capacities", () => {
    const stack: FixtureResource[] = [
      ...compliantStack(),
      { address: "aws_cloudwatch_dashboard.operations_dashboard", values: { dashboard_name: "dms-lz-dev-operations" } },
      {
        address: "aws_cloudwatch_metric_alarm.operations_alarms_target_free_storage",
        values: { metric_name: "FreeStorageSpace", statistic: "Minimum", comparison_operator: "LessThanThreshold", threshold: 5368709120, evaluation_periods: 2 },
      },
      { address: "aws_dms_replication_config.dms_tasks_orders_config", values: { replication_type: "cdc", compute_config: [{ min_capacity_units: 1, max_capacity_units: 4, multi_az: false }] } },
    ];
    const summary = summaryOf(stack);
    expect(summary).toContain("| `aws_cloudwatch_dashboard.operations_dashboard` | dashboard: dms-lz-dev-operations |");
    expect(summary).toContain("| `aws_cloudwatch_metric_alarm.operations_alarms_target_free_storage` | metric: FreeStorageSpace; statistic: Minimum; comparison: LessThanThreshold; threshold: 5368709120; periods: 2 |");
    expect(summary).toContain("| `aws_dms_replication_config.dms_tasks_orders_config` | replication type: cdc; DCUs (min): 1; DCUs (max): 4; Multi-AZ: false |");
    expect(summary).toMatch(/\| operations \| 2 \| 0 \| 0 \| 0 \| 0 \|/);
  });

  it("counts changes by module, imports included", () => {
    const stack = [
      ...compliantStack(),
      ...networkResources,
      { address: "aws_iam_role.dms_vpc_role", values: { name: "dms-vpc-role" }, actions: ["no-op"], importing: { id: "dms-vpc-role" } },
    ];
    const summary = summaryOf(stack);
    expect(summary).toMatch(/\| network \| 6 \| 0 \| 0 \| 0 \| 0 \|/);
    expect(summary).toMatch(/\| dms \| \d+ \| 0 \| 0 \| 0 \| 1 \|/);
    expect(summary).toMatch(/\| \*\*total\*\* \| \*\*\d+\*\* \| \*\*0\*\* \| \*\*0\*\* \| \*\*0\*\* \| \*\*1\*\* \|/);
    expect(summary).toContain("- import `aws_iam_role.dms_vpc_role`");
  });

  it("lists findings with rule, checkov id, address and fix, and suppressions with their reasons", () => {
    const broken = change(compliantStack(), "aws_db_instance.database_instance", (db) => Object.assign(db.values, { publicly_accessible: true, storage_encrypted: false }));
    const summary = summaryOf(broken, { suppress: true });
    expect(summary).toContain("### Policy :x: 1 error");
    expect(summary).toMatch(/\| :x: error \| LZ-DB-001 \(CKV_AWS_16, CKV_AWS_96\) \| `aws_db_instance.database_instance` \| Database storage is encrypted: storage_encrypted = false \|/);
    expect(summary).toContain("| LZ-DB-002 | `aws_db_instance.database_instance` | publicly_accessible = true | vendor data check until 2025-07-01 |");
  });

  it("shows the settings reviewers care about, with before → after on updates", () => {
    const stack = change(compliantStack(), "aws_db_instance.database_instance", (db) => (db.actions = ["update"]));
    const { plan, synthesized } = planFixture(stack);
    const db = plan.resource_changes!.find((c) => c.address === "aws_db_instance.database_instance")!;
    (db.change as { before: unknown }).before = { instance_class: "db.t4g.medium", multi_az: true };
    const policy = evaluatePolicy({ plan, synthesized, protected: true });
    const summary = renderPlanSummary({ environment: "prod", plan, synthesized, policy });
    expect(summary).toContain("instance class: db.t4g.medium → **db.m6g.large**");
    expect(summary).toMatch(/`aws_dms_replication_instance.dms_replication_instance` \| instance class: dms.t3.medium; engine version: 3.5.3; Multi-AZ: true; publicly accessible: false/);
    expect(summary).toContain("minimum TLS: TLSv1.2_2021");
  });

  it("draws the environment as a Mermaid flowchart that parses", () => {
    const [diagram] = mermaidBlocks(summaryOf([...compliantStack(), ...networkResources]));
    const chart = parseFlowchart(diagram);
    expect([...chart.subgraphs.keys()]).toEqual(["source_vpc", "dms_vpc", "target_vpc"]);
    expect(chart.subgraphs.get("target_vpc")).toContain("#quot;db#quot;");
    expect(chart.nodes.get("source_db")).toMatchObject({ subgraph: "source_vpc", label: expect.stringContaining("192.168.1.10") });
    expect(chart.nodes.get("dms")?.subgraph).toBe("dms_vpc");
    expect(chart.nodes.get("target_db")).toMatchObject({ subgraph: "target_vpc", label: "Target Aurora PostgreSQL 16.4" });
    expect(chart.nodes.get("csv_loader")?.subgraph).toBe("target_vpc");
    expect(chart.edges).toEqual(expect.arrayContaining([
      { from: "source_hop_nlb", to: "source_hop_endpoint", label: "PrivateLink" },
      { from: "cdn", to: "media_bucket", label: "OAC" },
      expect.objectContaining({ from: "csv_loader", to: "target_db" }),
    ]));
  });
});

describe("the Mermaid flowchart check", () => {
  const ok = 'flowchart LR\n  subgraph a["A"]\n    b["B"]\n  end\n  c[("C")]\n  b -->|"x"| c';
  it("accepts the emitted subset", () => {
    expect(parseFlowchart(ok).edges).toHaveLength(1);
  });
  it.each([
    ["an unclosed subgraph", ok.replace("  end\n", "")],
    ["a link to an undeclared node", `${ok}\n  b --> d`],
    ["a keyword as id", 'flowchart LR\n  end["x"]'],
    ["a quote inside a label", 'flowchart LR\n  a["say "hi""]'],
    ["markup other than <br/>", 'flowchart LR\n  a["<b>x</b>"]'],
    ["a missing header", 'a["x"]'],
    ["an unknown statement", `${ok}\n  click b callback`],
    ["an o-prefixed id next to a link", 'flowchart LR\n  a["x"]\n  oB["y"]\n  a --> oB'],
  ])("rejects %s", (_, text) => {
    expect(() => parseFlowchart(text)).toThrow(MermaidSyntaxError);
  });
});
