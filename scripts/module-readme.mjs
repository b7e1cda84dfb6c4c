// Generates the Terraform module's README from the synthesized module (and its derivatives child),
// so its tables cannot drift from the module: the guide for a team with only Terraform
// (module-guide.mjs), what is created when (module-resources.mjs), the values each input accepts,
// and the reference tables as terraform-docs writes them (terraform-docs.mjs). The released tree
// ships it; CI compares it with docs/terraform-module.md.
import { guideSections } from "./module-guide.mjs";
import { moduleResources } from "./module-resources.mjs";
import { cell, terraformDocs } from "./terraform-docs.mjs";

/**
 * What each input accepts, in its validations' words, attributed to the input a message names
 * ("Invalid force_destroy: ...") rather than to the variable whose validation states it (a rule
 * between two inputs sits on one of them), each rule once.
 */
export function acceptedValues(module) {
  const rules = new Map();
  // The variables' validations, and the resources' preconditions that refuse an input by name (a value given
  // without its switch: a precondition, so that Terraform shows where).
  const preconditions = Object.values(module.resource ?? {})
    .flatMap((byName) => Object.values(byName))
    .flatMap((resource) => resource.lifecycle?.precondition ?? [])
    .filter(({ error_message: message }) => /^Invalid \w+: /.test(message));
  const checks = Object.entries(module.variable ?? {})
    .map(([name, spec]) => [name, spec.validation ?? []])
    .concat([[undefined, preconditions]]);
  for (const [name, validations] of checks) {
    for (const { error_message: message } of validations) {
      const [, subject = name, rest = message] = message.match(/^Invalid (\w+): (.*)$/s) ?? [];
      // The list of offenders some messages end with (a template over the variable) is for plans, not for the table.
      const rule = rest
        .replace(/ \(\$\{.*\}\)\.$/, ".")
        .replace(/^must be /, "")
        .replace(/\.$/, "");
      const target = subject in (module.variable ?? {}) ? subject : name;
      if (!rules.has(target)) rules.set(target, []);
      if (!rules.get(target).includes(rule)) rules.get(target).push(rule);
    }
  }
  return [...rules.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The generated diagrams as Mermaid blocks, which the registries' and forges' Markdown viewers draw. */
const architecture = (diagrams) =>
  diagrams.length === 0
    ? []
    : [
        "## Architecture",
        "",
        "Drawn from synthesized configurations of the module's project.",
        "",
        // Without the diagram's first line, a comment on how the project generates it.
        ...diagrams.flatMap(({ title, mermaid }) => [
          `### ${title}`,
          "",
          "```mermaid",
          mermaid.replace(/^%%.*\n/, "").trimEnd(),
          "```",
          "",
        ]),
      ];

/**
 * @param module the synthesized module
 * @param outputNames PIPELINE_OUTPUTS (constructs/shipping/pipeline-outputs.ts): each output's name in the stacks and in the module
 * @param diagrams the architecture diagrams `npm run docs` generates (docs/diagrams/*.mmd), as `{ title, mermaid }`
 * @param children the synthesized child modules by their source (`./modules/derivatives`), for the resources they add
 */
export function moduleReadme(module, outputNames, diagrams = [], children = {}) {
  return [
    "# Terraform module: serverless image processing",
    "",
    "<!-- Generated from the synthesized module; do not edit by hand. -->",
    "",
    "A plain Terraform child module with the whole pipeline: private versioned image bucket, Lambda",
    "processor, DynamoDB metadata table, SNS notifications, dead-letter queue, KMS key, alarms and dashboard.",
    "It has no backend and no provider configuration: configure `aws` (region, credentials, `default_tags`)",
    "in the calling module. Complete root modules: `examples/basic`, `examples/two-instances` (two instances",
    "side by side with `for_each`, one with derivatives, one with EventBridge delivery) and",
    "`examples/existing-bucket-own-key` (a bucket and a KMS key of yours).",
    "",
    ...guideSections(module),
    ...architecture(diagrams),
    "## Several instances",
    "",
    "Bucket and role names are global, and every other name is unique per account and region: give each",
    "instance of one environment its own `name_prefix`, whether they share a region or not. With `for_each`",
    "(see `examples/two-instances`):",
    "",
    "```hcl",
    'module "image_processing" {',
    '  source   = "https://artifacts.example.com/terraform-aws-image-processing-<version>.tgz"',
    '  for_each = toset(["blue", "green"])',
    "",
    '  environment = "dev"',
    "  name_prefix = each.key # blue-image-storage-bucket-dev-<account id>, blue-ImageMetadata-dev, ...",
    "}",
    "```",
    "",
    "In another region, use a provider alias (`providers = { aws = aws.eu }`) and a prefix such as `euw1`.",
    "",
    "## Derivatives (opt-in)",
    "",
    "`derivatives` lists renditions to make of every processed image. With at least one, the child module",
    "`modules/derivatives` is counted in: an encrypted queue and its dead-letter queue, an arm64 function",
    "with sharp/libvips, a private derivatives bucket, three alarms, and an inline policy letting the",
    "processor send to the queue. Without, none of it exists and the `derivatives_*` outputs are null.",
    "",
    "```hcl",
    "  derivatives = [",
    '    { name = "thumbnail", width = 320, height = 320, fit = "cover", quality = 75 },',
    '    { name = "large", width = 1920, height = 1920 }, # fit "inside", format "webp" by default',
    "  ]",
    "```",
    "",
    "## Object keys and letter case",
    "",
    "The bucket notifies the function of every new object: S3's suffix filters are case-sensitive, so",
    "filters would miss `photo.Jpg`. The function inspects keys that end in a suffix of `formats` in any",
    "letter case (`.jpg`, `.JPG`, `.Jpg`, ...) and skips every other key without reading it, counted in",
    "the `ObjectsSkipped` metric. Each skipped object still costs one short invocation: keep other files",
    "out of the image bucket.",
    "",
    "## What it creates, and when",
    "",
    'Every resource\'s address (`[0]` for one counted in or out, `["<key>"]` for one per map entry) and',
    "the inputs that create it:",
    "",
    "| Address | Type | Created when |",
    "| --- | --- | --- |",
    ...moduleResources(module, children).map(
      ({ address, type, when }) => `| \`${address}\` | ${type} | ${when.length > 0 ? when.join(" and ") : "always"} |`,
    ),
    "",
    "## Accepted values",
    "",
    "What `terraform plan` refuses, input by input (beside each variable's type):",
    "",
    "| Input | Accepted |",
    "| --- | --- |",
    ...acceptedValues(module).map(([name, rules]) => `| ${name} | ${cell(rules.join("; "))} |`),
    "",
    "## Reference",
    "",
    "As `terraform-docs markdown table` (0.22 or later) writes it: a team that runs it on this module gets no diff.",
    "",
    terraformDocs(module),
    "",
    "## Output names in the cdktf stacks",
    "",
    "The project's cdktf stacks keep the source CloudFormation template's output names; the module uses",
    'Terraform\'s snake_case. Outputs marked "module only" have no counterpart in the stacks.',
    "",
    "| Module output | Stack output |",
    "| --- | --- |",
    ...outputNames.map((o) => `| ${o.moduleName} | ${o.stackName ?? "module only"} |`),
    "",
  ].join("\n");
}
