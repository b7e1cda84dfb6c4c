// The released module's README sections for a team that has only `terraform` and the AWS CLI: how
// to take a release, what an existing bucket's owner and a key's owner do, decommissioning, dead
// letters, upgrading and what is tested. Names of inputs and outputs are checked against the module
// (guideSections throws on one it lacks), so the text cannot name an input that is gone.
// Each shell block whose first line is `# replay: <mode>` is run against the emulator by
// __tests__/integration/dead-letters-aws-cli.integration.test.ts, as written here.

import { createRequire } from "node:module";

const { MODULE: NAME } = createRequire(import.meta.url)("./release-cut.cjs");

/** The dead-letter replays with the AWS CLI and jq, one per delivery mode: what `image-pipeline dead-letters replay` does. */
export const REPLAYS = {
  // Lambda's on-failure records: the original S3 event is `requestPayload`; SQS cannot hand it back to the function.
  "s3-notification": [
    "# replay: s3-notification",
    "QUEUE=$(terraform output -raw dead_letter_queue_url)",
    "FUNCTION=$(terraform output -raw lambda_function_name)",
    'while msg=$(aws sqs receive-message --queue-url "$QUEUE" --max-number-of-messages 1 --visibility-timeout 300 --output json) && [ -n "$msg" ]; do',
    "  receipt=$(printf '%s' \"$msg\" | jq -r '.Messages[0].ReceiptHandle')",
    "  body=$(printf '%s' \"$msg\" | jq -r '.Messages[0].Body')",
    "  failed_in=$(printf '%s' \"$body\" | jq -r '.requestContext.functionArn // empty' 2>/dev/null | cut -d: -f7)",
    '  if [ "$failed_in" != "$FUNCTION" ]; then',
    "    echo \"left in the queue: $(printf '%s' \"$msg\" | jq -r '.Messages[0].MessageId') is not a failure record of $FUNCTION\" >&2",
    "    continue",
    "  fi",
    "  printf '%s' \"$body\" | jq -c '.requestPayload' > event.json",
    '  status=$(aws lambda invoke --function-name "$FUNCTION" --invocation-type Event --payload fileb://event.json --query StatusCode --output text /dev/null)',
    '  if [ "$status" = 202 ]; then aws sqs delete-message --queue-url "$QUEUE" --receipt-handle "$receipt"; fi',
    "done",
  ],
  // Plain queue messages: back to the queue they failed from, body unchanged (the pipeline's carry no attributes).
  eventbridge: queueReplay("eventbridge", "event_dead_letter_queue_url", "event_queue_url"),
  derivatives: queueReplay("derivatives", "derivatives_dead_letter_queue_url", "derivatives_queue_url"),
};

function queueReplay(mode, from, to) {
  return [
    `# replay: ${mode}`,
    `FROM=$(terraform output -raw ${from})`,
    `TO=$(terraform output -raw ${to})`,
    'while msg=$(aws sqs receive-message --queue-url "$FROM" --max-number-of-messages 1 --visibility-timeout 300 --output json) && [ -n "$msg" ]; do',
    "  printf '%s' \"$msg\" | jq -j '.Messages[0].Body' > body.txt",
    '  aws sqs send-message --queue-url "$TO" --message-body file://body.txt > /dev/null &&',
    '    aws sqs delete-message --queue-url "$FROM" --receipt-handle "$(printf \'%s\' "$msg" | jq -r \'.Messages[0].ReceiptHandle\')"',
    "done",
  ];
}

const sh = (lines) => ["```sh", ...lines, "```"];

/** The guide's sections, as lines; `module` is the synthesized module (its variables and outputs are checked by name). */
export function guideSections(module) {
  const named = new Set([...Object.keys(module.variable ?? {}), ...Object.keys(module.output ?? {})]);
  const code = (name) => {
    if (!named.has(name)) throw new Error(`the module README names ${name}, which the module has no variable or output of`);
    return `\`${name}\``;
  };
  const set = (name, value) => code(name).replace(/`$/, ` = ${value}\``);
  const protectedByFlag = named.has("data_protection");
  return [
    "## Use a release",
    "",
    "Each release is an archive whose root is this module, with a `SHA256SUMS` beside it, and a tag",
    "`v<version>` of the module's repository (each release's commit is the previous release's child, so",
    "`main` follows the releases). Take either; Terraform needs nothing else (no Node, no clone of the",
    "project that builds it):",
    "",
    "```hcl",
    'module "image_processing" {',
    "  # The archive, its bytes pinned: Terraform checks the checksum (the archive's line in SHA256SUMS) before unpacking.",
    `  source = "https://artifacts.example.com/${NAME}-<version>.tgz?checksum=sha256:<sha256 of the archive>"`,
    "  # or the tag of the module's repository:",
    `  # source = "git::https://git.example.com/platform/${NAME}.git?ref=v<version>"`,
    "",
    '  environment        = "prod"',
    '  notification_email = "ops@example.com"',
    "}",
    "```",
    "",
    "Beside the downloaded archive, `sha256sum --check --ignore-missing SHA256SUMS` checks it. Its other lines",
    `name the files under \`${NAME}/\`: extracted into a folder of that name beside \`SHA256SUMS\`, \`sha256sum --check SHA256SUMS\``,
    "also checks each function zip (`assets/`) and its CycloneDX SBOM (`*.zip.cdx.json`).",
    "The examples in `examples/` take the module they ship in (their `source` is its root);",
    "a copy of one elsewhere takes one of the sources above.",
    "",
    "## A bucket you do not own",
    "",
    `With ${set("create_bucket", "false")} and ${code("existing_bucket_name")}, the module processes the images of`,
    "that bucket and creates no bucket, bucket policy, lifecycle, access logging or notification",
    `configuration; destroy leaves the bucket and its objects. It needs ${set("event_delivery", '"eventbridge"')}.`,
    "What the bucket's owner does (`examples/existing-bucket-own-key`):",
    "",
    "1. Turn on the bucket's EventBridge delivery, which leaves its other notifications as they are:",
    "   `eventbridge = true` on the owner's `aws_s3_bucket_notification`, or",
    "   `aws s3api put-bucket-notification-configuration` with the existing configuration plus",
    '   `"EventBridgeConfiguration": {}`.',
    "2. If the bucket's policy denies by default, admit the roles for reads (`s3:GetObject`,",
    `   \`s3:GetObjectVersion\`, \`s3:ListBucket\`, \`s3:ListBucketVersions\`): ${code("lambda_role_arn")} and, with`,
    "   derivatives, the derivatives function's role. AWS refuses a policy naming a role that does not",
    "   exist yet, so this follows the first apply; until then the reads fail and the events wait in the",
    "   dead-letter queue (see below).",
    `3. With SSE-KMS, give the bucket's key as ${code("existing_bucket_kms_key_arn")} with ${set("use_bucket_kms_key", "true")}:`,
    "   the roles get `kms:Decrypt` through S3 on that key only; its policy must delegate to IAM or name them.",
    "",
    "## Your own key",
    "",
    `With ${set("create_kms_key", "false")} and ${code("existing_kms_key_arn")}, the table, topic, queues and log groups`,
    "are encrypted with your key and the module makes none. The key's policy must admit, before the first",
    `apply, what the output ${code("kms_key_policy_statements")} lists (CloudWatch alarms publishing to the encrypted`,
    "topic, CloudWatch Logs for this instance's log groups and, with EventBridge delivery, EventBridge",
    "sending to the encrypted queues): without them, alarms are dropped and the log groups refused. The statements are",
    "built from names, so `terraform plan` prints them; the example above outputs them for the key's owner.",
    "",
    "## Decommissioning",
    "",
    ...(protectedByFlag
      ? [
          `The module protects its data while ${code("data_protection")} is true (the default): the buckets keep`,
          "their objects on destroy and the table has deletion protection. To remove an instance and its data:",
          "set `data_protection = false`, `terraform apply` (it lifts the protection), then `terraform destroy`.",
          "",
          "`prod` refuses `data_protection = false`, so a production instance is removed on purpose, outside",
          "Terraform first: lift the table's deletion protection",
          `(\`aws dynamodb update-table --table-name <name> --no-deletion-protection-enabled\`, the name being the ${code("dynamodb_table_name")}`,
          "output), empty every bucket of every object version and delete marker (the access-log bucket too: it",
          "logs every request to the image bucket, Terraform's own included), then `terraform destroy`. A",
          "`terraform destroy` of a protected instance removes everything else and then stops at the table and",
          "the buckets that still hold objects: the data stays.",
        ]
      : [
          `The module keeps its data by default: the image bucket is not emptied on destroy`,
          `(${set("force_destroy", "false")}) and the table has deletion protection (${set("deletion_protection", "true")}). To remove an instance`,
          "and its data: set `force_destroy = true` and `deletion_protection = false`, `terraform apply`, then",
          "`terraform destroy`. `force_destroy = true` is refused for `prod`: there, empty the bucket of every",
          "object version first. The access-log bucket logs every request to the image bucket, Terraform's",
          "own included: empty it as well.",
        ]),
    "",
    "## Dead letters, and replaying them without Node",
    "",
    `What the function could not process after its retries waits in a dead-letter queue, ${module.variable.dead_letter_retention_days?.default} days by`,
    `default (${code("dead_letter_retention_days")}); the alarms say when one arrives. The project's Node command line replays them too;`,
    "with the AWS CLI and `jq` alone, run these in the root module, which exposes the module's outputs",
    "of the same names (or set the variables by hand).",
    "",
    `**S3-notification delivery** (the default): ${code("dead_letter_queue_url")} holds Lambda's on-failure records, each`,
    "the original S3 event (`requestPayload`) and the error. SQS's redrive cannot hand them back to the",
    "function, which is invoked by S3, not by a queue: invoke the function again with each original event,",
    "and delete the record once Lambda accepted the invocation (202). A message that is not a failure",
    "record of this function stays in the queue (visible again after 5 minutes). Writes are idempotent:",
    "replaying an event that did get recorded changes nothing.",
    "",
    ...sh(REPLAYS["s3-notification"]),
    "",
    `**EventBridge delivery**: ${code("event_dead_letter_queue_url")} holds the events the function failed on; they go`,
    `back to ${code("event_queue_url")}, unchanged. On AWS, SQS's own redrive does the same`,
    "(`aws sqs start-message-move-task --source-arn <dead-letter queue ARN>`):",
    "",
    ...sh(REPLAYS.eventbridge),
    "",
    `**Derivatives**: ${code("derivatives_dead_letter_queue_url")} back to ${code("derivatives_queue_url")}, the same way:`,
    "",
    ...sh(REPLAYS.derivatives),
    "",
    "## Upgrading",
    "",
    "Read the release's `CHANGELOG.md` first. Resource addresses are public interface: a rename ships",
    "with `moved` blocks, so upgrading plans moves and in-place updates only. Check the plan before",
    "applying: nothing of the module should be destroyed or replaced. New inputs come with defaults that",
    "keep the previous behaviour unless the changelog says otherwise.",
    "",
    "## What is tested, and what is not",
    "",
    "Tested on each release: `terraform validate` of every example; the module's own `terraform test`",
    "(`tests/`, a mocked provider, no credentials); with real Terraform against an AWS emulator (moto),",
    "apply, a tag change, re-plan and the decommission above (`data_protection = false`, apply, destroy, to",
    "an empty state) of `examples/two-instances` taken from the archive's URL with no Node on the `PATH`,",
    "an image processed by each instance; the checked-out `git::` tag equal to the",
    "archive; the upgrade from the previous release's addresses; the dead-letter commands above.",
    `Not tested: a real AWS account (the emulator stands in); \`hashicorp/aws\` 6.x, which the version`,
    `constraint (${module.terraform.required_providers.aws?.version}) admits and the module avoids differences with, but the tests run 5.x;`,
    "OpenTofu, which reads the same configuration, but no test runs it.",
    "",
  ];
}
