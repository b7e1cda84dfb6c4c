import { onlyResource, policyDocumentOf, ref, statement, synthStack } from "../helpers/synth";

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
    const document = policyDocumentOf(stack, onlyResource(stack, "aws_sqs_queue_policy").policy);

    expect(statement(document, "DenyInsecureTransport")).toMatchObject({
      effect: "Deny",
      resources: [ref(stack, "aws_sqs_queue", "arn")],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });
});
