// `image-pipeline diagram`: what a synthesized stack or a plan creates, drawn.
import { type Command, Option } from "commander";
import { DIAGRAM_FORMATS } from "../commands/diagram";
import { addConfigurationOptions } from "./configuration-options";
import type { CommandContext } from "./context";

export function registerDiagram(program: Command, context: CommandContext): void {
  addConfigurationOptions(
    program.command("diagram").description("draw what a synthesized stack or a plan creates, and how data flows between it"),
  )
    .addOption(new Option("--format <format>", "svg (Graphviz), mermaid (for Markdown), or dot").choices(DIAGRAM_FORMATS).default("svg"))
    .option("--out <file>", "write it to this file (default: stdout)")
    .option("--title <title>", "the diagram's title (default: the stack's name, or the plan file's)")
    .addHelpText(
      "after",
      "\nExamples:\n  npx image-pipeline diagram --out pipeline.svg\n  terraform show -json tfplan > plan.json && npx image-pipeline diagram --plan plan.json --format mermaid",
    )
    .action(async (options) => {
      const { diagram }: typeof import("../commands/diagram") = require("../commands/diagram");
      context.exit(await diagram(options, context.io));
    });
}
