import { Testing } from "cdktf";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { resolver } from "../../helpers/iam";
import { onlyResource, resourceExactlyNamed, synthStack } from "../../helpers/synth";

const events = (props: Parameters<typeof synthStack>[0] = {}) => synthStack({ eventDelivery: "eventbridge", ...props });

describe("EventQueue (EventBridge delivery)", () => {
  const stack = events({ formats: ["jpeg", "png", "heic"] });
  const resolve = resolver(stack);
  const [, queue] = resourceExactlyNamed(stack, "aws_sqs_queue", "name", "ImageProcessor-Events-dev");
  const [, deadLetters] = resourceExactlyNamed(stack, "aws_sqs_queue", "name", "ImageProcessor-Events-DLQ-dev");

  it("turns on the bucket's EventBridge delivery and gives the function no S3 notification and no S3 invoke permission", () => {
    const notification = onlyResource(stack, "aws_s3_bucket_notification");

    expect(notification.eventbridge).toBe(true);
    expect(notification.lambda_function).toBeUndefined();
    expect(stack.tf.resource.aws_lambda_permission).toBeUndefined();
  });

  it("turns the bucket's EventBridge delivery on only once the rule's target and the function's mapping exist, so a switch from notifications loses no upload", () => {
    const notification = onlyResource(stack, "aws_s3_bucket_notification");

    const dependsOn: string[] = notification.depends_on;

    expect(dependsOn).toEqual(
      expect.arrayContaining(["aws_cloudwatch_event_target.uploads", "aws_lambda_event_source_mapping.processor_events"]),
    );
  });

  it("matches the bucket's Object Created and Object Deleted events whose key ends in a suffix of the formats, in any letter case", () => {
    const rule = onlyResource(stack, "aws_cloudwatch_event_rule");

    expect(JSON.parse(resolve(rule.event_pattern))).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created", "Object Deleted"],
      detail: {
        bucket: { name: ["image-storage-bucket-dev-111122223333"] },
        object: {
          key: [".jpg", ".jpeg", ".png", ".heic", ".heif"].map((suffix) => ({ suffix: { "equals-ignore-case": suffix } })),
        },
      },
    });
  });

  it("takes Object Created events alone where deletions do not propagate", () => {
    const rule = onlyResource(events({ propagateDeletions: false }), "aws_cloudwatch_event_rule");

    expect(JSON.parse(rule.event_pattern)["detail-type"]).toEqual(["Object Created"]);
  });

  it("targets the encrypted queue, retries for the event age, then dead-letters what it cannot deliver", () => {
    const target = onlyResource(stack, "aws_cloudwatch_event_target");

    expect(resolve(target.arn)).toBe("arn:aws:sqs:eu-west-1:111122223333:ImageProcessor-Events-dev");
    expect(resolve(target.dead_letter_config.arn)).toBe("arn:aws:sqs:eu-west-1:111122223333:ImageProcessor-Events-DLQ-dev");
    expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 185 });
    for (const q of [queue, deadLetters]) expect(q.kms_master_key_id).toBe("${aws_kms_key.pipeline.arn}");
  });

  it("redrives a message the processor failed on 5 times to the dead-letter queue, visible again after six timeouts", () => {
    const redrive = onlyResource(stack, "aws_sqs_queue_redrive_policy");

    expect(redrive.redrive_policy).toBe(
      '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.events_dead_letter.arn, "maxReceiveCount" = 5})}',
    );
    expect(queue.visibility_timeout_seconds).toBe(180);
    expect(deadLetters.message_retention_seconds).toBe(14 * 86400);
  });

  it("feeds the processor in batches with partial batch responses and a bounded concurrency", () => {
    const mapping = onlyResource(events({ eventQueue: { maximumConcurrency: 25, batchSize: 5 } }), "aws_lambda_event_source_mapping");

    expect(mapping).toMatchObject({
      batch_size: 5,
      function_response_types: ["ReportBatchItemFailures"],
      scaling_config: { maximum_concurrency: 25 },
      event_source_arn: "${aws_sqs_queue.events.arn}",
      function_name: "${aws_lambda_function.processor.arn}",
    });
  });

  it("alarms on the rule's own failures, which no queue shows: a delivery refused, and an event lost to both queues", () => {
    const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm) as any[];
    const byMetric = (metric: string) => alarms.filter((a) => a.namespace === "AWS/Events" && a.metric_name === metric);

    const failed = byMetric("FailedInvocations");
    const lost = byMetric("InvocationsFailedToBeSentToDlq");

    for (const [alarm] of [failed, lost]) {
      expect(alarm).toMatchObject({ statistic: "Sum", threshold: 0, dimensions: { RuleName: "ImageProcessor-Uploads-dev" } });
      expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.notifications.arn}"]);
    }
    expect([failed.length, lost.length]).toEqual([1, 1]);
    expect(lost[0].alarm_name).toBe("ImageProcessor-UploadsLost-dev");
  });

  it("alarms on the oldest waiting event and on any dead letter, to the topic", () => {
    const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm) as any[];
    const age = alarms.find((a) => a.alarm_name === "ImageProcessor-EventQueueAge-dev");
    const dead = alarms.find((a) => a.alarm_name === "ImageProcessor-EventDeadLetters-dev");

    expect(age).toMatchObject({
      metric_name: "ApproximateAgeOfOldestMessage",
      threshold: 900,
      dimensions: { QueueName: "ImageProcessor-Events-dev" },
    });
    expect(dead).toMatchObject({ metric_name: "ApproximateNumberOfMessagesVisible", threshold: 0 });
    expect(dead.alarm_actions).toEqual(["${aws_sns_topic.notifications.arn}"]);
  });

  it("charts the event queue on the dashboard only with EventBridge delivery", () => {
    const titles = (s: ReturnType<typeof synthStack>) =>
      JSON.parse(onlyResource(s, "aws_cloudwatch_dashboard").dashboard_body).widgets.map((w: any) => w.properties.title);

    expect(titles(stack)).toContain("Event Queue (EventBridge delivery)");
    expect(titles(synthStack())).not.toContain("Event Queue (EventBridge delivery)");
  });

  it("fails synth naming the field and the allowed values", () => {
    expect(() => synthStack({ eventDelivery: "sns" as never })).toThrow(
      /eventDelivery must be one of "s3-notification", "eventbridge"; got "sns"/,
    );
    expect(() => events({ eventQueue: { maximumConcurrency: 1, batchSize: 11 } })).toThrow(
      /eventQueue.maximumConcurrency must be an integer from 2 to 1000; got 1[\s\S]*eventQueue.batchSize must be an integer from 1 to 10; got 11/,
    );
  });
});

describe("EventBridge delivery in the Terraform module (decided by event_delivery)", () => {
  const tf = JSON.parse(Testing.synth(new ImageProcessingModuleStack(Testing.app(), "module")));
  const counted = (type: string, name: string) => tf.resource[type][name].count;

  it("counts every resource of the part by the variable, and reads their attributes with one(...)", () => {
    const parts = [
      ["aws_cloudwatch_event_rule", "uploads"],
      ["aws_cloudwatch_event_target", "uploads"],
      ["aws_sqs_queue", "events"],
      ["aws_sqs_queue", "events_dead_letter"],
      ["aws_lambda_event_source_mapping", "processor_events"],
      ["aws_iam_role_policy", "processor_events"],
      ["aws_cloudwatch_metric_alarm", "event_queue_age"],
    ];

    for (const [type, name] of parts) expect(counted(type, name)).toBe('${(var.event_delivery == "eventbridge") ? 1 : 0}');
    expect(tf.resource.aws_cloudwatch_event_target.uploads.arn).toBe("${one(aws_sqs_queue.events[*].arn)}");
  });

  it("switches the bucket's notification between the function and EventBridge", () => {
    const notification = tf.resource.aws_s3_bucket_notification.images;

    expect(notification.eventbridge).toBe('${(var.event_delivery == "eventbridge")}');
    expect(notification.dynamic.lambda_function.for_each).toBe('${(var.event_delivery == "eventbridge") ? [] : [1]}');
    expect(notification.lambda_function).toBeUndefined();
  });

  it("validates event_delivery with the allowed values", () => {
    const [validation] = tf.variable.event_delivery.validation;

    expect(validation.error_message).toBe('Invalid event_delivery: must be one of "s3-notification", "eventbridge".');
  });
});
