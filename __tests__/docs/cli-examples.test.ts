// Docs whose commands cannot rot: every `image-pipeline …` command line that README.md, the pages
// under docs/ (the generated ones too) and the examples' READMEs show is one the CLI takes — its
// own parser finds no usage error (exit 2) and it prints no "deprecated" line for an earlier release's shape.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliExample, EXAMPLE_FILES, collectExamples, examplePages } from "../helpers/cli-examples";
import { runCli } from "../helpers/run-cli";

const ROOT = join(__dirname, "..", "..");
const { examples, synopses } = collectExamples(ROOT, examplePages(ROOT));

/** The examples' files, as small as the commands take: what they name is read before any AWS call, so a wrong format would fail them. */
function writeExampleFiles(dir: string): void {
  // `terraform output -json` of a pipeline: the outputs every command needs (cli/deployment.ts).
  const outputs = {
    s3_bucket_name: "image-store-dev-111122223333",
    dynamodb_table_name: "ImageMetadata-dev",
    lambda_function_arn: "arn:aws:lambda:us-east-1:111122223333:function:ImageProcessor-dev",
    dead_letter_queue_url: "https://sqs.us-east-1.amazonaws.com/111122223333/ImageProcessor-dev-dlq",
  };
  writeFileSync(
    join(dir, EXAMPLE_FILES.outputs),
    JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }]))),
  );
  writeFileSync(join(dir, EXAMPLE_FILES.usage), "uploads_per_day: 100000\nmean_megapixels: 8\n");
  // `terraform show -json` of a plan that creates nothing, in a region the price table holds.
  const plan = {
    format_version: "1.2",
    planned_values: { root_module: {} },
    configuration: { provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "us-east-1" } } } }, root_module: {} },
  };
  writeFileSync(join(dir, EXAMPLE_FILES.plan), JSON.stringify(plan));
  mkdirSync(join(dir, EXAMPLE_FILES.stack), { recursive: true });
  writeFileSync(
    join(dir, EXAMPLE_FILES.stack, "cdk.tf.json"),
    JSON.stringify({ provider: { aws: [{ region: "us-east-1" }] }, resource: {} }),
  );
}

describe("the docs' image-pipeline examples", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cli-examples-"));
    writeExampleFiles(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are found: the operations page's and the README's, and more besides", () => {
    // Arrange
    const pages = new Set(examples.map((example) => example.where.split(":")[0]));

    // Assert: the collector reads code blocks and spans of several pages (a floor near today's
    // count, so an extraction that silently finds nothing fails); synopses are set apart, not run.
    expect(examples.length).toBeGreaterThanOrEqual(45);
    expect(pages.size).toBeGreaterThanOrEqual(10);
    expect([...pages]).toEqual(expect.arrayContaining(["README.md", "docs/operations.md", "docs/terraform-module.md"]));
    expect(synopses.length).toBeGreaterThanOrEqual(2);
  });

  const described = (kind: CliExample["kind"]) =>
    examples.filter((example) => example.kind === kind).map((example) => [`${example.where}: ${example.written}`, example] as const);

  // Each runs in-process in a folder holding the files it names. The AWS client factory throws, so
  // a command that reads the deployed pipeline stops there with exit 1, after its command line
  // was checked: that is expected. `diagram` and `cost` read only their files and may finish.
  it.each(described("command line"))("%s: the CLI takes it (no usage error, not deprecated)", async (_, example) => {
    // Act
    const result = await runCli([...example.args], dir);

    // Assert
    expect({ args: example.args, stderr: result.stderr, code: result.code === 2 ? "2 (bad usage)" : "not 2" }).toEqual({
      args: example.args,
      stderr: expect.not.stringMatching(/deprecated/i),
      code: "not 2",
    });
  });

  // A name is one the CLI has: its --help is that command's, and its parent's help lists it (an
  // earlier release's command, kept for one release, is hidden from the list).
  it.each(described("command name"))("%s: names a command the CLI lists", async (_, example) => {
    // Act
    const own = await runCli([...example.args, "--help"], dir);
    const parent = await runCli([...example.args.slice(0, -1), "--help"], dir);

    // Assert
    const name = example.args.at(-1)!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect(own).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^Usage: image-pipeline ${example.args.join(" ")} `)) });
    expect(parent.stdout).toMatch(new RegExp(`^  ${name}(?: |$)`, "m"));
  });
});
