// A Mermaid flowchart of an environment, drawn from its plan: the VPCs (created, or existing ones
// named in config), the PrivateLink hops, DMS, the databases, the media bucket behind CloudFront
// and the CSV pipeline. Only plain flowchart syntax (quoted labels, `<br/>`, subgraphs, solid and
// dotted links) is used, which GitHub and GitLab both render.
import type { PlannedResource, PolicyContext } from "../policy/plan-resources.js";
import { moduleOfAddress, resourceName } from "./address-modules.js";

type Role = "source" | "dms" | "target";

interface Node {
  readonly id: string;
  readonly label: string;
  readonly shape: "box" | "database" | "stadium";
}

export function environmentDiagram(context: PolicyContext): string {
  const resources = context.resources;
  const named = (type: string, name: string) => resources.find((resource) => resource.type === type && resourceName(resource.address) === name);
  const inModule = (type: string, module: string) => resources.filter((resource) => resource.type === type && moduleOfAddress(resource.address) === module);

  const threeVpc = resources.some((resource) => resourceName(resource.address).startsWith("network_source_") || resourceName(resource.address).startsWith("network_target_"));
  const groups = new Map<string, { label: string; nodes: Node[] }>();
  const outside: Node[] = [];
  const edges: string[] = [];
  const place = (role: Role | undefined, node: Node) => (role && groups.has(vpcId(role, threeVpc)) ? groups.get(vpcId(role, threeVpc))!.nodes.push(node) : outside.push(node));

  for (const role of threeVpc ? (["source", "dms", "target"] as const) : (["dms"] as const)) {
    groups.set(vpcId(role, threeVpc), { label: vpcLabel(role, threeVpc, resources, named), nodes: [] });
  }

  // The source database: the hop's IP targets (three_vpc) or the DMS source endpoint's host.
  const sourceTargets = resources.filter((resource) => resource.type === "aws_lb_target_group_attachment" && resourceName(resource.address).startsWith("network_source_hop_"));
  const sourceDatabase = resources.find((resource) => (resource.type === "aws_db_instance" || resource.type === "aws_rds_cluster") && resourceName(resource.address).includes("source"));
  const sourceLabel = sourceDatabase
    ? `Source ${engineOf(sourceDatabase)}<br/>simulated in AWS`
    : `Source PostgreSQL${sourceTargets.length > 0 ? `<br/>${sourceTargets.map((target) => target.value<string>("target_id") ?? "?").join(", ")}` : ""}`;
  place(threeVpc ? "source" : undefined, { id: "source_db", label: sourceLabel, shape: "database" });

  const dmsInstance = resources.find((resource) => resource.type === "aws_dms_replication_instance");
  const tasks = resources.filter((resource) => resource.type === "aws_dms_replication_task");
  const serverless = resources.filter((resource) => resource.type === "aws_dms_replication_config");
  const dmsNode = dmsInstance
    ? { id: "dms", label: `DMS replication instance<br/>${dmsInstance.value<string>("replication_instance_class") ?? ""}${tasks.length > 0 ? `<br/>${tasks.length} task${tasks.length === 1 ? "" : "s"}` : ""}`, shape: "box" as const }
    : serverless.length > 0
      ? { id: "dms", label: `DMS Serverless<br/>${serverless.length} replication${serverless.length === 1 ? "" : "s"}`, shape: "box" as const }
      : undefined;
  if (dmsNode) place("dms", dmsNode);

  const targetDatabase = resources.find((resource) => resource.type === "aws_rds_cluster" && resource !== sourceDatabase) ?? resources.find((resource) => resource.type === "aws_db_instance" && resource !== sourceDatabase);
  const targetNode = targetDatabase ? { id: "target_db", label: `Target ${engineOf(targetDatabase)}`, shape: "database" as const } : undefined;
  if (targetNode) place("target", targetNode);

  if (threeVpc) {
    for (const hop of ["source", "target"] as const) {
      if (!named("aws_lb", `network_${hop}_hop_nlb`)) continue;
      place(hop, { id: `${hop}_hop_nlb`, label: `${capitalize(hop)} hop<br/>NLB + endpoint service`, shape: "box" });
      place("dms", { id: `${hop}_hop_endpoint`, label: `${capitalize(hop)} hop<br/>interface endpoint`, shape: "stadium" });
    }
    if (named("aws_lb", "network_source_hop_nlb")) {
      edges.push("source_db --> source_hop_nlb", 'source_hop_nlb -.->|"PrivateLink"| source_hop_endpoint');
      if (dmsNode) edges.push("source_hop_endpoint --> dms");
    }
    if (named("aws_lb", "network_target_hop_nlb")) {
      if (dmsNode) edges.push("dms --> target_hop_endpoint");
      edges.push('target_hop_endpoint -.->|"PrivateLink"| target_hop_nlb');
      if (targetNode) edges.push("target_hop_nlb --> target_db");
    }
  } else if (dmsNode) {
    edges.push("source_db --> dms");
    if (targetNode) edges.push("dms --> target_db");
  }

  const mediaBucket = inModule("aws_s3_bucket", "media")[0];
  const distribution = resources.find((resource) => resource.type === "aws_cloudfront_distribution");
  if (mediaBucket) outside.push({ id: "media_bucket", label: "S3 media bucket", shape: "database" });
  if (distribution) {
    outside.push({ id: "cdn", label: "CloudFront<br/>Origin Access Control", shape: "box" });
    outside.push({ id: "viewers", label: "Viewers (HTTPS)", shape: "stadium" });
    edges.push("viewers --> cdn");
    if (mediaBucket) edges.push('cdn -->|"OAC"| media_bucket');
  }

  const pipelineBucket = inModule("aws_s3_bucket", "csv-pipeline")[0];
  const pipelineQueue = inModule("aws_sqs_queue", "csv-pipeline").find((queue) => !/dead|dlq/.test(resourceName(queue.address)));
  const loader = inModule("aws_lambda_function", "csv-pipeline")[0];
  if (pipelineBucket) outside.push({ id: "csv_bucket", label: "S3 CSV uploads", shape: "database" });
  if (pipelineQueue) outside.push({ id: "csv_queue", label: "SQS queue", shape: "stadium" });
  if (loader) place(threeVpc ? "target" : "dms", { id: "csv_loader", label: "CSV loader Lambda", shape: "box" });
  const chain = [pipelineBucket && "csv_bucket", pipelineQueue && "csv_queue", loader && "csv_loader", loader && targetNode && "target_db"].filter((id): id is string => Boolean(id));
  for (let index = 1; index < chain.length; index++) edges.push(`${chain[index - 1]} --> ${chain[index]}`);

  const lines = ["flowchart LR"];
  for (const [id, group] of groups) {
    lines.push(`  subgraph ${id}["${escapeLabel(group.label)}"]`);
    for (const node of group.nodes) lines.push(`    ${renderNode(node)}`);
    lines.push("  end");
  }
  for (const node of outside) lines.push(`  ${renderNode(node)}`);
  for (const edge of edges) lines.push(`  ${edge}`);
  return lines.join("\n");
}

function vpcId(role: Role, threeVpc: boolean): string {
  return threeVpc ? `${role}_vpc` : "vpc";
}

function vpcLabel(role: Role, threeVpc: boolean, resources: readonly PlannedResource[], named: (type: string, name: string) => PlannedResource | undefined): string {
  const title = threeVpc ? `${{ source: "Source", dms: "DMS", target: "Target" }[role]} VPC` : "VPC (application, DMS, database)";
  const vpc = named("aws_vpc", threeVpc ? `network_${role}_vpc_vpc` : "network_vpc_vpc");
  if (vpc) {
    const tags = vpc.value<Record<string, string>>("tags") ?? {};
    return [title, tags.Name, vpc.value<string>("cidr_block")].filter(Boolean).join(" · ");
  }
  // An existing VPC named in config: the groups the stack puts into it carry its ID.
  const inVpc = resources.find((resource) => resource.type === "aws_security_group" && resource.value<string>("vpc_id") !== undefined && resourceName(resource.address).startsWith(role === "dms" ? "network_dms_" : `network_${role}_hop_nlb`));
  return `${title} · existing ${inVpc?.value<string>("vpc_id") ?? ""}`.trim();
}

function engineOf(database: PlannedResource): string {
  const engine = database.value<string>("engine") ?? "postgres";
  const name = engine.startsWith("aurora") ? "Aurora PostgreSQL" : "RDS PostgreSQL";
  const version = database.value<string>("engine_version");
  return `${name}${version ? ` ${version}` : ""}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Mermaid labels are double-quoted; a quote inside one is written as an entity. */
export function escapeLabel(label: string): string {
  return label.replace(/"/g, "#quot;");
}

function renderNode(node: Node): string {
  const label = `"${escapeLabel(node.label)}"`;
  if (node.shape === "database") return `${node.id}[(${label})]`;
  if (node.shape === "stadium") return `${node.id}([${label}])`;
  return `${node.id}[${label}]`;
}
