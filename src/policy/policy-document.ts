// IAM and resource policy documents as rules read them. A policy whose JSON holds ARNs of
// resources not yet created is unknown in the plan; the synthesized JSON then still has it as a
// JSON string with `${...}` references in it, which parses just as well.
import type { PlannedResource } from "./plan-resources.js";

export interface PolicyStatement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly principals: readonly string[];
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** The statements of the policy document in `attribute`, or undefined when it cannot be read. */
export function policyStatements(resource: PlannedResource, attribute: string, ...prefix: readonly (string | number)[]): PolicyStatement[] | undefined {
  const planned = resource.get<string>(...prefix, attribute);
  const text = planned.known ? planned.value : synthesizedText(resource, [...prefix, attribute]);
  if (typeof text !== "string" || text.trim() === "") return undefined;
  return parsePolicy(text);
}

function synthesizedText(resource: PlannedResource, path: readonly (string | number)[]): unknown {
  let value: unknown = resource.synthesized;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
}

export function parsePolicy(text: string): PolicyStatement[] | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  const statements = (document as { Statement?: unknown })?.Statement;
  if (statements === undefined) return undefined;
  return list(statements).map((raw) => {
    const statement = raw as Record<string, unknown>;
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [operator, keys] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      conditions[operator] = Object.fromEntries(Object.entries(keys ?? {}).map(([key, value]) => [key, list(value).map(String)]));
    }
    return {
      effect: String(statement.Effect ?? ""),
      actions: list(statement.Action).map(String),
      notActions: list(statement.NotAction).map(String),
      resources: list(statement.Resource).map(String),
      principals: principalsOf(statement.Principal),
      conditions,
    };
  });
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function principalsOf(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [principal];
  return Object.values(principal as Record<string, unknown>).flatMap((value) => list(value).map(String));
}
