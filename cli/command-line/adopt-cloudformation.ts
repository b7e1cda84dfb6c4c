// `image-pipeline adopt-cloudformation`: prepares the move of a running stack of the CloudFormation
// design into this pipeline. Its module loads only when it runs: it brings cdktf (for the Terraform
// addresses), the CloudFormation client and a YAML parser, which the day-to-day commands should not
// pay for on every start.
import type { Command } from "commander";
import { CliError, EXIT } from "../errors";
import { type CommandContext, addPipelineOptions, pipelineOptions } from "./context";

export function registerAdoptCloudFormation(program: Command, context: CommandContext): void {
  addPipelineOptions(
    program
      .command("adopt-cloudformation")
      .description(
        "prepare the move of a running CloudFormation stack of the original CloudFormation design into this pipeline, keeping its data",
      )
      .requiredOption("--stack <name>", "the CloudFormation stack's name")
      .option("--out-dir <dir>", "folder for the Retain template, the import blocks and the runbook (default: adopt-<stack>)")
      .option("--module-name <name>", "the module block's name, for the module's import blocks", "image_processing")
      .option("--json", "print the findings as JSON", false),
  )
    .addHelpText(
      "after",
      `
Needs --env (the original CloudFormation design's names have no prefix, so neither may the pipeline). Reads the stack, checks that it is the original CloudFormation
design for that environment in the caller's account, and writes: the stack's template with
DeletionPolicy and UpdateReplacePolicy Retain on the bucket, its policy, the table, the topic and the
log group; Terraform import blocks for the cdktf stack and for the module; and RUNBOOK.md, the ordered
steps. It changes nothing in AWS, and writes nothing when it refuses (exit 1).

Example:
  npx image-pipeline adopt-cloudformation --stack image-processing-prod --env prod --region us-east-1`,
    )
    .action(async (options: { stack: string; outDir?: string; moduleName: string; json: boolean }, self: Command) => {
      const pipeline = pipelineOptions(self);
      if (!pipeline.env)
        throw new CliError("adopt-cloudformation needs --env <environment>: the pipeline the stack moves into", EXIT.usage);
      if (pipeline.outputs || pipeline.terraformDir)
        throw new CliError("adopt-cloudformation names the pipeline by --env only: it is not deployed yet", EXIT.usage);
      // The original CloudFormation design's names carry no prefix, so a prefixed pipeline could never take its resources over.
      if (pipeline.namePrefix)
        throw new CliError(
          "the original CloudFormation design's resources have no name prefix: adopt them into the pipeline of --env alone, without --name-prefix",
          EXIT.usage,
        );
      const aws = context.clients({ region: pipeline.region, profile: pipeline.profile });
      const { adoptCloudFormation }: typeof import("../commands/adopt-cloudformation") = require("../commands/adopt-cloudformation");
      context.exit(await adoptCloudFormation(aws, { ...options, environment: pipeline.env }, context.io));
    });
}
