import { writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type ConfigurationSource, DEFAULT_STACK, readSource } from "../core/configuration/read";
import { fromSynthesized } from "../core/configuration/synthesized";
import { architectureOf } from "../core/diagram/architecture";
import { toDot } from "../core/diagram/dot";
import { toMermaid } from "../core/diagram/mermaid";
import { planActions, planConfiguration } from "../core/diagram/plan-marks";
import { toSvg } from "../core/diagram/svg";
import { type Io, line } from "../io";

export const DIAGRAM_FORMATS = ["svg", "mermaid", "dot"] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export interface DiagramOptions extends ConfigurationSource {
  readonly format: DiagramFormat;
  readonly out?: string;
  readonly title?: string;
}

/** A title that names the source without this machine's paths: the stack's folder, or the plan file's name. */
export function titleOf(source: ConfigurationSource): string {
  if (source.plan) return `plan ${basename(source.plan)}`;
  const stack = source.stack ?? DEFAULT_STACK;
  return basename(stack) === "cdk.tf.json" ? basename(dirname(resolve(stack))) : basename(resolve(stack));
}

/** The diagram of a configuration in one format. */
export async function drawDiagram(options: DiagramOptions, cwd: string): Promise<string> {
  const read = readSource(options, cwd);
  // A plan is drawn with both its sides, what it destroys too, each node marked with what the plan does to it.
  const diagram =
    read.kind === "plan" ? architectureOf(planConfiguration(read.plan), planActions(read.plan)) : architectureOf(fromSynthesized(read.tf));
  const title = options.title ?? titleOf(options);
  if (options.format === "mermaid") return toMermaid(diagram, title);
  return options.format === "dot" ? toDot(diagram, title) : toSvg(diagram, title);
}

/** `image-pipeline diagram`: writes the diagram to --out, or to stdout. */
export async function diagram(options: DiagramOptions, io: Io, cwd = process.cwd()): Promise<number> {
  const drawn = await drawDiagram(options, cwd);
  if (!options.out) {
    io.stdout.write(drawn);
    return 0;
  }
  writeFileSync(resolve(cwd, options.out), drawn);
  line(io.stderr, `wrote ${options.out}`);
  return 0;
}
