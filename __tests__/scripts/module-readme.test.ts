// The module README's generators (scripts/terraform-docs.mjs, module-resources.mjs, module-readme.mjs):
// the reference tables in terraform-docs' own format (its golden files' lines), what is created
// when, in the caller's inputs, and the committed README's inputs without repetition.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** A function of a script, called with `args`, from a Node process (jest here loads no ES modules). */
const call = (script: string, name: string, ...args: unknown[]): any =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(join(ROOT, "scripts", script))}); console.log(JSON.stringify(m[${JSON.stringify(name)}](...${JSON.stringify(args)})));`,
      ],
      { encoding: "utf8" },
    ),
  );

describe("terraformDocs", () => {
  const module = {
    terraform: { required_version: ">= 1.9", required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100, < 7.0" } } },
    variable: {
      "string-1": { type: "string", default: "bar", description: "It's string number one." },
      input_with_underscores: { type: "any", description: "A variable with underscores." },
      "input-with-pipe": { type: "string", default: "v1", description: "It includes v1 | v2 | v3" },
      "list-1": { type: "list", default: ["a", "b", "c"], description: "It's list number one." },
      "no-escape-default-value": {
        type: "string",
        default: "VALUE_WITH_UNDERSCORE",
        description: "The description contains `something_with_underscore`. Defaults to 'VALUE_WITH_UNDERSCORE'.",
      },
      "with-url": { type: "string", default: "", description: "The description contains url. https://www.domain.com/foo/bar_baz.html" },
      string_default_null: { type: "string", default: null },
    },
    output: { "output-1": { value: "${1}", description: "It's output number one." } },
    resource: { aws_s3_bucket_policy: { images: {} }, aws_s3_bucket: { images: {} } },
    data: { aws_caller_identity: { current: {} } },
    module: { derivatives: { source: "./modules/derivatives", count: "${1}" } },
  };

  it("writes terraform-docs' markdown table (anchors, escapes, Required column, registry links) between its markers", () => {
    const docs: string = call("terraform-docs.mjs", "terraformDocs", module);

    // Each line as terraform-docs' golden files have it (format/testdata/markdown/table-*.golden, escaping on).
    expect(docs.split("\n")).toEqual([
      "<!-- BEGIN_TF_DOCS -->",
      "## Requirements",
      "",
      "| Name | Version |",
      "| ---- | ------- |",
      '| <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) | >= 1.9 |',
      '| <a name="requirement_aws"></a> [aws](#requirement\\_aws) | >= 5.100, < 7.0 |',
      "",
      "## Providers",
      "",
      "| Name | Version |",
      "| ---- | ------- |",
      '| <a name="provider_aws"></a> [aws](#provider\\_aws) | >= 5.100, < 7.0 |',
      "",
      "## Modules",
      "",
      "| Name | Source | Version |",
      "| ---- | ------ | ------- |",
      '| <a name="module_derivatives"></a> [derivatives](#module\\_derivatives) | ./modules/derivatives | n/a |',
      "",
      "## Resources",
      "",
      "| Name | Type |",
      "| ---- | ---- |",
      "| [aws_s3_bucket.images](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket) | resource |",
      "| [aws_s3_bucket_policy.images](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy) | resource |",
      "| [aws_caller_identity.current](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/caller_identity) | data source |",
      "",
      "## Inputs",
      "",
      "| Name | Description | Type | Default | Required |",
      "| ---- | ----------- | ---- | ------- | :------: |",
      '| <a name="input_input-with-pipe"></a> [input-with-pipe](#input\\_input-with-pipe) | It includes v1 \\| v2 \\| v3 | `string` | `"v1"` | no |',
      '| <a name="input_input_with_underscores"></a> [input\\_with\\_underscores](#input\\_input\\_with\\_underscores) | A variable with underscores. | `any` | n/a | yes |',
      '| <a name="input_list-1"></a> [list-1](#input\\_list-1) | It\'s list number one. | `list` | <pre>[<br/>  "a",<br/>  "b",<br/>  "c"<br/>]</pre> | no |',
      '| <a name="input_no-escape-default-value"></a> [no-escape-default-value](#input\\_no-escape-default-value) | The description contains `something_with_underscore`. Defaults to \'VALUE\\_WITH\\_UNDERSCORE\'. | `string` | `"VALUE_WITH_UNDERSCORE"` | no |',
      '| <a name="input_string-1"></a> [string-1](#input\\_string-1) | It\'s string number one. | `string` | `"bar"` | no |',
      '| <a name="input_string_default_null"></a> [string\\_default\\_null](#input\\_string\\_default\\_null) | n/a | `string` | `null` | no |',
      '| <a name="input_with-url"></a> [with-url](#input\\_with-url) | The description contains url. https://www.domain.com/foo/bar_baz.html | `string` | `""` | no |',
      "",
      "## Outputs",
      "",
      "| Name | Description |",
      "| ---- | ----------- |",
      '| <a name="output_output-1"></a> [output-1](#output\\_output-1) | It\'s output number one. |',
      "<!-- END_TF_DOCS -->",
    ]);
  });

  it("renders a multi-line description as terraform-docs does: <br/> for line breaks, <pre> for a fenced block", () => {
    const text =
      'This is a complicated one. We need a newline.\nAnd an example in a code block\n```\ndefault     = [\n  "machine rack01:neptune"\n]\n```\n';

    expect(call("terraform-docs.mjs", "cell", text)).toBe(
      'This is a complicated one. We need a newline.<br/>And an example in a code block<pre>default     = [<br/>  "machine rack01:neptune"<br/>]</pre>',
    );
  });
});

describe("moduleResources", () => {
  it("says when each resource exists in the caller's inputs: counts, for_each, and a child module's through the call", () => {
    const module = {
      locals: { enabled: "${length(var.derivatives) > 0}" },
      resource: {
        aws_sqs_queue: { always: {}, events: { count: '${(var.event_delivery == "eventbridge") ? 1 : 0}' } },
        aws_sns_topic_subscription: { subscribers: { for_each: "${{ for key, val in var.subscriptions: tostring(key) => val }}" } },
      },
      module: { derivatives: { source: "./modules/derivatives", count: "${local.enabled ? 1 : 0}", logging: "${var.create_bucket}" } },
    };
    const child = { resource: { aws_s3_bucket_logging: { derivatives: { count: "${var.logging ? 1 : 0}" } } } };

    const rows = call("module-resources.mjs", "moduleResources", module, { "./modules/derivatives": child });

    expect(rows).toEqual([
      {
        address: 'aws_sns_topic_subscription.subscribers["<key>"]',
        type: "aws_sns_topic_subscription",
        when: ["one per entry of `subscriptions`"],
      },
      { address: "aws_sqs_queue.always", type: "aws_sqs_queue", when: [] },
      { address: "aws_sqs_queue.events[0]", type: "aws_sqs_queue", when: ['`event_delivery == "eventbridge"`'] },
      {
        address: "module.derivatives[0].aws_s3_bucket_logging.derivatives[0]",
        type: "aws_s3_bucket_logging",
        when: ["`length(derivatives) > 0`", "`create_bucket = true`"],
      },
    ]);
  });
});

describe("the module's README (docs/terraform-module.md, what the release ships)", () => {
  const readme = readFileSync(join(ROOT, "docs", "terraform-module.md"), "utf8");
  const section = (title: string) => readme.split(`\n## ${title}\n`)[1]?.split("\n## ")[0] ?? "";

  it("states each rule of the accepted values once, on the input it is about", () => {
    const rows = section("Accepted values")
      .split("\n")
      .filter((line) => /^\| [a-z_]+ \|/.test(line));
    const createBucket = rows.find((row) => row.startsWith("| create_bucket |"))!;

    for (const row of rows) {
      const rules = row.split(" | ")[1].split("; ");
      expect({ row, repeated: rules.filter((rule, i) => rules.indexOf(rule) !== i) }).toEqual({ row, repeated: [] });
    }
    expect(createBucket).not.toContain("it is a setting of the bucket itself");
    expect(rows.find((row) => row.startsWith("| access_log_retention_days |"))).toContain("it is a setting of the bucket itself");
  });

  it("lists each input once in terraform-docs' table, inside its markers, and the guide's sections before it", () => {
    const docs = readme.slice(readme.indexOf("<!-- BEGIN_TF_DOCS -->"), readme.indexOf("<!-- END_TF_DOCS -->"));
    const inputs = [...docs.matchAll(/^\| <a name="input_([\w-]+)"><\/a>/gm)].map((m) => m[1]);

    expect(inputs.length).toBeGreaterThan(40);
    expect(new Set(inputs).size).toBe(inputs.length);
    expect(readme.match(/^## .*/gm)).toEqual(
      expect.arrayContaining([
        "## Use a release",
        "## A bucket you do not own",
        "## Your own key",
        "## Decommissioning",
        "## Dead letters, and replaying them without Node",
        "## Upgrading",
        "## What is tested, and what is not",
        "## What it creates, and when",
      ]),
    );
    expect(section("What it creates, and when")).toContain("| `aws_kms_key.pipeline[0]` | aws_kms_key | `create_kms_key = true` |");
  });
});
