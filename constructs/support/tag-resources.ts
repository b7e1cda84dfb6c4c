import type { IConstruct } from "constructs";
import { Fn, type IAspect, TerraformResource, Token } from "cdktf";

/** A resource whose provider schema has `tags` (every generated class of one has `tagsInput`). */
type Taggable = TerraformResource & { tags?: Record<string, string>; readonly tagsInput?: Record<string, string> };

const isTaggable = (node: IConstruct): node is Taggable => node instanceof TerraformResource && "tagsInput" in node;

/**
 * Merges tags onto every resource in scope that takes tags; a resource's own tags win on a
 * clash. Unlike the provider's `default_tags`, this works in a module under the caller's
 * provider. Tags from a Terraform reference (a module variable) are merged by Terraform.
 *
 * @example
 * ```ts
 * Aspects.of(stack).add(new TagResources({ CostCenter: "42", Team: "media" }));
 * ```
 */
export class TagResources implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const own = node.tagsInput ?? {};
    if (Token.isUnresolved(this.tags)) {
      const merged = Object.keys(own).length === 0 ? this.tags : Token.asAny(Fn.merge([this.tags, own]));
      node.tags = merged as unknown as Record<string, string>;
    } else if (Object.keys(this.tags).length > 0) node.tags = { ...this.tags, ...own };
  }
}
