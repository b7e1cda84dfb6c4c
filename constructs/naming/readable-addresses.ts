import type { IConstruct, Node } from "constructs";
import { TerraformElement, TerraformStack } from "cdktf";
import { PIPELINE_PARTS, readableName } from "./addresses";

/** How a stack names an element: cdktf's `allocateLogicalId`, which a stack subclass may override. */
type Allocate = (element: TerraformElement | Node) => string;

/** The pipelines with readable addresses in each stack, by their qualifier (`images`). */
const QUALIFIED = new WeakMap<TerraformStack, Map<IConstruct, string>>();

/** A construct id in snake_case, as Terraform names are written: `ImagesWest` and `images-west` give `images_west`. */
export function snakeCase(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  // A Terraform name starts with a letter or an underscore.
  return /^[0-9]/.test(words) ? `_${words}` : words;
}

/**
 * Gives the elements of `pipeline` readable addresses in its stack, whatever that stack is: the
 * pipeline's construct path from the stack in snake_case, then the element's name of ADDRESSES
 * (`aws_lambda_function.images_processor`). Call it before the pipeline makes any element.
 *
 * cdktf names an element once, when it is first referenced, by asking its stack's
 * `allocateLogicalId`; a stack the user wrote has cdktf's hashed scheme there. So the first
 * pipeline to ask puts a naming in front of that stack's own, which names the elements of the
 * pipelines that asked and hands every other element (the user's own) to the stack's, unchanged.
 */
export function useReadableAddresses(pipeline: IConstruct): void {
  const stack = TerraformStack.of(pipeline);
  let pipelines = QUALIFIED.get(stack);
  if (pipelines === undefined) {
    const registered = new Map<IConstruct, string>();
    pipelines = registered;
    QUALIFIED.set(stack, registered);
    const own = (stack as unknown as { allocateLogicalId: Allocate }).allocateLogicalId.bind(stack);
    Object.defineProperty(stack, "allocateLogicalId", {
      value: (element: TerraformElement | Node) => qualifiedName(element, registered) ?? own(element),
      configurable: true,
      writable: true,
    });
  }
  const path = pipeline.node.scopes.slice(pipeline.node.scopes.indexOf(stack) + 1);
  const qualifier = path.map((scope) => snakeCase(scope.node.id)).join("_");
  for (const [other, its] of pipelines) {
    if (its === qualifier) {
      throw new Error(
        `readableAddresses: the pipelines ${other.node.path} and ${pipeline.node.path} would have the same Terraform addresses ` +
          `(${qualifier}_...): give one of them another construct id`,
      );
    }
  }
  pipelines.set(pipeline, qualifier);
}

/** `<qualifier>_<name>` for an element of a registered pipeline's parts; undefined for any other. */
function qualifiedName(element: TerraformElement | Node, pipelines: ReadonlyMap<IConstruct, string>): string | undefined {
  if (!TerraformElement.isTerraformElement(element)) return undefined;
  const scopes = element.node.scopes;
  const at = scopes.findIndex((scope) => pipelines.has(scope));
  if (at < 0) return undefined;
  const path = scopes.slice(at + 1).map((scope) => scope.node.id);
  // Elements added beside the pipeline's parts (under the pipeline, by the user) keep the stack's names.
  if (!PIPELINE_PARTS.has(path[0])) return undefined;
  return `${pipelines.get(scopes[at])}_${readableName(path)}`;
}
