// Small hand-written plans for policy and summary tests: the parts of `terraform show -json`
// the policy reads (resource_changes with after / after_unknown, configuration expressions with
// references) and the synthesized JSON's lifecycle blocks.
import type { SynthesizedJson } from "../../src/policy/plan-resources.js";
import type { PlanJson } from "../../src/terraform/offline-terraform.js";

export interface FixtureResource {
  /** `aws_db_instance.database_instance` (or `module.x.aws_...` ). */
  address: string;
  /** Planned values known at plan time; nested blocks are arrays of objects, as in plan JSON. */
  values: Record<string, unknown>;
  /** References by attribute path (`kms_key_id`, `origin.0.origin_access_control_id`): unknown until apply. */
  refs?: Record<string, string>;
  /**
   * Values known only after apply whose configuration is a template, by attribute path, as
   * Terraform shows JSON-syntax configuration: the text with its `${...}` interpolations.
   */
  templates?: Record<string, unknown>;
  /** Attributes known only after apply that the configuration leaves unset (AWS or the provider picks them). */
  computed?: string[];
  lifecycle?: { prevent_destroy?: boolean; create_before_destroy?: boolean };
  /** @default ["create"] */
  actions?: string[];
  importing?: { id: string };
}

export function planFixture(resources: readonly FixtureResource[]): { plan: PlanJson; synthesized: SynthesizedJson } {
  const synthesized: { resource: Record<string, Record<string, Record<string, unknown>>> } = { resource: {} };
  const configResources: unknown[] = [];
  const changes = resources.map((resource) => {
    const [type, name] = resource.address.replace(/^(module\.[^.]+\.)+/, "").split(".");
    const afterUnknown: Record<string, unknown> = {};
    const expressions = expressionsOf(resource.values) as Record<string, unknown>;
    const after = structuredClone(resource.values);
    for (const [path, target] of Object.entries(resource.refs ?? {})) {
      const keys = pathKeys(path);
      setPath(afterUnknown, keys, true);
      setPath(expressions, keys, { references: [`${target}.id`, target] });
    }
    for (const path of resource.computed ?? []) {
      setPath(afterUnknown, pathKeys(path), true);
      setPath(after, pathKeys(path), null);
    }
    for (const [path, template] of Object.entries(resource.templates ?? {})) {
      const keys = pathKeys(path);
      setPath(afterUnknown, keys, true);
      setPath(after, keys, null);
      const references = [...JSON.stringify(template).matchAll(/\$\{([\w.]+)/g)].map((match) => match[1]);
      setPath(expressions, keys, { constant_value: template, references });
    }
    synthesized.resource[type] ??= {};
    synthesized.resource[type][name] = { ...structuredClone(resource.values), ...(resource.lifecycle ? { lifecycle: resource.lifecycle } : {}) };
    for (const [path, template] of Object.entries(resource.templates ?? {})) setPath(synthesized.resource[type][name], pathKeys(path), template);
    configResources.push({ address: `${type}.${name}`, mode: "managed", type, name, expressions });
    return {
      address: resource.address,
      mode: "managed",
      type,
      name,
      change: { actions: resource.actions ?? ["create"], before: null, after, after_unknown: afterUnknown, ...(resource.importing ? { importing: resource.importing } : {}) },
    };
  });
  return { plan: { format_version: "1.2", resource_changes: changes, configuration: { root_module: { resources: configResources } } }, synthesized };
}

function expressionsOf(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      Array.isArray(value) && value.every((item) => item !== null && typeof item === "object" && !Array.isArray(item))
        && value.length > 0
        ? value.map((block) => expressionsOf(block as Record<string, unknown>))
        : { constant_value: value },
    ]),
  );
}

const pathKeys = (path: string) => path.split(".").map((key) => (/^\d+$/.test(key) ? Number(key) : key));

function setPath(target: Record<string | number, unknown>, keys: readonly (string | number)[], value: unknown): void {
  let cursor: Record<string | number, unknown> = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      cursor[key] = value;
      return;
    }
    if (cursor[key] === undefined || cursor[key] === null || typeof cursor[key] !== "object") cursor[key] = typeof keys[index + 1] === "number" ? [] : {};
    cursor = cursor[key] as Record<string | number, unknown>;
  });
}

/** A copy of a fixture list with one resource changed (values merged shallowly, refs replaced per key). */
export function change(resources: readonly FixtureResource[], address: string, edit: (resource: FixtureResource) => void): FixtureResource[] {
  const copy = structuredClone(resources) as FixtureResource[];
  const resource = copy.find((candidate) => candidate.address === address);
  if (!resource) throw new Error(`fixture has no ${address}`);
  edit(resource);
  return copy;
}

export function without(resources: readonly FixtureResource[], address: string): FixtureResource[] {
  if (!resources.some((resource) => resource.address === address)) throw new Error(`fixture has no ${address}`);
  return structuredClone(resources.filter((resource) => resource.address !== address)) as FixtureResource[];
}
