// How the command line names the pipeline, checked apart from resolving it (deployment.ts): the check
// loads nothing of the constructs, so a usage error answers without loading the frameworks they import.
import { CliError, EXIT } from "./errors";

/** The options that name the deployed pipeline: one of outputs, a Terraform directory, or the naming rules. */
export interface DeploymentOptions {
  readonly outputs?: string;
  readonly terraformDir?: string;
  readonly env?: string;
  readonly namePrefix?: string;
}

export const HOW_TO_NAME =
  "pass --outputs <file> (terraform output -json > file), --terraform-dir <dir>, or --env <environment> [--name-prefix <prefix>]";

/** Checks that the options name the pipeline one way, no more: a usage error otherwise, found before any AWS call. */
export function checkDeploymentOptions(options: DeploymentOptions): void {
  const given = [options.outputs, options.terraformDir, options.env].filter((o) => o !== undefined).length;
  if (given === 0) throw new CliError(`which pipeline? ${HOW_TO_NAME}`, EXIT.usage);
  if (given > 1) throw new CliError("give only one of --outputs, --terraform-dir and --env", EXIT.usage);
}
