// `image-pipeline backfill` and its modes: `backfill` (this machine invokes the processor),
// `backfill derivatives` (the derivatives function's queue) and `backfill batch` (an S3 Batch
// Operations job). The flags that chose a mode before (--derivatives, --engine, --manifest, --force)
// are kept on `backfill` for one release.
import { type Command, Option } from "commander";
import type { BackfillOptions } from "../commands/backfill-options";
import type { DerivativesBackfillOptions } from "../commands/backfill-derivatives";
import { CliError, EXIT } from "../errors";
import { type CommandContext, addPipelineOptions, againstDeployment, optionsAfterSubcommands } from "./context";
import { deprecated } from "./deprecation";
import { type S3Location, isoDate, positiveInteger, s3Uri } from "./values";

const PREFIX = ["--prefix <prefix>", "only keys under this prefix"] as const;
const SINCE = ["--since <date>", "only objects last modified at or after this date", isoDate] as const;
const START_AFTER = ["--start-after <key>", "resume after this key (printed by an interrupted run)"] as const;
const JSON_SUMMARY = ["--json", "print the summary as JSON", false] as const;
const manifestOption = () =>
  new Option("--manifest <s3-uri>", "an S3 Inventory manifest.json (or a Bucket,Key,VersionId CSV) to use instead of listing")
    .argParser(s3Uri)
    .conflicts("prefix");

// What each mode does, loaded when it runs (it brings the AWS SDK's commands).
const local = (): typeof import("../commands/backfill") => require("../commands/backfill");
const derivatives = (): typeof import("../commands/backfill-derivatives") => require("../commands/backfill-derivatives");
const batch = (): typeof import("../commands/backfill-batch") => require("../commands/backfill-batch");

/** The deprecated flags' options on `backfill`, beside its own. */
interface LegacyModeOptions {
  readonly derivatives?: boolean;
  readonly force?: boolean;
  readonly engine?: "local" | "batch-operations";
  readonly manifest?: S3Location;
}

export function registerBackfill(program: Command, context: CommandContext): void {
  const { io } = context;
  const command = addPipelineOptions(
    program
      .command("backfill")
      .description("send the images already in the bucket to the function, as S3-shaped events (modes: derivatives, batch)")
      .option(...PREFIX)
      .option(...SINCE)
      .option("--rate <objects>", "most objects sent per second (default: no limit)", positiveInteger("--rate"))
      .option("--batch-size <records>", "records per invocation", positiveInteger("--batch-size"), 25)
      .option("--concurrency <invocations>", "invocations in flight at once", positiveInteger("--concurrency"), 8)
      .option(...START_AFTER)
      .option(
        "--reprocess",
        "also send objects whose items an older processor version, or the CloudFormation design's function, wrote (they are replaced in place)",
        false,
      )
      .option("--dry-run", "list and count only; send nothing", false)
      .option(...JSON_SUMMARY)
      // Deprecated: the modes were flags before they were subcommands.
      .addOption(new Option("--derivatives").hideHelp().conflicts("reprocess"))
      .addOption(new Option("--force").hideHelp())
      .addOption(new Option("--engine <engine>").hideHelp().choices(["local", "batch-operations"]))
      .addOption(manifestOption().hideHelp()),
  ).addHelpText(
    "after",
    `
Keys are taken as the deployed function takes them: its formats' suffixes, in any letter case.
Objects already recorded are left alone (without --reprocess); a backfilled event never replaces
an item written from a real upload event.

The modes above (derivatives, batch) take their options after their name; each has its --help.
Until the next release, \`backfill --derivatives [--force]\` and \`backfill --engine batch-operations
[--manifest <s3-uri>]\` still run them, and say so.

Examples:
  npx image-pipeline backfill --env prod --prefix 2026/ --since 2026-01-01 --rate 200
  npx image-pipeline backfill --outputs outputs.json --dry-run`,
  );
  optionsAfterSubcommands(command);
  command.action((options: BackfillOptions & LegacyModeOptions, self: Command) => {
    const mode = legacyMode(options, self, context);
    if (mode === "derivatives")
      return againstDeployment(context, self, (aws, d) =>
        derivatives().backfillDerivatives(aws, d, { ...options, force: !!options.force }, io),
      );
    if (mode === "batch") return againstDeployment(context, self, (aws, d) => batch().backfillWithBatchOperations(aws, d, options, io));
    return againstDeployment(context, self, (aws, d) => local().backfill(aws, d, options, io));
  });

  addPipelineOptions(
    command
      .command("derivatives")
      .description(
        "ask the derivatives function for the renditions that recorded images lack (none yet, or made with settings since changed)",
      )
      .option(...PREFIX)
      .option(...SINCE)
      .option(...START_AFTER)
      .option("--force", "every rendition again, also for images a final outcome (too-large, undecodable) left without", false)
      .option("--dry-run", "count only; send nothing", false)
      .option(...JSON_SUMMARY),
  )
    .addHelpText(
      "after",
      `
One message per image goes to the derivatives queue; images whose renditions are all recorded with
the current settings are left alone, so it is safe to run again. To reprocess the metadata too, run
\`backfill --reprocess\` first: its processed items request their renditions themselves.

Example:
  npx image-pipeline backfill derivatives --env prod --dry-run`,
    )
    .action((options: DerivativesBackfillOptions, self: Command) =>
      againstDeployment(context, self, (aws, d) => derivatives().backfillDerivatives(aws, d, options, io)),
    );

  addPipelineOptions(
    command
      .command("batch")
      .description("create an S3 Batch Operations job that invokes the function on every image (for very large buckets)")
      .option(...PREFIX)
      .addOption(manifestOption())
      .option("--dry-run", "print the CreateJob request; create nothing", false)
      .option(...JSON_SUMMARY),
  )
    .addHelpText(
      "after",
      `
Writes a manifest of the bucket's images to the jobs bucket (or takes --manifest) and creates a job
that invokes the function on each of them (needs batchOperations: true on the pipeline; module:
batch_operations = true). Follow it with \`report batch-job <id>\`.

Examples:
  npx image-pipeline backfill batch --env prod --prefix 2026/
  npx image-pipeline backfill batch --env prod --manifest s3://image-batch-jobs-prod-111122223333/inventory/…/manifest.json`,
    )
    .action((options: { prefix?: string; manifest?: S3Location; dryRun: boolean; json: boolean }, self: Command) =>
      againstDeployment(context, self, (aws, d) => batch().backfillWithBatchOperations(aws, d, options, io)),
    );
}

/** The mode the deprecated flags ask for, their combinations checked as the subcommands check theirs, and the deprecation said. */
function legacyMode(options: BackfillOptions & LegacyModeOptions, command: Command, { io }: CommandContext) {
  const given = (name: string) => command.getOptionValueSource(name) === "cli";
  if (options.engine === "batch-operations") {
    const local = ["since", "rate", "startAfter", "reprocess", "derivatives", "force"].filter(given);
    if (local.length > 0) throw new CliError(`--engine batch-operations does not take ${local.map(flag(command)).join(", ")}`, EXIT.usage);
    deprecated(io, "backfill --engine batch-operations", "backfill batch");
    return "batch";
  }
  if (options.manifest) throw new CliError("--manifest goes with `backfill batch`", EXIT.usage);
  if (options.force && !options.derivatives) throw new CliError("--force goes with `backfill derivatives`", EXIT.usage);
  if (options.derivatives) {
    deprecated(io, `backfill --derivatives${options.force ? " --force" : ""}`, `backfill derivatives${options.force ? " --force" : ""}`);
    return "derivatives";
  }
  if (given("engine")) deprecated(io, "backfill --engine local", "backfill");
  return "local";
}

const flag = (command: Command) => (name: string) => command.options.find((o) => o.attributeName() === name)!.long!;
