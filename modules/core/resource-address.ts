// Terraform addresses of a stack's resources, and a way to act on resources by address once
// every construct exists (at synth, through an aspect), as import and moved blocks need.
import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/** `aws_vpc.network_dms_vpc_vpc`: the address Terraform knows the resource by. */
export function resourceAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Calls `apply` at synth on each resource whose address is a key of `wanted`, and fails synth
 * (a stack validation) for keys that match no resource, naming the addresses of that type.
 */
export function atAddresses<T>(stack: TerraformStack, wanted: Readonly<Record<string, T>>, what: string, apply: (resource: TerraformResource, value: T) => void): void {
  const addresses = Object.keys(wanted);
  if (addresses.length === 0) return;
  const found = new Map<string, string[]>();
  const matched = new Set<string>();
  const visitor: IAspect = {
    visit(node: IConstruct) {
      if (!TerraformResource.isTerraformResource(node) || TerraformStack.of(node) !== stack) return;
      const address = resourceAddress(node);
      found.set(node.terraformResourceType, [...(found.get(node.terraformResourceType) ?? []), address]);
      if (address in wanted && !matched.has(address)) {
        matched.add(address);
        apply(node, wanted[address]);
      }
    },
  };
  Aspects.of(stack).add(visitor);
  stack.node.addValidation({
    validate: () =>
      addresses
        .filter((address) => !matched.has(address))
        .map((address) => {
          const sameType = found.get(address.split(".")[0]) ?? [];
          return `${what}: no resource at ${address} in this stack (${sameType.length > 0 ? `resources of that type: ${sameType.join(", ")}` : "it has no resource of that type"})`;
        }),
  });
}
