// `image-pipeline report` (what happened lately) and `report batch-job <id>` (what a Batch Operations
// backfill did); `report --batch-job <id>` is kept for one release.
import { type Command, Option } from "commander";
import { type CommandContext, addPipelineOptions, againstDeployment, optionsAfterSubcommands } from "./context";
import { deprecated } from "./deprecation";
import { batchJobId, positiveInteger } from "./values";

// What each does, loaded when it runs (it brings the AWS SDK's commands).
const recent = (): typeof import("../commands/report") => require("../commands/report");
const batchJob = (): typeof import("../commands/report-batch-job") => require("../commands/report-batch-job");

export function registerReport(program: Command, context: CommandContext): void {
  const { io } = context;
  const command = addPipelineOptions(
    program
      .command("report")
      .description("items per day by status, the latest problems, dead letters waiting and alarms firing (and: report batch-job)")
      .option("--days <n>", "days to cover, today included (UTC)", positiveInteger("--days"), 7)
      .option("--latest <n>", "how many of the latest rejected, missing or unreadable objects to list", positiveInteger("--latest"), 10)
      .option("--json", "print JSON for scripts", false)
      // Deprecated: `report batch-job <id>`.
      .addOption(new Option("--batch-job <id>").hideHelp().argParser(batchJobId)),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  npx image-pipeline report --env dev --days 3 --json\n  npx image-pipeline report batch-job 8a1c… --env prod",
    )
    .action((options: { days: number; latest: number; json: boolean; batchJob?: string }, self: Command) => {
      const id = options.batchJob;
      if (id === undefined)
        return againstDeployment(context, self, (aws, deployment) => recent().report(aws, deployment, { ...options, now: new Date() }, io));
      deprecated(io, "report --batch-job <id>", "report batch-job <id>");
      return againstDeployment(context, self, (aws, deployment) => batchJob().reportBatchJob(aws, deployment, id, options, io));
    });

  optionsAfterSubcommands(command);
  addPipelineOptions(
    command
      .command("batch-job")
      .description("summarise a Batch Operations backfill's completion report: succeeded by outcome, failed by reason")
      .argument("<id>", "the job's id, as `backfill batch` printed it", batchJobId)
      .option("--json", "print JSON for scripts", false),
  )
    .addHelpText("after", "\nExample:\n  npx image-pipeline report batch-job 8a1c… --env prod")
    .action((id: string, options: { json: boolean }, self: Command) =>
      againstDeployment(context, self, (aws, deployment) => batchJob().reportBatchJob(aws, deployment, id, options, io)),
    );
}
