import { Construct } from "constructs";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export type PolicyStatement = DataAwsIamPolicyDocumentStatement & { readonly sid: string };

/**
 * An `aws_iam_policy_document` data source: Terraform renders the JSON, so reviewers
 * see each statement as a block in the plan and ordering or quoting can never drift.
 * Every statement carries a `sid` so plans and tests can name it.
 */
export function policyDocument(scope: Construct, id: string, statements: PolicyStatement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { version: "2012-10-17", statement: statements });
}

/**
 * The principal "anyone", for deny statements that must apply to every caller. IAM reads
 * `{"AWS": "*"}` as `"*"` (all principals); the object form also keeps moto 5.2.5's
 * PutBucketLogging check from crashing, so the deploy test can apply access logging.
 */
export const ANYONE = [{ type: "AWS", identifiers: ["*"] }];

/** A principal that is an AWS service. */
export const service = (name: string) => [{ type: "Service", identifiers: [name] }];

/** Denies every request to the resources that does not use TLS, whoever makes it. */
export const denyInsecureTransport = (actions: string, resources: string[]): PolicyStatement => ({
  sid: "DenyInsecureTransport",
  effect: "Deny",
  principals: ANYONE,
  actions: [actions],
  resources,
  condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
});

/** Denies TLS older than 1.2 on a bucket and its objects, whoever asks. */
export const denyOutdatedTls = (bucketArn: string): PolicyStatement => ({
  sid: "DenyOutdatedTls",
  effect: "Deny",
  principals: ANYONE,
  actions: ["s3:*"],
  resources: [bucketArn, `${bucketArn}/*`],
  condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
});
