// Construct renames without destroy-and-create: a resource's address is its construct path, so
// renaming a construct changes the address, and a `moved` block tells Terraform the resource at
// the old address is the one at the new address.
import { TerraformResource, TerraformStack } from "cdktf";
import { atAddresses, resourceAddress } from "./resource-address.js";
import { ConstructError } from "./construct-error.js";

/** Records that `resource` was at `fromAddress` before a rename. */
export function movedFrom(resource: TerraformResource, fromAddress: string): void {
  if (!fromAddress.startsWith(`${resource.terraformResourceType}.`)) {
    throw new ConstructError(resource, `a moved block cannot change the resource type; ${fromAddress} is not a ${resource.terraformResourceType}`);
  }
  if (fromAddress === resourceAddress(resource)) throw new ConstructError(resource, `moved from its own address ${fromAddress}`);
  resource.moveFromId(fromAddress);
}

/** Renames given as `old address → new address`, applied at synth; synth fails for a new address the stack lacks. */
export function movedResources(stack: TerraformStack, renames: Readonly<Record<string, string>>): void {
  const byNewAddress = Object.fromEntries(Object.entries(renames).map(([from, to]) => [to, from]));
  atAddresses(stack, byNewAddress, "moved", (resource, from) => movedFrom(resource, from));
}
