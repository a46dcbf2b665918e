// Existing resources adopted into the stack with Terraform `import` blocks (Terraform 1.5+): the
// first plan shows them as imports, and from then on they are managed like the rest.
import { TerraformStack } from "cdktf";
import { atAddresses } from "./resource-address.js";

/** Adds an import block for each `address → id`; synth fails for an address the stack lacks. */
export function importExisting(stack: TerraformStack, imports: Readonly<Record<string, string>>): void {
  atAddresses(stack, imports, "imports", (resource, id) => resource.importFrom(id));
}
