import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";

/** The construct id of the pipeline in the app's stacks and in the module stack: the first part of every address. */
export const PIPELINE_ID = "Pipeline";

/**
 * The Terraform address (`type.name`) cdktf gives a resource of the pipeline, from its construct
 * path under the pipeline, in an environment stack and in the packaged module alike: the name is
 * cdktf's own hash of the path within the stack. An empty tree of plain constructs on that path is
 * enough to compute it, so nothing is synthesized (and no code bundle is needed).
 */
export function pipelineAddress(type: string, path: readonly string[]): string {
  const stack = new TerraformStack(new App({ skipValidation: true }), "addresses");
  let scope: Construct = new Construct(stack, PIPELINE_ID);
  for (const id of path) scope = new Construct(scope, id);
  return `${type}.${stack.getLogicalId(scope.node)}`;
}
