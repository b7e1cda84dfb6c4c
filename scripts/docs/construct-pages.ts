/**
 * A page per construct the library exports (docs/constructs/<name>.md), as AWS Solutions Constructs
 * have one: what it is (the class's TSDoc), its props (each prop's TSDoc, whether it is required, its
 * `@default`), and the AWS resource types it creates (found in synthesized configurations with every
 * optional part on).
 * Read from the sources with the TypeScript compiler, so a prop added with its TSDoc is on its page at
 * the next `npm run docs`, and the docs test fails until it is.
 */
import * as path from "node:path";
import { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import * as ts from "typescript";

export interface PropRow {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  readonly description: string;
}

export interface ConstructPage {
  /** The exported class. */
  readonly name: string;
  /** Where the page goes, from the repository's root. */
  readonly file: string;
  /** The class's own source file, from the repository's root. */
  readonly source: string;
  readonly summary: string;
  readonly props: readonly PropRow[];
  /** Terraform resource types (`aws_s3_bucket`) it created in the configurations synthesized for the pages. */
  readonly resourceTypes: readonly string[];
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();

/** A symbol's TSDoc text without its tags but its `@remarks`, and its `@default`. */
function documentation(symbol: ts.Symbol, checker: ts.TypeChecker): { text: string; defaultValue?: string } {
  const tags = symbol.getJsDocTags(checker);
  const tagText = (name: string) => {
    const tag = tags.find((t) => t.name === name);
    return tag ? oneLine(ts.displayPartsToString(tag.text)) : undefined;
  };
  const summary = oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker)));
  const remarks = tagText("remarks");
  return { text: remarks ? `${summary} ${remarks}` : summary, defaultValue: tagText("default") };
}

/**
 * Terraform resource types by the class of every construct above each resource in `scopes` (the
 * stacks synthesized for the pages): what each construct created in those configurations.
 */
export function resourceTypesByConstruct(scopes: readonly IConstruct[]): Map<string, Set<string>> {
  const byClass = new Map<string, Set<string>>();
  for (const scope of scopes) {
    for (const node of scope.node.findAll()) {
      if (!TerraformResource.isTerraformResource(node)) continue;
      for (const above of node.node.scopes.slice(0, -1)) {
        const name = above.constructor.name;
        if (!byClass.has(name)) byClass.set(name, new Set());
        byClass.get(name)!.add(node.terraformResourceType);
      }
    }
  }
  return byClass;
}

/** Every exported class of `entry` whose constructor takes `(scope, id, props: …Props)`: its page's content. */
export function constructPages(root: string, created: Map<string, Set<string>>, entry = "constructs/index.ts"): ConstructPage[] {
  const program = ts.createProgram([path.join(root, entry)], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, entry))!)!;
  const pages: ConstructPage[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.find(ts.isClassDeclaration);
    const classConstructor = declaration?.members.find(ts.isConstructorDeclaration);
    const propsParameter = classConstructor?.parameters[2];
    if (!declaration || !propsParameter || classConstructor.parameters[1]?.name.getText() !== "id") continue;
    const propsType = checker.getTypeAtLocation(propsParameter);
    // Constructs take a props interface (`MetadataTableProps`); a stack may take other things third.
    if (!/Props$/.test(checker.typeToString(propsType))) continue;
    const props = propsType
      .getProperties()
      .map((prop) => {
        const { text, defaultValue } = documentation(prop, checker);
        const type = checker.typeToString(
          checker.getTypeOfSymbolAtLocation(prop, propsParameter),
          undefined,
          ts.TypeFormatFlags.NoTruncation,
        );
        return {
          name: prop.name,
          type: type.replace(/ \| undefined$/, ""),
          required: !(prop.flags & ts.SymbolFlags.Optional),
          defaultValue,
          description: text,
        };
      })
      .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
    const source = declaration.getSourceFile();
    pages.push({
      name: symbol.name,
      file: `docs/constructs/${kebab(symbol.name)}.md`,
      source: path.relative(root, source.fileName).split(path.sep).join("/"),
      summary: documentation(symbol, checker).text,
      props,
      resourceTypes: [...(created.get(symbol.name) ?? [])].sort(),
    });
  }
  return pages.sort((a, b) => a.name.localeCompare(b.name));
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** A construct's page as Markdown. */
export function constructPageMarkdown(page: ConstructPage): string {
  const rows = page.props.map(
    (p) =>
      `| \`${p.name}\` | \`${cell(p.type)}\` | ${p.required ? "yes" : "no"} | ${p.defaultValue ? cell(p.defaultValue) : p.required ? "" : "—"} | ${cell(p.description)} |`,
  );
  return [
    `# \`${page.name}\``,
    "",
    "<!-- Generated by `npm run docs` from the TSDoc in the sources; do not edit. -->",
    "",
    page.summary,
    "",
    `Source: [\`${page.source}\`](../../${page.source}). All constructs: [the construct library](../library.md).`,
    "",
    "## Props",
    "",
    "| Prop | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "## AWS resources it creates",
    "",
    "With every optional part on (some only when a prop asks for them):",
    "",
    page.resourceTypes.length > 0
      ? page.resourceTypes.map((type) => `- \`${type}\``).join("\n")
      : "None of its own: it changes what the constructs in it create.",
    "",
  ].join("\n");
}

/** The constructs that compose the others; their pages list their many props, the parts' table leaves them out. */
const COMPOSED = new Set(["ImageProcessingPipeline", "EnvironmentStack"]);

/** The parts' props at a glance, for docs/library.md's generated section: each default is on the part's page. */
export function constructPropsMarkdown(pages: readonly ConstructPage[]): string {
  const names = (props: readonly PropRow[]) => props.map((p) => `\`${p.name}\``).join(", ");
  return [
    "| Construct | Required props | Optional props (defaults on its page) |",
    "| --- | --- | --- |",
    ...pages
      .filter((p) => !COMPOSED.has(p.name))
      .map((p) => {
        const required = p.props.filter((prop) => prop.required);
        const optional = p.props.filter((prop) => !prop.required);
        return `| [\`${p.name}\`](${p.file.replace(/^docs\//, "")}) | ${names(required)} | ${names(optional)} |`;
      }),
  ].join("\n");
}

/** The index of the pages, for docs/library.md's generated section. */
export function constructIndexMarkdown(pages: readonly ConstructPage[]): string {
  return [
    "| Construct | What it is |",
    "| --- | --- |",
    ...pages.map((p) => `| [\`${p.name}\`](${p.file.replace(/^docs\//, "")}) | ${cell(p.summary.split(/(?<=\.)\s/)[0])} |`),
  ].join("\n");
}
