import type { ResourceNames } from "../../constructs/naming/names";
import { pipelineAddress } from "../../constructs/naming/terraform-address";
import type { Template } from "./cloudformation-template";

/** What adoption does with a resource of the original CloudFormation design's stack. */
export type Fate = "kept" | "deleted";

/** A Terraform resource of the pipeline that takes over a kept resource, and where its import id comes from. */
export interface Takeover {
  readonly type: string;
  /** Construct path under the pipeline (constructs/naming/terraform-address.ts). */
  readonly path: readonly string[];
  /** The logical id whose physical id is the import id (the resource's own when absent). */
  readonly idOf?: string;
  /**
   * A bucket setting that may be missing (removed by hand, or never made): the command asks S3,
   * and imports it only when it is there; Terraform creates it otherwise.
   */
  readonly optional?: BucketSetting;
}

export type BucketSetting = "encryption" | "publicAccessBlock" | "lifecycle" | "policy";

export interface SourceResource {
  readonly type: string;
  readonly fate: Fate;
  /** What replaces it, in words, for the report. */
  readonly becomes: string;
  /** The physical id the pipeline's naming rules give it; adoption refuses a stack whose resource has another. */
  readonly expected?: (names: ResourceNames, account: string, region: string) => string;
  readonly takeovers?: readonly Takeover[];
}

const onTheBucket = (type: string, id: string, optional?: BucketSetting): Takeover => ({
  type,
  path: ["Store", id],
  idOf: "ImageStorageBucket",
  optional,
});

/**
 * The resources of the original CloudFormation design (its CloudFormation template:
 * __tests__/fixtures/cloudformation-design/serverless-image-processing.yaml), by logical id. The data and
 * what people subscribed to are kept and imported; the rest is code and configuration that
 * CloudFormation deletes with the stack and Terraform makes anew.
 */
export const CLOUDFORMATION_DESIGN: Readonly<Record<string, SourceResource>> = {
  ImageStorageBucket: {
    type: "AWS::S3::Bucket",
    fate: "kept",
    becomes:
      "imported, with its versioning, encryption, public access block and lifecycle; Terraform's settings replace the old ones in place",
    expected: (names, account) => names.bucket(account),
    takeovers: [
      onTheBucket("aws_s3_bucket", "Bucket"),
      onTheBucket("aws_s3_bucket_versioning", "Versioning"),
      onTheBucket("aws_s3_bucket_server_side_encryption_configuration", "Encryption", "encryption"),
      onTheBucket("aws_s3_bucket_public_access_block", "PublicAccessBlock", "publicAccessBlock"),
      onTheBucket("aws_s3_bucket_lifecycle_configuration", "Lifecycle", "lifecycle"),
    ],
  },
  ImageStorageBucketPolicy: {
    type: "AWS::S3::BucketPolicy",
    fate: "kept",
    becomes: "imported (so the bucket is never without its TLS-only policy); the pipeline's policy replaces it in place",
    takeovers: [onTheBucket("aws_s3_bucket_policy", "Policy", "policy")],
  },
  ImageMetadataTable: {
    type: "AWS::DynamoDB::Table",
    fate: "kept",
    becomes: "imported; UploadTimestampIndex is replaced by the time index in the same table, and the items stay",
    expected: (names) => names.table,
    takeovers: [{ type: "aws_dynamodb_table", path: ["Table", "Table"] }],
  },
  ProcessingNotificationTopic: {
    type: "AWS::SNS::Topic",
    fate: "kept",
    becomes: "imported with its subscriptions (confirmed e-mail addresses stay confirmed)",
    expected: (names, account, region) => `arn:aws:sns:${region}:${account}:${names.topic}`,
    takeovers: [{ type: "aws_sns_topic", path: ["Notifications", "Topic"] }],
  },
  LambdaLogGroup: {
    type: "AWS::Logs::LogGroup",
    fate: "kept",
    becomes: "imported with the old function's logs (the new function has the same name and logs here)",
    expected: (names) => names.logGroup,
    takeovers: [{ type: "aws_cloudwatch_log_group", path: ["Processor", "LogGroup"] }],
  },
  ImageProcessorLambda: {
    type: "AWS::Lambda::Function",
    fate: "deleted",
    becomes: "the Node.js processor of the same name",
    expected: (names) => names.function,
  },
  LambdaExecutionRole: { type: "AWS::IAM::Role", fate: "deleted", becomes: "the processor's least-privilege role" },
  LambdaInvokePermission: { type: "AWS::Lambda::Permission", fate: "deleted", becomes: "the new function's permission for the bucket" },
  S3BucketNotification: {
    type: "Custom::S3BucketNotification",
    fate: "deleted",
    becomes: "the native aws_s3_bucket_notification (its deletion empties the bucket's notifications first)",
  },
  S3NotificationLambdaRole: { type: "AWS::IAM::Role", fate: "deleted", becomes: "nothing: no custom resource is needed" },
  S3NotificationLambda: { type: "AWS::Lambda::Function", fate: "deleted", becomes: "nothing: no custom resource is needed" },
  LambdaErrorAlarm: {
    type: "AWS::CloudWatch::Alarm",
    fate: "deleted",
    becomes: "the alarm of the same name",
    expected: (names) => names.alarms.errors,
  },
  LambdaThrottleAlarm: {
    type: "AWS::CloudWatch::Alarm",
    fate: "deleted",
    becomes: "the alarm of the same name",
    expected: (names) => names.alarms.throttles,
  },
  DynamoDBThrottleAlarm: {
    type: "AWS::CloudWatch::Alarm",
    fate: "deleted",
    becomes: "the alarm of the same name",
    expected: (names) => names.alarms.tableWriteThrottles,
  },
  MonitoringDashboard: {
    type: "AWS::CloudWatch::Dashboard",
    fate: "deleted",
    becomes: "the dashboard of the same name",
    expected: (names) => names.dashboard,
  },
};

export const KEPT = Object.entries(CLOUDFORMATION_DESIGN)
  .filter(([, r]) => r.fate === "kept")
  .map(([id]) => id);

/** Statuses of a stack that is not in the middle of something and can be updated. */
const STABLE = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

/** What the command read of the stack, the caller and the table. */
export interface StackFacts {
  readonly stackName: string;
  readonly status: string;
  /** From the stack's ARN. */
  readonly stackAccount: string;
  readonly stackRegion: string;
  readonly callerAccount: string;
  readonly parameters: Readonly<Record<string, string | undefined>>;
  readonly template: Template;
  /** Physical ids from DescribeStackResources, by logical id. */
  readonly physicalIds: Readonly<Record<string, string | undefined>>;
  /** The table's key schema, as DescribeTable gives it. */
  readonly tableKeys?: readonly { AttributeName?: string; KeyType?: string }[];
}

export interface Finding {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly fate: Fate;
  readonly becomes: string;
  /** DeletionPolicy and UpdateReplacePolicy are both Retain in the stack's current template. */
  readonly retained: boolean;
}

export interface Assessment {
  /** Why the stack cannot be adopted; empty when it can. */
  readonly problems: string[];
  readonly findings: Finding[];
}

/**
 * Whether the stack is the original CloudFormation design, deployed for this environment in the caller's account
 * under the names the pipeline gives its resources. Every difference is a problem: a stack that
 * differs would lose or mis-import something.
 */
export function assessStack(facts: StackFacts, names: ResourceNames, environment: string): Assessment {
  const problems: string[] = [];
  const resources = facts.template.Resources ?? {};
  if (!STABLE.includes(facts.status))
    problems.push(`stack ${facts.stackName} is ${facts.status}: wait until it is stable (${STABLE.join(", ")})`);
  if (facts.stackAccount !== facts.callerAccount) {
    problems.push(
      `stack ${facts.stackName} is in account ${facts.stackAccount}, and these credentials are of account ${facts.callerAccount}: adopt it with credentials of its own account`,
    );
  }
  const suffix = facts.parameters.EnvironmentSuffix;
  if (suffix !== environment) {
    problems.push(
      `the stack's EnvironmentSuffix is ${JSON.stringify(suffix ?? null)}, not --env ${environment}: adopt each environment's stack into the pipeline of that environment`,
    );
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const known = CLOUDFORMATION_DESIGN[logicalId];
    if (!known)
      problems.push(
        `resource ${logicalId} (${resource.Type}) is not part of the original CloudFormation design: deleting the stack would delete it; move it out of the stack first`,
      );
    else if (known.type !== resource.Type)
      problems.push(`resource ${logicalId} is a ${resource.Type}; the original CloudFormation design's is a ${known.type}`);
  }
  for (const logicalId of KEPT) {
    if (!resources[logicalId])
      problems.push(
        `the stack has no ${logicalId} (${CLOUDFORMATION_DESIGN[logicalId].type}): it is not the original CloudFormation design, or was changed`,
      );
  }
  const findings: Finding[] = [];
  for (const [logicalId, design] of Object.entries(CLOUDFORMATION_DESIGN)) {
    const resource = resources[logicalId];
    if (!resource) continue;
    const physicalId = facts.physicalIds[logicalId];
    const expected = design.expected?.(names, facts.callerAccount, facts.stackRegion);
    if (design.fate === "kept" && design.expected && !physicalId)
      problems.push(`${logicalId} has no physical id in the stack: is it created?`);
    if (expected !== undefined && physicalId !== undefined && physicalId !== expected) {
      problems.push(
        `${logicalId} is ${physicalId}; the pipeline's ${environment} names it ${expected}` +
          (design.fate === "kept" ? ": Terraform would make a new one beside it, not adopt it" : ": the new one would not replace it"),
      );
    }
    findings.push({
      logicalId,
      type: design.type,
      physicalId,
      fate: design.fate,
      becomes: design.becomes,
      retained: resource.DeletionPolicy === "Retain" && resource.UpdateReplacePolicy === "Retain",
    });
  }
  if (
    facts.tableKeys &&
    !(facts.tableKeys.length === 1 && facts.tableKeys[0].AttributeName === "ImageId" && facts.tableKeys[0].KeyType === "HASH")
  ) {
    problems.push(
      `table ${facts.physicalIds.ImageMetadataTable} is keyed by ${JSON.stringify(facts.tableKeys)}, not by ImageId alone: Terraform would replace it`,
    );
  }
  return { problems, findings };
}

/** Where the import blocks point: the cdktf stack's root module, or a module block of that name. */
export type ImportTarget = { kind: "stack" } | { kind: "module"; name: string };

/**
 * `import` blocks (Terraform ≥ 1.5) that bring the kept resources under the pipeline's addresses;
 * a bucket setting listed in `missing` is left to Terraform to create.
 */
export function importBlocks(findings: readonly Finding[], target: ImportTarget, missing: ReadonlySet<BucketSetting> = new Set()): string {
  const physical = Object.fromEntries(findings.map((f) => [f.logicalId, f.physicalId]));
  const prefix = target.kind === "module" ? `module.${target.name}.` : "";
  const blocks = findings
    .filter((f) => f.fate === "kept")
    .flatMap((f) =>
      (CLOUDFORMATION_DESIGN[f.logicalId].takeovers ?? []).map((t) => {
        const id = physical[t.idOf ?? f.logicalId];
        const to = `${prefix}${pipelineAddress(t.type, t.path)}`;
        if (t.optional && missing.has(t.optional))
          return `# ${f.logicalId}: the bucket has no ${t.optional} setting, so Terraform creates ${to}\n`;
        return `# ${f.logicalId} (${f.type})\nimport {\n  to = ${to}\n  id = ${JSON.stringify(id)}\n}\n`;
      }),
    );
  return blocks.join("\n");
}
