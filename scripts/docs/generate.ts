/**
 * What `npm run docs` writes, as a pure function of the sources, so a unit test can regenerate it
 * and fail when the committed copies are stale: the architecture diagrams of three configurations
 * (SVG through Graphviz, and Mermaid), a page per construct (docs/constructs/), and the generated
 * sections of the docs: the diagrams (docs/architecture.md), the cost table (docs/derivatives.md) and
 * the index of the construct pages and the parts' props (docs/library.md); and the settings' TSDoc summaries the module's
 * variables are described by (constructs/config/prop-docs.ts).
 */
import * as path from "node:path";
import { Testing } from "cdktf";
import { fromSynthesized } from "../../cli/core/configuration/synthesized";
import { costReport } from "../../cli/core/cost/report";
import { defaultUsage } from "../../cli/core/cost/usage";
import { architectureOf } from "../../cli/core/diagram/architecture";
import { toMermaid } from "../../cli/core/diagram/mermaid";
import { toSvg } from "../../cli/core/diagram/svg";
import { EnvironmentStack, type EnvironmentStackProps } from "../../constructs/shipping/environment-stack";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import {
  constructIndexMarkdown,
  constructPageMarkdown,
  constructPages,
  constructPropsMarkdown,
  resourceTypesByConstruct,
} from "./construct-pages";
import { costTable } from "./cost-table";
import { PROP_DOCS_FILE, propDocs, propDocsModule } from "./prop-docs";

/** The repository's root (this file is scripts/docs/generate.ts, or its bundle in .build/docs/). */
const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The app's dev stack as main.ts declares it, which `image-pipeline diagram` draws by default
 * (main.test.ts checks the default picture against the stack `npm run synth` writes).
 */
const DEV: EnvironmentStackProps = { environment: "dev", region: "us-east-1", dataProtection: false };

/** The configurations drawn: the dev stack, with derivatives, and an existing bucket through EventBridge. */
export const DIAGRAMS: readonly { file: string; title: string; props: EnvironmentStackProps }[] = [
  { file: "default", title: "The dev stack: every option at its default, data protection off", props: DEV },
  { file: "derivatives", title: "With derivatives (EXAMPLE_RENDITIONS)", props: { ...DEV, derivatives: EXAMPLE_RENDITIONS } },
  {
    file: "eventbridge-existing-bucket",
    title: "EventBridge delivery from a bucket the pipeline does not own, with S3 Batch Operations",
    props: { ...DEV, eventDelivery: "eventbridge", existingBucket: { name: "media-uploads-example" }, batchOperations: true },
  },
];

/** One configuration as `cdktf synth` writes it. */
export function synthesized(props: EnvironmentStackProps): unknown {
  const stack = new EnvironmentStack(Testing.app(), `image-processing-${props.environment}`, props);
  return JSON.parse(Testing.synth(stack));
}

/** The configurations whose resources the construct pages list: together, every optional part on. */
const EVERY_PART: readonly EnvironmentStackProps[] = [
  {
    environment: "prod",
    region: "us-east-1",
    derivatives: EXAMPLE_RENDITIONS,
    batchOperations: true,
    accessLogging: true,
    notificationEmail: "ops@example.com",
  },
  { environment: "dev", region: "us-east-1", eventDelivery: "eventbridge", derivatives: EXAMPLE_RENDITIONS, batchOperations: true },
];

/** Replaces what lies between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`. */
export function replaceSection(text: string, name: string, content: string): string {
  const [begin, end] = [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`];
  const [from, to] = [text.indexOf(begin), text.indexOf(end)];
  if (from < 0 || to < from) throw new Error(`no ${begin} ... ${end} section`);
  return `${text.slice(0, from + begin.length)}\n${content.trimEnd()}\n${text.slice(to)}`;
}

/** The pages with generated sections: where the diagrams and the cost table go. */
export const PAGES = { diagrams: "docs/architecture.md", cost: "docs/derivatives.md", constructs: "docs/library.md" } as const;

/** Every generated file by its path from the root; the pages from their current text (`read`), their sections replaced. */
export async function generatedDocs(read: (file: string) => string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const configurations = DIAGRAMS.map((d) => ({ ...d, configuration: fromSynthesized(synthesized(d.props)) }));
  for (const { file, title, configuration } of configurations) {
    const diagram = architectureOf(configuration);
    files[`docs/diagrams/${file}.mmd`] = toMermaid(diagram, title);
    files[`docs/diagrams/${file}.svg`] = await toSvg(diagram, title);
  }
  // The pages are in docs/, beside the diagrams' folder.
  const images = DIAGRAMS.map((d) => `**${d.title}**\n\n![${d.title}](diagrams/${d.file}.svg)\n`).join("\n");
  const [plain, withDerivatives] = configurations;
  files[PAGES.diagrams] = replaceSection(read(PAGES.diagrams), "diagrams", images);
  files[PAGES.cost] = replaceSection(
    read(PAGES.cost),
    "cost",
    costTable((uploadsPerDay, which, months) =>
      costReport((which === "derivatives" ? withDerivatives : plain).configuration, defaultUsage(uploadsPerDay, 12), "us-east-1", {
        months,
      }),
    ),
  );
  const created = resourceTypesByConstruct(
    EVERY_PART.map((props) => new EnvironmentStack(Testing.app(), `image-processing-${props.environment}`, props)),
  );
  const pages = constructPages(ROOT, created);
  for (const page of pages) files[page.file] = constructPageMarkdown(page);
  const library = replaceSection(read(PAGES.constructs), "constructs", constructIndexMarkdown(pages));
  files[PAGES.constructs] = replaceSection(library, "props", constructPropsMarkdown(pages));
  files[PROP_DOCS_FILE] = propDocsModule(propDocs(ROOT));
  return files;
}
