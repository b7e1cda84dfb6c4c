// Docs that cannot rot: every relative link in every Markdown file of the repository resolves to a
// file inside it, and every anchor to a heading of its page (GitHub's rule for heading ids) or to an HTML anchor.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import MarkdownIt from "markdown-it";

const ROOT = join(__dirname, "..", "..");
const markdown = new MarkdownIt({ html: true });

/** Every Markdown file git tracks or would (not the ignored ones), by its path from the root. */
const pages = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.md"], { cwd: ROOT, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);

/** GitHub's heading id: lower case, punctuation dropped, spaces as hyphens, a repeated id numbered. */
function headingIds(text: string): Set<string> {
  const ids = new Set<string>();
  const tokens = markdown.parse(text, {});
  tokens.forEach((token, i) => {
    if (token.type !== "heading_open") return;
    const inline = tokens[i + 1].children ?? [];
    const words = inline.map((child) => child.content).join("");
    const id = words
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
      .replace(/\s/g, "-");
    let unique = id;
    for (let n = 1; ids.has(unique); n++) unique = `${id}-${n}`;
    ids.add(unique);
  });
  return ids;
}

/** The page's HTML anchors (`<a name="input_environment"></a>`, as terraform-docs writes its table rows'). */
const htmlAnchors = (text: string): Set<string> => new Set([...text.matchAll(/<a (?:name|id)="([^"]+)">/g)].map((m) => m[1]));

/** Every link and image target of a page (code blocks and code spans are not links). */
function targets(text: string): string[] {
  const found: string[] = [];
  const walk = (tokens: ReturnType<typeof markdown.parse>) => {
    for (const token of tokens) {
      if (token.type === "link_open") found.push(String(token.attrGet("href") ?? ""));
      if (token.type === "image") found.push(String(token.attrGet("src") ?? ""));
      if (token.children) walk(token.children);
    }
  };
  walk(markdown.parse(text, {}));
  return found;
}

/** What is wrong with one target of `page`, or undefined. */
function problem(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: ...
  const [path, anchor] = target.split("#", 2);
  const file = path === "" ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path));
  if (relative(ROOT, file).startsWith("..")) return `${target}: outside the repository`;
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith(".md")) return `${target}: an anchor into a file that is not Markdown`;
  const text = readFileSync(file, "utf8");
  return headingIds(text).has(anchor) || htmlAnchors(text).has(anchor) ? undefined : `${target}: no heading with that id`;
}

describe("the Markdown files' links", () => {
  it("resolve: every relative link to a file inside the repository, every anchor to a heading", () => {
    // Arrange
    const links = pages.flatMap((page) => targets(readFileSync(join(ROOT, page), "utf8")).map((target) => ({ page, target })));

    // Act
    const broken = links.flatMap(({ page, target }) => {
      const why = problem(page, target);
      return why ? [`${page}: ${why}`] : [];
    });

    // Assert: it checked the README, the docs and the examples, and found nothing broken.
    expect(pages).toEqual(expect.arrayContaining(["README.md", "CONTRIBUTING.md", "docs/module.md", "examples/basic/README.md"]));
    expect(links.filter(({ target }) => !/^[a-z]+:/i.test(target)).length).toBeGreaterThan(30);
    expect(broken).toEqual([]);
  });

  it("tells a broken link and a broken anchor from good ones", () => {
    const page = "README.md";

    expect(problem(page, "docs/module.md")).toBeUndefined();
    expect(problem(page, "#quickstart")).toBeUndefined();
    expect(problem(page, "docs/no-such-page.md")).toMatch(/no such file/);
    expect(problem(page, "#no-such-heading")).toMatch(/no heading/);
    expect(problem("docs/module.md", "terraform-module.md#input_environment")).toBeUndefined();
    expect(problem("docs/module.md", "terraform-module.md#input_no_such_input")).toMatch(/no heading/);
    expect(problem(page, "../shared/seed/serverless-image-processing.md")).toMatch(/outside the repository/);
  });

  it("names headings as GitHub does", () => {
    const ids = headingIds("# Run it day to day: `image-pipeline`\n\n## Tests\n\n## Tests\n\n## Configuration reference (`Props`)\n");

    expect([...ids]).toEqual(["run-it-day-to-day-image-pipeline", "tests", "tests-1", "configuration-reference-props"]);
  });
});
