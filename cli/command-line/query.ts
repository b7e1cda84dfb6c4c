// `image-pipeline query`: the items of a time range, from the time index.
import { type Command, Option } from "commander";
import { ITEM_STATUSES } from "../core/item-status";
import { FORMATS, type Format } from "../core/output";
import { CliError, EXIT } from "../errors";
import { type CommandContext, addPipelineOptions, againstDeployment } from "./context";
import { isoDate } from "./values";

export function registerQuery(program: Command, context: CommandContext): void {
  addPipelineOptions(
    program
      .command("query")
      .description("the items uploaded in a time range, from the time index")
      .requiredOption("--from <time>", "start of the range (ISO 8601)", isoDate)
      .requiredOption("--to <time>", "end of the range (ISO 8601), included", isoDate)
      .addOption(new Option("--status <status>", "only items of this status").choices(ITEM_STATUSES))
      .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      "\nExample:\n  npx image-pipeline query --env prod --from 2026-11-27T00:00:00Z --to 2026-11-28T00:00:00Z --status rejected --format csv",
    )
    .action((options: { from: Date; to: Date; status?: string; format: Format }, self: Command) => {
      if (options.from > options.to) throw new CliError("--from must not be after --to", EXIT.usage);
      return againstDeployment(context, self, (aws, deployment) => {
        const { query }: typeof import("../commands/query") = require("../commands/query");
        return query(aws, deployment, options, context.io);
      });
    });
}
