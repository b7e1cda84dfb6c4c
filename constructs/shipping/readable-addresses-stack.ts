import type { Construct, Node } from "constructs";
import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import { PIPELINE_PARTS, readableName } from "../naming/addresses";
import { moveTarget, wasReleased, wasReleasedUncounted } from "../naming/address-history";

/** A `moved` block: Terraform moves the state at `from` to `to` instead of destroying and creating. */
export interface MovedBlock {
  /** The address the state was at (`aws_s3_bucket.image_bucket`). */
  readonly from: string;
  /** The address it moves to. */
  readonly to: string;
}

/**
 * A stack in which the pipeline's elements have the readable names of ADDRESSES
 * (`aws_s3_bucket.images`) instead of cdktf's hashed ones (`aws_s3_bucket.Pipeline_Store_Bucket_9F665EBB`,
 * whose suffix changes with any construct path), and a `moved` block from each hashed name a release had.
 *
 * cdktf documents `allocateLogicalId` as the way to change its naming scheme; it runs when an
 * element is first referenced, so every reference gets the readable name.
 *
 * @example
 * ```ts
 * // The base of EnvironmentStack and the module stacks: a stack holding the pipeline at "Pipeline".
 * class MyStack extends ReadableAddressesStack {
 *   constructor(scope: Construct, id: string) {
 *     super(scope, id, [PIPELINE_ID]);
 *     new ImageProcessingPipeline(this, PIPELINE_ID, { environment: "dev" });
 *   }
 * }
 * ```
 */
export abstract class ReadableAddressesStack extends TerraformStack {
  /**
   * @param pipelineRoot - construct ids from the stack to the pipeline: `["Pipeline"]` in a stack that
   * holds the pipeline, `[]` in the derivatives child module, whose root stands for the pipeline's
   */
  constructor(
    scope: Construct,
    id: string,
    private readonly pipelineRoot: readonly string[],
  ) {
    super(scope, id);
    this.node.addValidation({ validate: () => duplicateAddresses(this) });
  }

  /** The path of an element under the pipeline, or undefined for elements beside it (the provider, variables). */
  private pipelinePath(node: Node): string[] | undefined {
    const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    const root = this.pipelineRoot;
    if (path.length <= root.length || root.some((id, i) => path[i] !== id)) return undefined;
    const under = path.slice(root.length);
    // Elements beside the pipeline's parts (the derivatives module's variables) keep their own names.
    return PIPELINE_PARTS.has(under[0]) ? under : undefined;
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    // Assets ask for an id too (their folder in the stack's assets): they keep cdktf's, so code paths stay put.
    const path = TerraformElement.isTerraformElement(element) ? this.pipelinePath(element.node) : undefined;
    return path === undefined ? super.allocateLogicalId(element) : readableName(path);
  }

  /**
   * The moved blocks from every address a release had (RELEASED_ADDRESSES) to where the resource is
   * now: from cdktf's hashed name (0.2.0) to the readable one, and from a readable name a release held
   * uncounted (0.3.0) to instance 0 of the resource counted since. Terraform allows one move into an
   * address, so the two chain: hashed → readable → readable[0].
   */
  movedBlocks(): MovedBlock[] {
    return this.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource)
      .flatMap((resource) => {
        if (this.pipelinePath(resource.node) === undefined) return [];
        const hashed = `${resource.terraformResourceType}.${super.allocateLogicalId(resource)}`;
        const address = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
        const counted = resource.count !== undefined;
        const countedSinceReadable = counted && wasReleasedUncounted(address);
        return [
          ...(wasReleased(hashed) ? [{ from: hashed, to: countedSinceReadable ? address : moveTarget(hashed, address, counted) }] : []),
          ...(countedSinceReadable ? [{ from: address, to: `${address}[0]` }] : []),
        ];
      })
      .sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  toTerraform(): any {
    const tf = super.toTerraform();
    const moved = this.movedBlocks();
    if (moved.length > 0) tf.moved = [...(tf.moved ?? []), ...moved];
    return tf;
  }
}

/** Two elements with one address would be merged into one block by the synthesizer: refuse them. */
function duplicateAddresses(stack: TerraformStack): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const element of stack.node.findAll().filter(TerraformElement.isTerraformElement)) {
    const kind = (element as unknown as { terraformResourceType?: string }).terraformResourceType ?? element.constructor.name;
    const address = `${element instanceof TerraformResource ? "" : "data-or-other:"}${kind}.${element.friendlyUniqueId}`;
    const other = seen.get(address);
    if (other) errors.push(`${element.node.path} and ${other} have the same Terraform address ${kind}.${element.friendlyUniqueId}`);
    else seen.set(address, element.node.path);
  }
  return errors;
}
