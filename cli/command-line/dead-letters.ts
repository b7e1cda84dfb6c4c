// `image-pipeline dead-letters replay|redrive`: the processor's dead letters are Lambda failure
// records, replayed by invoking the function with their original event; the derivatives part's and
// EventBridge delivery's are the messages themselves, redriven to the queue they failed from.
// `replay-dead-letters [--queue ...]`, which did both, is kept for one release.
import { type Command, Option } from "commander";
import type { AwsClients } from "../aws";
import type { ReplayOptions } from "../commands/replay-dead-letters";
import type { Deployment } from "../deployment";
import { CliError } from "../errors";
import { type CommandContext, addPipelineOptions, againstDeployment } from "./context";
import { deprecated } from "./deprecation";
import { positiveInteger } from "./values";

const REDRIVEN = { derivatives: "derivatives requests", events: "upload events" } as const;
type RedrivenQueue = keyof typeof REDRIVEN;

/** --max, --dry-run, --json: what replay and redrive share. */
const addReplayOptions = (command: Command, verb: string) =>
  addPipelineOptions(
    command
      .option("--max <messages>", `most messages to ${verb}`, positiveInteger("--max"))
      .option("--dry-run", `show what would be ${verb === "replay" ? "replayed" : "moved back"}; leave every message in the queue`, false)
      .option("--json", "print the summary as JSON", false),
  );

// What each does, loaded when it runs (it brings the AWS SDK's commands).
const replay = (): typeof import("../commands/replay-dead-letters") => require("../commands/replay-dead-letters");

function redrive(aws: AwsClients, deployment: Deployment, queue: RedrivenQueue, options: ReplayOptions, context: CommandContext) {
  const part = queue === "derivatives" ? deployment.derivatives : deployment.events;
  if (!part?.deadLetterQueueUrl)
    throw new CliError(
      `${deployment.source} names no ${queue === "derivatives" ? "derivatives part" : "EventBridge delivery"} (no ${queue} dead-letter queue)`,
    );
  const queues = { what: REDRIVEN[queue], queueUrl: part.queueUrl, deadLetterQueueUrl: part.deadLetterQueueUrl };
  const { redriveQueue }: typeof import("../commands/redrive-queue") = require("../commands/redrive-queue");
  return redriveQueue(aws, queues, options, context.io);
}

export function registerDeadLetters(program: Command, context: CommandContext): void {
  const { io } = context;
  const command = program.command("dead-letters").description("bring failed events back: replay the processor's, redrive a queue's");

  addReplayOptions(
    command.command("replay").description("invoke the processor again with each dead letter's original event; delete it once accepted"),
    "replay",
  )
    .addHelpText("after", "\nExample:\n  npx image-pipeline dead-letters replay --outputs outputs.json --max 100")
    .action((options: ReplayOptions, self: Command) =>
      againstDeployment(context, self, (aws, deployment) => replay().replayDeadLetters(aws, deployment, options, io)),
    );

  addReplayOptions(
    command
      .command("redrive")
      .description("move the dead letters of the derivatives queue or the event queue back to that queue, unchanged")
      .addOption(
        new Option("--queue <queue>", "whose dead letters: the derivatives requests', or EventBridge delivery's upload events")
          .choices(Object.keys(REDRIVEN))
          .makeOptionMandatory(),
      ),
    "move back",
  )
    .addHelpText("after", "\nExample:\n  npx image-pipeline dead-letters redrive --queue derivatives --env prod --dry-run")
    .action((options: ReplayOptions & { queue: RedrivenQueue }, self: Command) =>
      againstDeployment(context, self, (aws, deployment) => redrive(aws, deployment, options.queue, options, context)),
    );

  // Deprecated: one command did both, by --queue.
  addReplayOptions(program.command("replay-dead-letters", { hidden: true }), "replay")
    .addOption(new Option("--queue <queue>").choices(["processor", ...Object.keys(REDRIVEN)]).default("processor"))
    .action((options: ReplayOptions & { queue: "processor" | RedrivenQueue }, self: Command) => {
      const { queue } = options;
      if (queue === "processor") deprecated(io, "replay-dead-letters", "dead-letters replay");
      else deprecated(io, `replay-dead-letters --queue ${queue}`, `dead-letters redrive --queue ${queue}`);
      return againstDeployment(context, self, (aws, deployment) =>
        queue === "processor"
          ? replay().replayDeadLetters(aws, deployment, options, io)
          : redrive(aws, deployment, queue, options, context),
      );
    });
}
