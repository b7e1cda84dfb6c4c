// The `image-pipeline` command lines the docs show, made into argument lists the CLI's own parser
// can take: command lines of fenced code blocks and inline code spans, with the shell's syntax cut
// and each `<placeholder>` given a plausible value. Synopses (`[--option]`, `a | b`) are set apart:
// they describe many command lines, not one.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: true });

/** One command line of the docs: where it is, as written, and the arguments after `image-pipeline`. */
export interface CliExample {
  /** `docs/operations.md:55`: the command's line, or for a span its block's first line (from 1). */
  readonly where: string;
  readonly written: string;
  readonly args: readonly string[];
  /**
   * A "command line" is to be run as written. A span of prose with no option names a command
   * ("`image-pipeline backfill batch` needs …"): it says which, not how to run it, so it is checked as a name.
   */
  readonly kind: "command line" | "command name";
}

export interface CollectedExamples {
  readonly examples: readonly CliExample[];
  /** Synopsis lines, set apart: `cost --uploads-per-day <n> [--months <n>] [--stack <dir> | --plan <plan.json>]`. */
  readonly synopses: readonly string[];
}

/**
 * The files the examples are read from in a run: what `--outputs`, `--usage-file`, `--plan` and
 * `--stack` name, so a command gets past reading them. `--stack <dir>` and the default stack
 * (cdktf.out/stacks/image-processing-dev) are the same folder.
 */
export const EXAMPLE_FILES = {
  outputs: "outputs.json",
  usage: "usage.yml",
  plan: "plan.json",
  stack: join("cdktf.out", "stacks", "image-processing-dev"),
} as const;

/** A plausible value for each placeholder the docs use, by its name; `--option <name>` first where one name means several things. */
const PLACEHOLDERS: Record<string, string> = {
  "--stack <dir>": EXAMPLE_FILES.stack,
  "--outputs <file>": EXAMPLE_FILES.outputs,
  "<plan.json>": EXAMPLE_FILES.plan,
  "<command>": "backfill",
  "<job id>": "2f1c1e36-5d0b-4e0a-9a51-0c1b2d3e4f50",
  "<the job id it printed>": "2f1c1e36-5d0b-4e0a-9a51-0c1b2d3e4f50",
  "<stack name>": "image-processing-dev",
  "<env>": "dev",
  "<region>": "us-east-1",
  // The folder S3 Inventory delivers a report into: `<bucket>/<config>/<date>/manifest.json`.
  "<...>": "image-store-dev/images/2026-12-07T01-00Z",
};

/** What `$(…)` stands for in an example: the only one the docs use is today's date (`$(date -u +%F)`). */
const SUBSTITUTION_VALUE = "2026-12-07";

/** README.md, every page under docs/ (the generated ones too), and each example's README, by path from `root`. */
export function examplePages(root: string): string[] {
  const docs = readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`);
  const examples = readdirSync(join(root, "examples"))
    .map((example) => `examples/${example}/README.md`)
    .filter((file) => existsSync(join(root, file)));
  return ["README.md", ...docs, ...examples].sort();
}

/** Command lines of a fenced block, by their offset in it: `\\` continuations joined, and each line that runs the command (also after `&&`). */
function blockLines(content: string): { offset: number; line: string }[] {
  const lines: { offset: number; line: string }[] = [];
  content.split("\n").forEach((text, offset) => {
    const last = lines.at(-1);
    if (last?.line.endsWith("\\"))
      lines[lines.length - 1] = { offset: last.offset, line: `${last.line.slice(0, -1).trimEnd()} ${text.trim()}` };
    else lines.push({ offset, line: text });
  });
  return lines.filter(({ line }) => /(?:^|&&\s*)(?:npx )?image-pipeline(?:\s|$)/.test(line.trim()));
}

/** Arguments of a shell word list: split at blanks, quotes kept together and removed. */
function words(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** `line` as the arguments `image-pipeline` gets: the shell's syntax cut, placeholders filled; throws on a placeholder it does not know. */
export function exampleArgs(line: string): string[] {
  const command = line
    .replace(/\$\([^)]*\)/g, SUBSTITUTION_VALUE)
    .replace(/(?:^|\s)#.*$/, "") // a comment
    .split(/\s(?:&&|\||>|2>)\s/) // the other commands of a pipeline or list, and redirections
    .find((part) => /^(?:npx )?image-pipeline(?:\s|$)/.test(part.trim()));
  if (!command) throw new Error(`no image-pipeline command in: ${line}`);
  const filled = command.replace(/(--[a-z-]+ )?(<[^>]+>)/g, (_, option: string | undefined, name: string) => {
    const value = (option && PLACEHOLDERS[`${option}${name}`]) ?? PLACEHOLDERS[name];
    if (value === undefined) throw new Error(`no plausible value for ${name} in: ${line} (add one to PLACEHOLDERS)`);
    return `${option ?? ""}${value}`;
  });
  return words(filled.trim().replace(/^(?:npx )?image-pipeline\s*/, ""));
}

/** A synopsis: optional parts in brackets, or alternatives (`a | b`, in prose; in a code block `|` is a pipe). */
const isSynopsis = (line: string, inProse: boolean) => /\[[^\]]*\]/.test(line) || (inProse && / \| /.test(line));

/** Every example in `pages` (paths from `root`). */
export function collectExamples(root: string, pages: readonly string[]): CollectedExamples {
  const examples: CliExample[] = [];
  const synopses: string[] = [];
  const take = (where: string, written: string, inProse: boolean) => {
    if (isSynopsis(written, inProse)) synopses.push(`${where}: ${written}`);
    else {
      const args = exampleArgs(written);
      examples.push({ where, written, args, kind: inProse && !args.some((arg) => arg.startsWith("-")) ? "command name" : "command line" });
    }
  };
  for (const page of pages) {
    // A span's line is its block's (the nearest token before it that has one: table cells' have none).
    let line = 0;
    const walk = (tokens: ReturnType<typeof markdown.parse>) => {
      for (const token of tokens) {
        line = token.map?.[0] ?? line;
        const at = `${page}:${line + 1}`;
        if (token.type === "fence" || token.type === "code_block") {
          // A fence's content starts on the line after its opening.
          const first = line + (token.type === "fence" ? 2 : 1);
          for (const { offset, line: command } of blockLines(token.content)) take(`${page}:${first + offset}`, command, false);
        }
        // A span's line breaks are spaces (CommonMark), so a span wrapped over two lines is one command.
        if (token.type === "code_inline" && /^(?:npx )?image-pipeline /.test(token.content)) take(at, token.content, true);
        if (token.children) walk(token.children);
      }
    };
    walk(markdown.parse(readFileSync(join(root, page), "utf8"), {}));
  }
  return { examples, synopses };
}
