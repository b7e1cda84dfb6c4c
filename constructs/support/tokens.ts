import type { Construct } from "constructs";
import { Fn, type MapTerraformIterator, Op, TerraformIterator, TerraformLocal, Token } from "cdktf";

// Props may be Terraform references (the published module passes its variables through),
// known only at plan time. These helpers keep such values as expressions instead of
// turning them into garbage with JavaScript arithmetic or String().

/** A value as text: a literal's string, or a reference's string token. */
export const asText = (value: unknown): string => (Token.isUnresolved(value) ? Token.asString(value) : String(value));

/** value × factor, as a Terraform expression when value is a reference. */
export const times = (value: number, factor: number): number =>
  Token.isUnresolved(value) ? Token.asNumber(Op.mul(value, factor)) : value * factor;

/**
 * An iterator over a list or map known only as a whole (a variable): keyed by each element's index
 * (a list) or key (a map), which the plan knows even when the elements are references.
 */
export const byIndexOrKey = (listOrMap: unknown): MapTerraformIterator =>
  TerraformIterator.fromMap(TerraformIterator.fromMap(Token.asAny(listOrMap)).forExpressionForMap("tostring(key)", "val"));

/** `<prefix>-`, or nothing; a prefix known only at plan time (a module variable) gives a local in `scope` with the same rule. */
export function namePrefixWithHyphen(scope: Construct, namePrefix: string): string {
  if (!Token.isUnresolved(namePrefix)) return namePrefix === "" ? "" : `${namePrefix}-`;
  // Written out: cdktf renders a falsy operand of Op.eq ("" or 0) as `undefined`.
  return new TerraformLocal(scope, "NamePrefix", `\${${namePrefix} == "" ? "" : format("%s-", ${namePrefix})}`).asString;
}

/**
 * The items of each part whose condition holds, in order: a plain list when every condition is a
 * literal; else one list the plan knows (`concat(<items>, <switch> ? <items> : [], ...)`), for the parts
 * a module switch counts in or out.
 */
export function itemsWhen(...parts: readonly (readonly [boolean, readonly string[]])[]): string[] {
  if (parts.every(([on]) => !Token.isUnresolved(on))) return parts.flatMap(([on, items]) => (on ? items : []));
  return Token.asList(Fn.concat(parts.map(([on, items]) => (Token.isUnresolved(on) ? Fn.conditional(on, items, []) : on ? items : []))));
}
