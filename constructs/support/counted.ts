import type { Construct } from "constructs";
import { Fn, Op, TerraformResource, Token, ref } from "cdktf";

/**
 * A part that exists or not as Terraform decides (a switch of the module, constructs/support/plan-time.ts):
 * each of its resources is counted 1 or 0, and its attributes are read as `one(<address>[*].<attribute>)`,
 * null when it is counted out. Outside the module the choice is made at synth, and nothing is counted.
 */
export class Counted {
  /** @param enabled - a Terraform boolean (a reference token), or undefined when the part is simply made */
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

/**
 * A part made only where every choice holds: counted by the module's switches that are plan-time
 * choices (`alltrue` of them), simply made when none is. A choice known at synth is the caller's
 * to decide (it makes the part or not).
 */
export function countedWhenAll(choices: readonly (boolean | undefined)[]): Counted {
  const planned = choices.filter((c): c is boolean => c !== undefined && Token.isUnresolved(c));
  if (planned.length === 0) return new Counted();
  return new Counted(planned.length === 1 ? planned[0] : (Token.asAny(Fn.alltrue(planned)) as unknown as boolean));
}

/** The opposite of a plan-time choice (`!choice`); undefined stays undefined. */
export const notCounted = (choice: Counted): boolean | undefined =>
  choice.counted ? (Token.asAny(Op.not(choice.enabled)) as unknown as boolean) : undefined;

/** Whether the pipeline makes a part it may be given (a key, a bucket): yes, no, or as the module's switch decides. */
export interface MadeOrGiven {
  /** The part is made (counted in or out when `counted.counted`). */
  readonly makes: boolean;
  readonly counted: Counted;
}

/**
 * Made when nothing is given, not made when something is, whatever its value (a reference to the
 * caller's resource is known only after apply); in the module, counted by its switch (`makes`).
 */
export function madeUnlessGiven(given: string | undefined, makes?: boolean): MadeOrGiven {
  if (makes !== undefined && Token.isUnresolved(makes)) return { makes: true, counted: new Counted(makes) };
  if (makes !== undefined) return { makes, counted: new Counted() };
  return { makes: given === undefined, counted: new Counted() };
}

/** The given value or the made part's (`made`, read through `choice.counted`): whichever there is. */
export function givenOrMade(choice: MadeOrGiven, given: string | undefined, made: () => string): string {
  if (!choice.makes) return given!;
  if (!choice.counted.counted) return made();
  // Function calls, not a conditional: cdktf writes a conditional without parentheses.
  return Token.asString(Fn.coalesce([given, made()]));
}
