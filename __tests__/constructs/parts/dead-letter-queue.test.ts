import { Testing } from "cdktf";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { DeadLetterQueue } from "../../../constructs/parts/dead-letter-queue";
import { resolver } from "../../helpers/iam";
import { onlyResource, policyDocumentOf, ref, statement, synthStack } from "../../helpers/synth";

describe("DeadLetterQueue", () => {
  const stack = synthStack({ deadLetterRetentionDays: 7 });
  const queue = onlyResource(stack, "aws_sqs_queue");

  it("is encrypted with the pipeline key and keeps failed events for the configured days", () => {
    expect(queue).toMatchObject({
      name: "ImageProcessor-DLQ-dev",
      kms_master_key_id: ref(stack, "aws_kms_key", "arn"),
      message_retention_seconds: 7 * 86400,
    });
  });

  it("refuses requests without TLS", () => {
    const document = policyDocumentOf(onlyResource(stack, "aws_sqs_queue_policy").policy);

    const resolve = resolver(stack);
    const deny = statement(document, "DenyInsecureTransport");
    expect(deny.resources.map(resolve)).toEqual([resolve(ref(stack, "aws_sqs_queue", "arn"))]);
    expect(deny).toMatchObject({
      effect: "Deny",
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });
});

describe("DeadLetterQueue on its own (Testing.synthScope)", () => {
  it("needs only a queue name: SQS managed encryption and 14 days by default", () => {
    const json = Testing.synthScope((scope) => new DeadLetterQueue(scope, "Queue", { queueName: "failed-events" }));

    expect(json).toHaveResourceWithProperties(SqsQueue, {
      name: "failed-events",
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 14 * 86400,
    });
  });

  it("refuses a retention outside 1 to 14 days, naming the field", () => {
    expect(() =>
      Testing.synthScope((scope) => new DeadLetterQueue(scope, "Queue", { queueName: "q", deadLetterRetentionDays: 15 })),
    ).toThrow("deadLetterRetentionDays must be an integer from 1 to 14; got 15");
  });
});
