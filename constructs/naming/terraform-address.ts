import { readableName } from "./addresses";

/** The construct id of the pipeline in the app's stacks and in the module stack. */
export const PIPELINE_ID = "Pipeline";

/**
 * The Terraform address (`type.name`) of a resource of the pipeline in an environment stack and
 * in the packaged module alike, from its construct path under the pipeline (constructs/naming/addresses.ts).
 */
export function pipelineAddress(type: string, path: readonly string[]): string {
  return `${type}.${readableName(path)}`;
}
