// Every condition key the pipeline's key, trust, resource and role policies use, with the AWS page that documents
// it for the principal and request it bounds. A key no page documents there is not used: a condition the
// service does not meet denies it silently (the statements that go without say what bounds them instead).
// __tests__/constructs/support/condition-citations.test.ts fails on a key in a synthesized policy that no
// entry here lists.
import type { DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** The policies a condition key can appear in: a resource's own policy, a role's trust or its own policy, or a function's invoke permission. */
export type PolicyKind =
  | "key policy"
  | "trust policy"
  | "bucket policy"
  | "queue policy"
  | "topic policy"
  | "invoke permission"
  | "role policy";

/** Where condition keys are used, and the AWS page that documents them there. */
export interface ConditionCitation {
  /** The policies whose statements use the keys. */
  readonly policies: readonly PolicyKind[];
  /**
   * The principal the statements name: a service principal (`logs.<region>.amazonaws.com` for a regional one), or `*` for anyone;
   * for a role's own policy, the service that assumes the role.
   */
  readonly principal: string;
  readonly keys: readonly string[];
  /** The AWS page that documents the keys for this principal's request. */
  readonly page: string;
  /** What the page shows, in our words. */
  readonly note: string;
}

export const CONDITION_CITATIONS = {
  logGroupsInEncryptionContext: {
    policies: ["key policy"],
    principal: "logs.<region>.amazonaws.com",
    keys: ["kms:EncryptionContext:aws:logs:arn"],
    page: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    note: "CloudWatch Logs names the log group's ARN in the encryption context of its KMS requests; the key policy may admit named groups only",
  },
  alarmsPublishToTopic: {
    policies: ["topic policy"],
    principal: "cloudwatch.amazonaws.com",
    keys: ["aws:SourceArn", "aws:SourceAccount"],
    page: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
    note: "the SNS examples of a topic policy for CloudWatch alarms (aws:SourceArn = the alarms) and of aws:SourceAccount for a publishing service",
  },
  uploadsRuleSendsToQueue: {
    policies: ["queue policy"],
    principal: "events.amazonaws.com",
    keys: ["aws:SourceArn"],
    page: "https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html",
    note: "for a rule's target, EventBridge sends the rule's ARN as aws:SourceArn; the queue policy may admit that rule alone",
  },
  serverAccessLogDelivery: {
    policies: ["bucket policy"],
    principal: "logging.s3.amazonaws.com",
    keys: ["aws:SourceArn", "aws:SourceAccount"],
    page: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    note: "the log bucket's policy for the logging service, bounded by the source bucket (aws:SourceArn) and its account (aws:SourceAccount)",
  },
  inventoryDelivery: {
    policies: ["bucket policy"],
    principal: "s3.amazonaws.com",
    keys: ["aws:SourceArn", "aws:SourceAccount"],
    page: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
    note: "its example of a destination bucket's policy for S3 Inventory, bounded by the inventoried bucket (aws:SourceArn) and its account (aws:SourceAccount)",
  },
  bucketInvokesFunction: {
    policies: ["invoke permission"],
    principal: "s3.amazonaws.com",
    keys: ["aws:SourceArn", "aws:SourceAccount"],
    page: "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html",
    note: "AddPermission's SourceArn (the bucket) and SourceAccount, which for S3 keeps a same-named bucket of another account out",
  },
  requestsOverTls: {
    policies: ["bucket policy", "queue policy", "topic policy"],
    principal: "*",
    keys: ["aws:SecureTransport"],
    page: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport",
    note: "a global key in every request: whether it came over TLS",
  },
  bucketRequestsTlsVersion: {
    policies: ["bucket policy"],
    principal: "*",
    keys: ["s3:TlsVersion"],
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html",
    note: "S3's condition key for the TLS version of a request, on every S3 action",
  },
  functionsUseKeysThroughServices: {
    policies: ["role policy"],
    principal: "lambda.amazonaws.com",
    keys: ["kms:ViaService"],
    page: "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
    note: "kms:ViaService names the AWS service that asks KMS on the principal's behalf (<service>.<region>.amazonaws.com, in the page's table of services): the functions use the keys only through DynamoDB, SQS, SNS and S3",
  },
  keyUsedThroughS3: {
    policies: ["role policy"],
    principal: "batchoperations.s3.amazonaws.com",
    keys: ["kms:ViaService"],
    page: "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
    note: "kms:ViaService names the AWS service that asks KMS on the principal's behalf (s3.<region>.amazonaws.com for S3, in the page's table of services): the role's GetObject of an SSE-KMS inventory manifest, which S3 decrypts for it",
  },
} as const satisfies Record<string, ConditionCitation>;

/** The entry that lists a key for a policy and a principal, if any. */
export function citationOf(policy: PolicyKind, principal: string, key: string): ConditionCitation | undefined {
  const entries: readonly ConditionCitation[] = Object.values(CONDITION_CITATIONS);
  return entries.find((c) => c.policies.includes(policy) && c.principal === principal && c.keys.includes(key));
}

type Condition = DataAwsIamPolicyDocumentStatementCondition;

/** A statement's conditions, each key one the citation lists (else an error naming the key), so the code names the page beside them. */
export function cited(citation: ConditionCitation, conditions: readonly Condition[]): Condition[] {
  const uncited = conditions.filter((c) => !citation.keys.includes(c.variable));
  if (uncited.length > 0) throw new Error(`${uncited.map((c) => c.variable).join(", ")} not documented by ${citation.page}`);
  return [...conditions];
}
