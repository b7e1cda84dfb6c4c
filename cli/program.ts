import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type AwsClients, awsClients } from "./aws";
import { type BackfillOptions, backfill } from "./commands/backfill";
import { query } from "./commands/query";
import { replayDeadLetters } from "./commands/replay-dead-letters";
import { redriveQueue } from "./commands/redrive-queue";
import { report } from "./commands/report";
import { reportBatchJob } from "./commands/report-batch-job";
import { backfillWithBatchOperations } from "./commands/backfill-batch";
import { parseDate } from "./core/days";
import { FORMATS, type Format } from "./core/output";
import { type Deployment, type DeploymentOptions, noCredentials, resolveDeployment } from "./deployment";
import { CliError, EXIT, isCredentialsError } from "./errors";
import { type Io, line } from "./io";
import { addReviewCommands } from "./review-commands";

const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const date = (value: string) => {
  const parsed = parseDate(value);
  if (!parsed) throw new InvalidArgumentError("not an ISO 8601 date (2026-11-28 or 2026-11-28T10:00:00Z)");
  return parsed;
};

const SOURCE_HELP = `
The pipeline is named by one of:
  --outputs <file>        terraform output -json > file (the module's or a stack's outputs)
  --terraform-dir <dir>   runs terraform output -json there
  --env <env>             the naming rules of the constructs (with --name-prefix if it has one)
AWS configuration is the SDK's: credentials chain, AWS_REGION or --region, AWS_PROFILE or --profile,
AWS_ENDPOINT_URL for an emulator.`;

/** The `image-pipeline` command; `run` returns the exit code instead of exiting, so tests can call it. */
export async function run(
  argv: readonly string[],
  io: Io,
  clients: (options: { region?: string; profile?: string }) => AwsClients = awsClients,
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("image-pipeline")
    .description(
      "Day-2 operations of the serverless image-processing pipeline: backfill, dead-letter replay, reports, queries, and the move from its CloudFormation stack.",
    )
    .option("--env <environment>", "environment of the pipeline, named by the constructs' rules")
    .option("--name-prefix <prefix>", "the pipeline's name prefix (with --env)")
    .option("--outputs <file>", "terraform output -json of the pipeline's stack or module")
    .option("--terraform-dir <dir>", "Terraform working directory to run terraform output -json in")
    .option("--region <region>", "AWS region (default: AWS_REGION, the profile's)")
    .option("--profile <profile>", "AWS shared-config profile (default: AWS_PROFILE)")
    .addHelpText("after", SOURCE_HELP)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  /** Resolves the deployment from the global options, then runs the command. */
  const withDeployment =
    <T>(action: (aws: AwsClients, deployment: Deployment, options: T) => Promise<number>) =>
    async (options: T, command: Command) => {
      const globals = command.optsWithGlobals() as DeploymentOptions & { region?: string; profile?: string };
      const aws = clients({ region: globals.region, profile: globals.profile });
      exitCode = await action(aws, await resolveDeployment(globals, aws), options);
    };

  program
    .command("backfill")
    .description("send the images already in the bucket to the function, as S3-shaped events")
    .option("--prefix <prefix>", "only keys under this prefix")
    .option("--since <date>", "only objects last modified at or after this date", date)
    .option("--rate <objects>", "most objects sent per second (default: no limit)", positiveInteger("--rate"))
    .option("--batch-size <records>", "records per invocation", positiveInteger("--batch-size"), 25)
    .option("--concurrency <invocations>", "invocations in flight at once", positiveInteger("--concurrency"), 8)
    .option("--start-after <key>", "resume after this key (printed by an interrupted run)")
    .option(
      "--reprocess",
      "also send objects whose items an older processor version, or the CloudFormation design's function, wrote (they are replaced in place)",
      false,
    )
    .option(
      "--derivatives",
      "instead, ask the derivatives function for the renditions that recorded images lack (none yet, or made with settings since changed)",
      false,
    )
    .option(
      "--force",
      "with --derivatives: every rendition again, also for images a final outcome (too-large, undecodable) left without",
      false,
    )
    .addOption(
      new Option("--engine <engine>", "who invokes the function: this machine, or S3 Batch Operations (for very large buckets)")
        .choices(["local", "batch-operations"])
        .default("local"),
    )
    .option(
      "--manifest <s3-uri>",
      "with --engine batch-operations: an S3 Inventory manifest.json (or a Bucket,Key,VersionId CSV) to use instead of listing",
    )
    .option("--dry-run", "list and count only; send nothing (batch-operations: print the CreateJob request)", false)
    .option("--json", "print the summary as JSON", false)
    .addHelpText(
      "after",
      `
Keys are taken as the deployed function takes them: its formats' suffixes, in any letter case.
Objects already recorded are left alone (without --reprocess); a backfilled event never replaces
an item written from a real upload event.

With --derivatives, one message per image goes to the derivatives queue; images whose renditions
are all recorded with the current settings are left alone, so it is safe to run again.

With --engine batch-operations, the command writes a manifest of the bucket's images to the jobs
bucket (or takes --manifest) and creates an S3 Batch Operations job that invokes the function on
each of them (needs batchOperations: true on the pipeline); follow it with report --batch-job <id>.

Examples:
  npx image-pipeline backfill --env prod --prefix 2026/ --since 2026-01-01 --rate 200
  npx image-pipeline backfill --env prod --derivatives --dry-run
  npx image-pipeline backfill --env prod --engine batch-operations --manifest s3://image-batch-jobs-prod-111122223333/inventory/…/manifest.json`,
    )
    .action(
      withDeployment<BackfillOptions & { engine: string; manifest?: string }>((aws, deployment, options) => {
        if (options.engine === "local") {
          if (options.manifest) throw new CliError("--manifest goes with --engine batch-operations", EXIT.usage);
          return backfill(aws, deployment, options, io);
        }
        const local = ["since", "rate", "startAfter", "reprocess", "derivatives", "force"].filter((o) => (options as any)[o]);
        if (local.length > 0) throw new CliError(`--engine batch-operations does not take --${local.map(kebab).join(", --")}`, EXIT.usage);
        return backfillWithBatchOperations(aws, deployment, options, io);
      }),
    );

  program
    .command("replay-dead-letters")
    .description("invoke the function again with each dead letter's original event; delete it once accepted")
    .addOption(
      new Option(
        "--queue <queue>",
        "whose dead letters: the processor's (invoked again), or the derivatives' or event queue's (moved back to their queue)",
      )
        .choices(["processor", "derivatives", "events"])
        .default("processor"),
    )
    .option("--max <messages>", "most messages to replay", positiveInteger("--max"))
    .option("--dry-run", "show what would be replayed; leave every message in the queue", false)
    .option("--json", "print the summary as JSON", false)
    .addHelpText("after", "\nExample:\n  npx image-pipeline replay-dead-letters --outputs outputs.json --max 100")
    .action(
      withDeployment<{ max?: number; dryRun: boolean; json: boolean; queue: string }>((aws, deployment, options) => {
        if (options.queue === "processor") return replayDeadLetters(aws, deployment, options, io);
        const part = options.queue === "derivatives" ? deployment.derivatives : deployment.events;
        if (!part?.deadLetterQueueUrl)
          throw new CliError(
            `${deployment.source} names no ${options.queue === "derivatives" ? "derivatives part" : "EventBridge delivery"} (no ${options.queue} dead-letter queue)`,
          );
        const what = options.queue === "derivatives" ? "derivatives requests" : "upload events";
        return redriveQueue(aws, { what, queueUrl: part.queueUrl, deadLetterQueueUrl: part.deadLetterQueueUrl }, options, io);
      }),
    );

  program
    .command("report")
    .description("items per day by status, the latest problems, dead letters waiting and alarms firing")
    .option("--days <n>", "days to cover, today included (UTC)", positiveInteger("--days"), 7)
    .option("--latest <n>", "how many of the latest rejected, missing or unreadable objects to list", positiveInteger("--latest"), 10)
    .option("--batch-job <id>", "instead, summarise a Batch Operations backfill's completion report: succeeded, and failed by reason")
    .option("--json", "print JSON for scripts", false)
    .addHelpText(
      "after",
      "\nExamples:\n  npx image-pipeline report --env dev --days 3 --json\n  npx image-pipeline report --env prod --batch-job 8a1c…",
    )
    .action(
      withDeployment<{ days: number; latest: number; json: boolean; batchJob?: string }>((aws, deployment, options) =>
        options.batchJob
          ? reportBatchJob(aws, deployment, options.batchJob, options, io)
          : report(aws, deployment, { ...options, now: new Date() }, io),
      ),
    );

  program
    .command("query")
    .description("the items uploaded in a time range, from the time index")
    .requiredOption("--from <time>", "start of the range (ISO 8601)", date)
    .requiredOption("--to <time>", "end of the range (ISO 8601), included", date)
    .option("--status <status>", "only items of this status (processed, rejected, missing, unreadable, deleted)")
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .addHelpText(
      "after",
      "\nExample:\n  npx image-pipeline query --env prod --from 2026-11-27T00:00:00Z --to 2026-11-28T00:00:00Z --status rejected --format csv",
    )
    .action(
      withDeployment<{ from: Date; to: Date; status?: string; format: Format }>(async (aws, deployment, options) => {
        if (options.from > options.to) throw new CliError("--from must not be after --to", EXIT.usage);
        return query(aws, deployment, options, io);
      }),
    );

  program
    .command("adopt-cloudformation")
    .description("prepare the move of a running CloudFormation stack of the source design into this pipeline, keeping its data")
    .requiredOption("--stack <name>", "the CloudFormation stack's name")
    .option("--out-dir <dir>", "folder for the Retain template, the import blocks and the runbook (default: adopt-<stack>)")
    .option("--module-name <name>", "the module block's name, for the module's import blocks", "image_processing")
    .option("--json", "print the findings as JSON", false)
    .addHelpText(
      "after",
      `
Needs --env (the source design's names have no prefix, so neither may the pipeline). Reads the stack, checks that it is the source
design for that environment in the caller's account, and writes: the stack's template with
DeletionPolicy and UpdateReplacePolicy Retain on the bucket, its policy, the table, the topic and the
log group; Terraform import blocks for the cdktf stack and for the module; and RUNBOOK.md, the ordered
steps. It changes nothing in AWS, and writes nothing when it refuses (exit 1).

Example:
  npx image-pipeline adopt-cloudformation --stack image-processing-prod --env prod --region us-east-1`,
    )
    .action(async (options: { stack: string; outDir?: string; moduleName: string; json: boolean }, command: Command) => {
      const globals = command.optsWithGlobals() as DeploymentOptions & { region?: string; profile?: string };
      if (!globals.env) throw new CliError("adopt-cloudformation needs --env <environment>: the pipeline the stack moves into", EXIT.usage);
      if (globals.outputs || globals.terraformDir)
        throw new CliError("adopt-cloudformation names the pipeline by --env only: it is not deployed yet", EXIT.usage);
      // The source design's names carry no prefix, so a prefixed pipeline could never take its resources over.
      if (globals.namePrefix)
        throw new CliError(
          "the source design's resources have no name prefix: adopt them into the pipeline of --env alone, without --name-prefix",
          EXIT.usage,
        );
      const aws = clients({ region: globals.region, profile: globals.profile });
      // Loaded here only: it brings cdktf (for the Terraform addresses), the CloudFormation client and
      // a YAML parser, which the day-to-day commands should not pay for on every start.
      const { adoptCloudFormation }: typeof import("./commands/adopt-cloudformation") = require("./commands/adopt-cloudformation");
      exitCode = await adoptCloudFormation(aws, { ...options, environment: globals.env }, io);
    });

  addReviewCommands(program, io, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const known = isCredentialsError(error) ? noCredentials(error) : error;
    if (known instanceof CliError) {
      line(io.stderr, `image-pipeline: ${known.message}`);
      return known.exitCode;
    }
    line(io.stderr, `image-pipeline: ${(error as Error).name}: ${(error as Error).message}`);
    return EXIT.failed;
  }
}
