// Terraform addresses that read well in a plan and stay stable across releases:
// `aws_lb.target_hop_nlb` rather than cdktf's default `aws_lb.targethop_nlb_1A2B3C4D`. The address
// is the construct path below the stack in snake_case, so renaming a construct is a visible,
// deliberate change (pair it with a `moved` block).
import { TerraformElement, TerraformStack } from "cdktf";
import { Node } from "constructs";
import { ConstructError } from "./construct-error.js";
import { memoize } from "./memoize.js";

// Every address is built from the ids of its scopes, and most ids recur in every environment.
export const snakeCase = memoize((id: string): string =>
  id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase(),
);

export class ReadableIdStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes;
    const path = scopes.slice(scopes.indexOf(this) + 1).map((scope) => snakeCase(scope.node.id));
    const id = path.filter((part) => part.length > 0).join("_");
    // Two construct paths can fold into one snake_case name ("a-b/c" and "a/b-c"): refuse rather
    // than let one resource silently replace the other.
    const owner = this.allocated.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new ConstructError(node.path, `Terraform address collision: "${id}" is allocated to both ${owner} and ${node.path}`);
    }
    this.allocated.set(id, node.path);
    return /^[0-9]/.test(id) ? `_${id}` : id;
  }
}
