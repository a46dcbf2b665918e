// Security groups and PrivateLink endpoint services.
import type { PlannedResource } from "../plan-resources.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { couldEqual, hasPlaceholder } from "../unknown-values.js";
import { checkAttribute } from "./attribute-check.js";

const ANYWHERE = ["0.0.0.0/0", "::/0"];
const ALL_PROTOCOLS = ["-1", "all"];

interface RuleView {
  readonly label: string;
  readonly direction: "ingress" | "egress";
  readonly protocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly string[];
}

/** Every rule a resource defines, whichever of the three ways Terraform offers to write one; values known only after apply hold placeholders. */
function rulesOf(resource: PlannedResource): RuleView[] {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : []);
  switch (resource.type) {
    case "aws_security_group":
      return (["ingress", "egress"] as const).flatMap((direction): RuleView[] => {
        const rules = resource.resolved(direction);
        if (typeof rules === "string") return [{ label: direction, direction, protocol: rules, sources: [rules] }];
        return ((rules ?? []) as Record<string, unknown>[]).map((rule, index) => ({
          label: `${direction}[${index}]`,
          direction,
          protocol: String(rule.protocol ?? ""),
          fromPort: rule.from_port as number | undefined,
          toPort: rule.to_port as number | undefined,
          sources: [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)],
        }));
      });
    case "aws_security_group_rule":
      return [{
        label: "rule",
        direction: resource.value<string>("type") === "egress" ? "egress" : "ingress",
        protocol: resource.resolved("protocol") as string | undefined,
        fromPort: resource.value<number>("from_port"),
        toPort: resource.value<number>("to_port"),
        sources: [...strings(resource.resolved("cidr_blocks")), ...strings(resource.resolved("ipv6_cidr_blocks"))],
      }];
    default:
      return [{
        label: "rule",
        direction: resource.type === "aws_vpc_security_group_egress_rule" ? "egress" : "ingress",
        protocol: resource.resolved("ip_protocol") as string | undefined,
        fromPort: resource.value<number>("from_port"),
        toPort: resource.value<number>("to_port"),
        sources: [...strings(resource.resolved("cidr_ipv4")), ...strings(resource.resolved("cidr_ipv6"))],
      }];
  }
}

const SECURITY_GROUP_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

export const networkRules: readonly PolicyRule[] = [
  {
    id: "LZ-SG-001",
    title: "No ingress from 0.0.0.0/0 or ::/0",
    severity: "error",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    resourceTypes: SECURITY_GROUP_TYPES,
    fix: "Admit a referenced security group (allowTcp / allowClient) or a specific CIDR instead of the whole internet.",
    check: (resource) =>
      rulesOf(resource)
        .filter((rule) => rule.direction === "ingress")
        .flatMap((rule): CheckResult[] => {
          const open = rule.sources.filter((source) => ANYWHERE.includes(source));
          if (open.length > 0) return [`${rule.label} admits ${open.join(", ")}`];
          const unknown = rule.sources.filter((source) => ANYWHERE.some((anywhere) => couldEqual(source, anywhere) === "maybe"));
          return unknown.map((source) => unverifiable(`${rule.label} admits ${source}, known only after apply`));
        }),
  },
  {
    id: "LZ-SG-002",
    title: "No all-ports rules",
    severity: "error",
    checkov: [],
    resourceTypes: SECURITY_GROUP_TYPES,
    fix: "Open only the port a path needs (the database port, 443 to the service endpoints) with protocol tcp.",
    check: (resource) =>
      rulesOf(resource).flatMap((rule): CheckResult[] => {
        if (hasPlaceholder(rule.protocol)) return [unverifiable(`${rule.label} (${rule.direction}): protocol is ${rule.protocol}, known only after apply`)];
        const allProtocols = ALL_PROTOCOLS.includes(rule.protocol ?? "");
        return allProtocols || (rule.fromPort === 0 && rule.toPort === 65535) ? [`${rule.label} (${rule.direction}) allows all ${allProtocols ? "protocols" : "ports"}`] : [];
      }),
  },
  {
    id: "LZ-NET-001",
    title: "Endpoint services admit named principals only",
    severity: "error",
    checkov: [],
    resourceTypes: ["aws_vpc_endpoint_service", "aws_vpc_endpoint_service_allowed_principal"],
    fix: "List the accounts or roles that may connect (network.<hop>.allowed_principals); never \"*\".",
    check: (resource) => {
      const resolved = resource.type === "aws_vpc_endpoint_service" ? resource.resolved("allowed_principals") : [resource.resolved("principal_arn")];
      const principals = (Array.isArray(resolved) ? resolved : resolved === undefined ? [] : [resolved]).map(String);
      return principals.flatMap((principal): CheckResult[] => {
        const wildcard = couldEqual(principal, "*");
        if (wildcard === "yes") return ['allowed principal "*" lets any AWS account connect to the database'];
        return wildcard === "maybe" ? [unverifiable(`allowed principal ${principal} is known only after apply and could be "*"`)] : [];
      });
    },
  },
  {
    id: "LZ-NET-002",
    title: "Endpoint services require acceptance",
    severity: "error",
    checkov: [],
    resourceTypes: ["aws_vpc_endpoint_service"],
    fix: "Set acceptance_required = true and accept the stack's own endpoint in the stack (aws_vpc_endpoint_connection_accepter); any other request then waits for a person.",
    check: (service) => checkAttribute(service, ["acceptance_required"], (value) => value === true, () => "acceptance_required is not true: any allowed principal's endpoint connects at once"),
  },
];
