import type { Construct } from "constructs";
import { Fn, TerraformResource, Token, ref } from "cdktf";

/**
 * A part that exists or not as Terraform decides (a module variable): each of its resources is
 * counted 1 or 0, and its attributes are read as `one(<address>[*].<attribute>)`, null when it
 * is counted out. When the choice is known at synth, a part is made or not, and nothing is counted.
 */
export class Counted {
  /** @param enabled a Terraform boolean (a reference token), or undefined when the part is simply made */
  constructor(readonly enabled?: boolean) {}

  get counted(): boolean {
    return this.enabled !== undefined && Token.isUnresolved(this.enabled);
  }

  /** An attribute of one of the part's resources. */
  attribute(resource: TerraformResource, attribute: string): string {
    if (!this.counted) return resource.getStringAttribute(attribute);
    return Token.asString(Fn.one(ref(`${resource.fqn}[*].${attribute}`)));
  }

  /** Counts every resource under `scope` by the choice; nothing when the choice is known. */
  countAll(scope: Construct): void {
    if (!this.counted) return;
    const count = Token.asNumber(Fn.conditional(this.enabled, 1, 0));
    for (const child of scope.node.findAll()) if (child instanceof TerraformResource) child.count = count;
  }
}
