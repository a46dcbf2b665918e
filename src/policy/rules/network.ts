// Security groups and PrivateLink endpoint services.
import type { PlannedResource } from "../plan-resources.js";
import { CheckResult, PolicyRule, unverifiable } from "../types.js";
import { couldEqual } from "../unknown-values.js";
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

/** Every rule a resource defines, whichever of the three ways Terraform offers to write one. */
function rulesOf(resource: PlannedResource): RuleView[] {
  switch (resource.type) {
    case "aws_security_group":
      return (["ingress", "egress"] as const).flatMap((direction) =>
        (resource.value<Record<string, unknown>[]>(direction) ?? []).map((rule, index) => ({
          label: `${direction}[${index}]`,
          direction,
          protocol: String(rule.protocol ?? ""),
          fromPort: rule.from_port as number | undefined,
          toPort: rule.to_port as number | undefined,
          sources: [...((rule.cidr_blocks as string[] | undefined) ?? []), ...((rule.ipv6_cidr_blocks as string[] | undefined) ?? [])],
        })),
      );
    case "aws_security_group_rule":
      return [{
        label: "rule",
        direction: resource.value<string>("type") === "egress" ? "egress" : "ingress",
        protocol: resource.value<string>("protocol"),
        fromPort: resource.value<number>("from_port"),
        toPort: resource.value<number>("to_port"),
        sources: [...(resource.value<string[]>("cidr_blocks") ?? []), ...(resource.value<string[]>("ipv6_cidr_blocks") ?? [])],
      }];
    default:
      return [{
        label: "rule",
        direction: resource.type === "aws_vpc_security_group_egress_rule" ? "egress" : "ingress",
        protocol: resource.value<string>("ip_protocol"),
        fromPort: resource.value<number>("from_port"),
        toPort: resource.value<number>("to_port"),
        sources: [resource.value<string>("cidr_ipv4"), resource.value<string>("cidr_ipv6")].filter((cidr): cidr is string => cidr !== undefined),
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
        .filter((rule) => rule.direction === "ingress" && rule.sources.some((source) => ANYWHERE.includes(source)))
        .map((rule) => `${rule.label} admits ${rule.sources.filter((source) => ANYWHERE.includes(source)).join(", ")}`),
  },
  {
    id: "LZ-SG-002",
    title: "No all-ports rules",
    severity: "error",
    checkov: [],
    resourceTypes: SECURITY_GROUP_TYPES,
    fix: "Open only the port a path needs (the database port, 443 to the service endpoints) with protocol tcp.",
    check: (resource) =>
      rulesOf(resource)
        .filter((rule) => ALL_PROTOCOLS.includes(rule.protocol ?? "") || (rule.fromPort === 0 && rule.toPort === 65535))
        .map((rule) => `${rule.label} (${rule.direction}) allows all ${ALL_PROTOCOLS.includes(rule.protocol ?? "") ? "protocols" : "ports"}`),
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
