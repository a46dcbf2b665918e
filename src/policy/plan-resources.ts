// A read model over `terraform show -json` of a plan (and optionally the synthesized JSON it was
// planned from): the resources that will exist after apply, their planned values, which of them
// are known only after apply, what each attribute references, and lifecycle settings, which the
// plan JSON does not carry.
import type { PlanJson, ResourceChange } from "../terraform/offline-terraform.js";
import { placeholder, renderStrings } from "./unknown-values.js";

/** The synthesized Terraform JSON (cdk.tf.json), as far as the policy reads it. */
export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

type Expressions = Record<string, unknown>;
interface ConfigResource {
  readonly address: string;
  readonly mode?: string;
  readonly expressions?: Expressions;
}
interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: Record<string, { readonly module?: ConfigModule }>;
}

/** A value read from a planned resource: known at plan time, or only after apply. */
export type Planned<T = unknown> = { readonly known: true; readonly value: T } | { readonly known: false };

export class PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
  /** The `module.x.` prefix of a resource inside a module call ("" in the root module). */
  readonly modulePrefix: string;
  private readonly after: Record<string, unknown>;
  private readonly afterUnknown: unknown;

  constructor(change: ResourceChange, private readonly context: { expressions(address: string): Expressions | undefined; synthesized(address: string): Record<string, unknown> | undefined }) {
    this.address = change.address;
    this.type = change.type;
    this.name = change.name;
    this.actions = change.change.actions;
    const configured = configAddress(change.address);
    this.modulePrefix = configured.slice(0, configured.length - `${change.type}.${change.name}`.length);
    this.after = (change.change.after ?? {}) as Record<string, unknown>;
    this.afterUnknown = change.change.after_unknown ?? {};
  }

  /**
   * The planned value at a path (`["viewer_certificate", 0, "minimum_protocol_version"]`), or
   * unknown when Terraform knows it only after apply.
   */
  get<T = unknown>(...path: readonly (string | number)[]): Planned<T> {
    let unknown: unknown = this.afterUnknown;
    let value: unknown = this.after;
    for (const key of path) {
      if (unknown === true) return { known: false };
      unknown = unknown !== null && typeof unknown === "object" ? (unknown as Record<string | number, unknown>)[key] : undefined;
      value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
    }
    if (unknown === true) return { known: false };
    return { known: true, value: value as T };
  }

  /** The known value at a path, or undefined when unknown or unset. */
  value<T = unknown>(...path: readonly (string | number)[]): T | undefined {
    const planned = this.get<T>(...path);
    return planned.known ? (planned.value ?? undefined) : undefined;
  }

  /**
   * Set to something. A value known only after apply counts when the configuration sets it (a
   * reference to a resource not yet created), not when AWS picks it (an unset computed attribute).
   */
  isSet(...path: readonly (string | number)[]): boolean {
    const planned = this.get(...path);
    if (!planned.known) return this.configured(...path);
    const value = planned.value;
    return !(value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0));
  }

  /** Whether the configuration sets the attribute at a path; true when the plan carries no configuration to tell. */
  configured(...path: readonly (string | number)[]): boolean {
    const expressions = this.context.expressions(this.address);
    if (expressions === undefined) return true;
    const expression = walk(expressions, path);
    return expression !== undefined && expression !== null;
  }

  /**
   * Where the value at a path comes from: known at plan time; a template in the configuration
   * (or the synthesized JSON) with `${...}` interpolations of values known only after apply; an
   * expression the plan shows only as references (`opaque`); or nothing at all (`unset`: AWS or
   * the provider picks it).
   */
  source(...path: readonly (string | number)[]): ValueSource {
    const planned = this.get(...path);
    if (planned.known) return { kind: "known", value: planned.value };
    const expression = walk(this.context.expressions(this.address), path) as { constant_value?: unknown; references?: string[] } | undefined;
    if (expression && typeof expression === "object" && "constant_value" in expression) return { kind: "template", value: expression.constant_value };
    const synthesized = walk(this.synthesized, path);
    if (synthesized !== undefined && synthesized !== null) return { kind: "template", value: synthesized };
    if (expression && typeof expression === "object") return { kind: "opaque", references: Array.isArray(expression.references) ? expression.references.map(String) : [] };
    return this.context.expressions(this.address) === undefined ? { kind: "opaque", references: [] } : { kind: "unset" };
  }

  /**
   * The value at a path as a rule reads it: known parts as planned, parts known only after apply
   * rendered from their configuration with placeholders (`⟨aws_kms_key.k.arn⟩`); a whole value
   * the configuration shows only as references becomes one placeholder. Undefined when unset.
   */
  resolved(...path: readonly (string | number)[]): unknown {
    const source = this.source(...path);
    switch (source.kind) {
      case "known":
        return this.fillUnknown(source.value, path);
      case "template":
        return renderStrings(source.value) ?? placeholder("template directive");
      case "opaque":
        return placeholder(source.references[0] ?? "expression");
      case "unset":
        return undefined;
    }
  }

  /** A known value whose nested parts may still be unknown (`after_unknown` marks them). */
  private fillUnknown(value: unknown, path: readonly (string | number)[]): unknown {
    const unknown = walk(this.afterUnknown, path);
    if (unknown === null || typeof unknown !== "object") return value;
    if (Array.isArray(value)) return value.map((item, index) => ((unknown as unknown[])[index] === true ? this.resolved(...path, index) : this.fillUnknown(item, [...path, index])));
    if (value !== null && typeof value === "object") {
      const keys = new Set([...Object.keys(value), ...Object.keys(unknown)]);
      return Object.fromEntries([...keys].map((key) => [key, (unknown as Record<string, unknown>)[key] === true ? this.resolved(...path, key) : this.fillUnknown((value as Record<string, unknown>)[key], [...path, key])]));
    }
    return value;
  }

  /** The elements of a nested block (`origin`, `ingress`, ...) as paths' prefixes. */
  blockCount(...path: readonly (string | number)[]): number {
    const value = this.value<unknown[]>(...path);
    return Array.isArray(value) ? value.length : 0;
  }

  /**
   * Addresses of the resources an attribute's expression refers to, in the plan's configuration
   * (`aws_s3_bucket.media_bucket`), with this resource's module prefix.
   */
  references(attribute: string): string[] {
    const found = new Set<string>();
    collectReferences(this.context.expressions(this.address)?.[attribute], found);
    return [...found].map((reference) => `${this.modulePrefix}${reference}`);
  }

  /** The resource's block in the synthesized JSON, for what the plan JSON does not show. */
  get synthesized(): Record<string, unknown> | undefined {
    return this.context.synthesized(this.address);
  }

  /** `lifecycle.prevent_destroy` from the synthesized JSON; undefined without it. */
  get preventDestroy(): boolean | undefined {
    const block = this.synthesized;
    if (!block) return undefined;
    return (block.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true;
  }
}

/** Where a planned value comes from; see `PlannedResource.source`. */
export type ValueSource =
  | { readonly kind: "known"; readonly value: unknown }
  | { readonly kind: "template"; readonly value: unknown }
  | { readonly kind: "opaque"; readonly references: readonly string[] }
  | { readonly kind: "unset" };

function walk(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
}

function collectReferences(expression: unknown, found: Set<string>): void {
  if (Array.isArray(expression)) {
    for (const item of expression) collectReferences(item, found);
    return;
  }
  if (expression === null || typeof expression !== "object") return;
  const references = (expression as { references?: unknown }).references;
  if (Array.isArray(references)) {
    for (const reference of references) {
      const address = resourceAddressOf(String(reference));
      if (address) found.add(address);
    }
  }
  for (const [key, nested] of Object.entries(expression)) {
    if (key !== "references" && key !== "constant_value") collectReferences(nested, found);
  }
}

/** `aws_s3_bucket.media.arn` → `aws_s3_bucket.media`; variables, locals and paths → undefined. */
function resourceAddressOf(reference: string): string | undefined {
  const parts = reference.split(".");
  if (parts[0] === "data") return parts.length >= 3 ? parts.slice(0, 3).join(".") : undefined;
  if (["var", "local", "path", "module", "each", "count", "self", "terraform"].includes(parts[0])) return undefined;
  return parts.length >= 2 ? `${parts[0]}.${parts[1].replace(/\[.*$/, "")}` : undefined;
}

/** Everything a rule may look at besides the resource itself. */
export class PolicyContext {
  readonly resources: readonly PlannedResource[];
  private readonly byAddress: Map<string, PlannedResource>;

  constructor(
    plan: PlanJson,
    readonly isProtected: boolean,
    synthesized?: SynthesizedJson,
  ) {
    const expressions = new Map<string, Expressions>();
    indexConfiguration((plan.configuration as { root_module?: ConfigModule } | undefined)?.root_module, "", expressions);
    const lookup = {
      expressions: (address: string) => expressions.get(configAddress(address)),
      synthesized: (address: string) => {
        const [type, name] = configAddress(address).replace(/^(module\.[^.]+\.)+/, "").split(".");
        return synthesized?.resource?.[type]?.[name];
      },
    };
    this.resources = (plan.resource_changes ?? [])
      .filter((change) => change.mode === "managed" && !(change.change.actions.length === 1 && change.change.actions[0] === "delete"))
      .map((change) => new PlannedResource(change, lookup));
    this.byAddress = new Map(this.resources.map((resource) => [resource.address, resource]));
  }

  resource(address: string): PlannedResource | undefined {
    return this.byAddress.get(address);
  }

  ofType(type: string): PlannedResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** Resources of `type` whose `attribute` refers to `target` (e.g. the public access block of a bucket). */
  referencing(type: string, attribute: string, target: PlannedResource): PlannedResource[] {
    return this.ofType(type).filter((resource) => resource.references(attribute).includes(configAddress(target.address)));
  }
}

/** An address without instance keys, as the plan's configuration section names resources. */
export function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

function indexConfiguration(module: ConfigModule | undefined, prefix: string, into: Map<string, Expressions>): void {
  if (!module) return;
  for (const resource of module.resources ?? []) {
    if (resource.mode === "managed" || resource.mode === undefined) into.set(`${prefix}${resource.address}`, resource.expressions ?? {});
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) indexConfiguration(call.module, `${prefix}module.${name}.`, into);
}
