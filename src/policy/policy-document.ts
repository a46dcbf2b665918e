// IAM and resource policy documents as rules read them. A policy whose JSON holds ARNs of
// resources not yet created is unknown in the plan; its configuration still has it as template
// text (`"Resource": "${aws_s3_bucket.media.arn}/*"`, conditions built with `element(split(...))`),
// which is rendered with placeholders for the unknown parts and then parsed. A policy that cannot
// be read that way is reported as unreadable, for the rule to say it cannot verify it.
import type { PlannedResource } from "./plan-resources.js";
import { hasPlaceholder, placeholder, renderTemplate } from "./unknown-values.js";

export interface PolicyStatement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly string[];
  /** The `Service` principals (`dms.amazonaws.com`). */
  readonly services: readonly string[];
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** A policy as read: its statements (strings may hold placeholders), unreadable (why), or absent. */
export type PolicyRead = { readonly statements: PolicyStatement[] } | { readonly unreadable: string } | undefined;

/** The policy document in `attribute` (under `prefix`, e.g. `inline_policy`, 0). */
export function readPolicy(resource: PlannedResource, attribute: string, ...prefix: readonly (string | number)[]): PolicyRead {
  const path = [...prefix, attribute];
  const source = resource.source(...path);
  switch (source.kind) {
    case "unset":
      return undefined;
    case "opaque":
      return { unreadable: `${path.join(".")} is known only after apply and the plan shows no text for it (${placeholder(source.references[0] ?? "expression")})` };
    case "known":
    case "template": {
      if (source.value === undefined || source.value === null || source.value === "") return undefined;
      if (typeof source.value !== "string") return { unreadable: `${path.join(".")} is not a JSON string` };
      const text = source.kind === "known" ? source.value : renderTemplate(source.value, { json: true });
      if (text === undefined) return { unreadable: `${path.join(".")} is built with a template directive (%{ ... })` };
      const statements = parsePolicy(text);
      return statements ? { statements } : { unreadable: `${path.join(".")} is not a policy document${source.kind === "template" ? " even with its unknown parts as placeholders" : ""}` };
    }
  }
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
      notResources: list(statement.NotResource).map(String),
      principals: principalsOf(statement.Principal),
      services: servicesOf(statement.Principal),
      conditions,
    };
  });
}

/** The values of a condition key under any operator (`StringEquals`, `ArnLike`, ...), for keys such as `aws:SourceAccount`. */
export function conditionValues(statement: PolicyStatement, key: string): string[] {
  return Object.values(statement.conditions).flatMap((keys) => Object.entries(keys).filter(([name]) => name.toLowerCase() === key.toLowerCase()).flatMap(([, values]) => values));
}

/** Whether any string of the statement holds a placeholder (a value known only after apply). */
export function hasUnknownParts(statement: PolicyStatement): boolean {
  return [statement.effect, ...statement.actions, ...statement.notActions, ...statement.resources, ...statement.principals].some(hasPlaceholder);
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

function servicesOf(principal: unknown): string[] {
  if (principal === null || typeof principal !== "object") return [];
  const services = Object.entries(principal as Record<string, unknown>).find(([kind]) => kind.toLowerCase() === "service")?.[1];
  return list(services).map(String);
}
