// What each command's registration gets from the program, and the one way a command reaches the
// deployed pipeline: its command line checked first, then the AWS clients made and the deployment resolved.
import { type Command, Option } from "commander";
import type { AwsClients, AwsOptions } from "../aws";
import type { Deployment } from "../deployment";
import { type DeploymentOptions, checkDeploymentOptions } from "../deployment-options";
import { CliError, EXIT } from "../errors";
import type { Io } from "../io";
import { environmentName, namePrefix } from "./values";

export interface CommandContext {
  readonly io: Io;
  /** Makes the AWS clients: called only once the command line is known to be good. */
  readonly clients: (options: AwsOptions) => AwsClients;
  /** Sets the exit code `run` returns. */
  readonly exit: (code: number) => void;
}

const PIPELINE_OPTIONS = "Which pipeline, and AWS configuration:";

/**
 * The options that name the deployed pipeline (one of --outputs, --terraform-dir, --env) and the
 * AWS configuration, on a command that reads AWS. The program takes them too, before the command
 * (`image-pipeline --env dev report`, as earlier releases documented), hidden from its help.
 */
export function addPipelineOptions(command: Command, { hidden = false } = {}): Command {
  const options = [
    new Option("--env <environment>", "environment of the pipeline, named by the constructs' rules").argParser(environmentName),
    new Option("--name-prefix <prefix>", "the pipeline's name prefix (with --env)")
      .argParser(namePrefix)
      .conflicts(["outputs", "terraformDir"]),
    new Option("--outputs <file>", "terraform output -json of the pipeline's stack or module").conflicts(["terraformDir", "env"]),
    new Option("--terraform-dir <dir>", "Terraform working directory to run terraform output -json in").conflicts("env"),
    new Option("--region <region>", "AWS region (default: AWS_REGION, the profile's)"),
    new Option("--profile <profile>", "AWS shared-config profile (default: AWS_PROFILE)"),
  ];
  for (const option of options) command.addOption(hidden ? option.hideHelp() : option.helpGroup(PIPELINE_OPTIONS));
  return command;
}

type PipelineOptions = DeploymentOptions & AwsOptions;
const PIPELINE_KEYS = ["env", "namePrefix", "outputs", "terraformDir", "region", "profile"] as const;

/**
 * A command that runs on its own and has subcommands (`backfill`, `backfill derivatives`): an option
 * given before a subcommand's name is the parent's, and would be lost, so it is a usage error
 * (the pipeline options excepted: subcommands take those from their parents).
 */
export function optionsAfterSubcommands(command: Command): void {
  command.hook("preSubcommand", (parent, subcommand) => {
    const given = parent.options.filter(
      (o) => parent.getOptionValueSource(o.attributeName()) === "cli" && !(PIPELINE_KEYS as readonly string[]).includes(o.attributeName()),
    );
    if (given.length > 0) {
      const path = `${parent.name()} ${subcommand.name()}`;
      throw new CliError(`give ${given.map((o) => o.long).join(", ")} after \`${path}\`, not before it`, EXIT.usage);
    }
  });
}

/** The pipeline options given on the command line: after the command's name, or before it (the nearest wins). */
export function pipelineOptions(command: Command): PipelineOptions {
  const given: Record<string, string> = {};
  for (let c: Command | null = command; c; c = c.parent) {
    for (const key of PIPELINE_KEYS) {
      const value = c.getOptionValue(key);
      if (value !== undefined && given[key] === undefined) given[key] = value;
    }
  }
  return given;
}

/**
 * Runs a command against the deployed pipeline. The command line is checked before this is
 * called (commander's parsing, then the command's own checks); here the naming options are, and
 * only then are the clients made and the deployment resolved.
 */
export async function againstDeployment(
  context: CommandContext,
  command: Command,
  action: (aws: AwsClients, deployment: Deployment) => Promise<number>,
): Promise<void> {
  const options = pipelineOptions(command);
  checkDeploymentOptions(options);
  // The deployment's resolution loads the constructs' naming rules, and with them the frameworks.
  const { resolveDeployment }: typeof import("../deployment") = require("../deployment");
  const aws = context.clients({ region: options.region, profile: options.profile });
  context.exit(await action(aws, await resolveDeployment(options, aws)));
}
