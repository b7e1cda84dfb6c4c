import type { IConstruct } from "constructs";
import { type IAspect, TerraformDataSource, TerraformModule, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";

/**
 * Puts every resource and data source in scope on one provider, and passes it to every module in
 * scope as that module's provider of its type: how a construct goes on an aliased provider (another
 * region or account) without each part taking it. An element given a provider of its own keeps it.
 * It runs at synth, so elements added after the construct (an escape hatch, a later part) are on it too.
 *
 * @example
 * ```ts
 * const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
 * Aspects.of(pipeline).add(new UseProvider(west));
 * ```
 */
export class UseProvider implements IAspect {
  constructor(private readonly provider: TerraformProvider) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
      node.provider ??= this.provider;
    } else if (node instanceof TerraformModule) {
      const type = this.provider.terraformResourceType;
      const given = (node.providers ?? []).some(
        (p) => (TerraformProvider.isTerraformProvider(p) ? p : p.provider).terraformResourceType === type,
      );
      if (!given) node.addProvider(this.provider);
    }
  }
}

/**
 * What is wrong with `provider` as the AWS provider of the construct `scope`, by the prop's name: it
 * must be an AWS provider of the same stack (Terraform has no reference to another stack's provider).
 */
export function awsProviderProblems(field: string, provider: TerraformProvider | undefined, scope: IConstruct): string[] {
  if (provider === undefined) return [];
  if (!TerraformProvider.isTerraformProvider(provider) || provider.terraformResourceType !== "aws") {
    return [`${field} must be an AWS provider (new AwsProvider(...)); got ${describe(provider)}`];
  }
  const own = TerraformStack.of(scope);
  const its = TerraformStack.of(provider);
  if (own !== its) {
    return [
      `${field} must be a provider of the pipeline's own stack (${own.node.path}); got one of ${its.node.path} (${provider.node.path})`,
    ];
  }
  return [];
}

function describe(value: unknown): string {
  if (TerraformProvider.isTerraformProvider(value)) return `a ${value.terraformResourceType} provider (${value.node.path})`;
  return value === null || typeof value !== "object" ? String(value) : (value.constructor?.name ?? "an object");
}
