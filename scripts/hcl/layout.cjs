// Which file of the released module each block goes in: by concern, as a hand-written module is
// laid out. A resource's concern comes from its type where the type says it (every IAM role and
// policy together, every alarm beside the dashboard), else from the part of the pipeline that
// made it: the construct path cdktf records in its metadata (Pipeline/Store/Bucket → storage).
// A part this table does not know goes to main.tf, so a new construct lands somewhere readable.
"use strict";

/** The files, in the order a reader meets them, each with the comment that opens it. */
const FILES = {
  "versions.tf": "The Terraform and provider versions the module works with.",
  "variables.tf": "The module's inputs.",
  "main.tf": "What the module reads of the account, values several files share, and what no other file's concern covers.",
  "storage.tf": "S3 buckets, each locked down the same way.",
  "metadata.tf": "The DynamoDB table of image metadata.",
  "keys.tf": "The KMS key that encrypts the pipeline's data at rest.",
  "processor.tf": "The processing function, its log group and the queue its failed events land in.",
  "delivery.tf": "How uploads reach the processing function: S3 notifications, or EventBridge through a queue.",
  "notifications.tf": "The SNS topic of results and alarms, its policy and subscriptions.",
  "derivatives.tf": "The opt-in derivatives part, a child module (modules/derivatives).",
  "monitoring.tf": "The CloudWatch alarms and dashboard.",
  "iam.tf": "The IAM roles and their policies: what each function and job may do.",
  "outputs.tf": "The module's outputs.",
  "moved.tf": "Renames since earlier releases: Terraform moves their state instead of replacing the resources.",
};

/** Resource types whose concern their type says. */
const BY_TYPE = [
  [/^aws_iam_/, "iam.tf"],
  [/^aws_kms_/, "keys.tf"],
  [/^aws_cloudwatch_(metric_alarm|composite_alarm|dashboard)$/, "monitoring.tf"],
];

/**
 * Parts of the pipeline (construct ids on a resource's path, or a run of them) and their file; the
 * one nearest the path's root wins (the events' dead-letter queue, Events/DeadLetterQueue, is delivery's).
 */
const BY_PART = {
  Store: "storage.tf",
  BatchOperations: "storage.tf",
  Table: "metadata.tf",
  Key: "keys.tf",
  Processor: "processor.tf",
  "Pipeline/DeadLetterQueue": "processor.tf",
  Events: "delivery.tf",
  ObjectCreatedNotification: "delivery.tf",
  Notifications: "notifications.tf",
  DerivativesModule: "derivatives.tf",
  Monitoring: "monitoring.tf",
};

const BY_KIND = { terraform: "versions.tf", variable: "variables.tf", output: "outputs.tf", moved: "moved.tf", data: "main.tf" };

/** The file of a resource or module call, from its type and its construct path. */
function fileOf({ kind, type, config }) {
  if (BY_KIND[kind]) return BY_KIND[kind];
  const byType = kind === "resource" && BY_TYPE.find(([pattern]) => pattern.test(type));
  if (byType) return byType[1];
  const path = config?.["//"]?.metadata?.path?.split("/") ?? [];
  for (let i = 0; i < path.length; i += 1) {
    const part = Object.keys(BY_PART).find((run) => run.split("/").every((id, j) => path[i + j] === id));
    if (part) return BY_PART[part];
  }
  return "main.tf";
}

/**
 * The rendered blocks (render.cjs) grouped by file: { file: blocks }. A local goes where the
 * blocks that read it are when they are all in one file (a dashboard's body beside the dashboard),
 * else in main.tf; locals that read only locals follow their readers the same way.
 */
function layOut(rendered) {
  const placed = new Map();
  const locals = rendered.filter((b) => b.kind === "locals");
  for (const b of rendered) if (b.kind !== "locals") placed.set(b, fileOf(b));
  // Readers first, then the locals they read: repeat until no local moves (a chain settles in its length).
  const readers = (name) => [...placed.entries()].filter(([b]) => !(b.kind === "locals" && b.name === name) && refersTo(b.text, name));
  for (let pass = 0; pass <= locals.length; pass += 1) {
    for (const local of locals) {
      const files = new Set(readers(local.name).map(([, file]) => file));
      placed.set(local, files.size === 1 ? [...files][0] : "main.tf");
    }
  }
  const byFile = {};
  for (const [b, file] of placed) (byFile[file] ??= []).push(b);
  const order = Object.keys(FILES);
  return Object.fromEntries(
    Object.entries(byFile).sort(([a], [b]) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1)),
  );
}

const refersTo = (text, name) => new RegExp(`\\blocal\\.${name}\\b`).test(text);

module.exports = { FILES, layOut };
