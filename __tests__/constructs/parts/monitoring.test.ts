import { Testing } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Monitoring } from "../../../constructs/parts/monitoring";
import { resourceNames } from "../../../constructs/naming/names";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { onlyResource, ref, synthStack, regionRef } from "../../helpers/synth";

/** The Monitoring construct alone, watching a function, table, bucket and queue of the `qa` environment by name. */
const monitoringAlone = (alarmActions: string[]) => {
  const names = resourceNames("qa");
  return Testing.synthScope(
    (scope) =>
      new Monitoring(scope, "Monitoring", {
        alarmNames: names.alarms,
        dashboardName: names.dashboard,
        environment: "qa",
        functionName: "fn",
        tableName: "table",
        bucketName: "bucket",
        deadLetterQueueName: "queue",
        alarmActions,
      }),
  );
};

describe("Monitoring", () => {
  const stack = synthStack({ timeoutSeconds: 60 });
  const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm) as any[];
  const byName = Object.fromEntries(alarms.map((alarm) => [alarm.alarm_name, alarm]));
  const topic = ref(stack, "aws_sns_topic", "arn");
  const functionName = ref(stack, "aws_lambda_function", "function_name");
  const body = JSON.parse(onlyResource(stack, "aws_cloudwatch_dashboard").dashboard_body);

  it("has the original CloudFormation design's alarms plus dead letters, duration, unreadable objects and lost events", () => {
    expect(Object.keys(byName).sort()).toEqual([
      "DynamoDB-WriteThrottle-dev",
      "ImageProcessor-AsyncEventsDropped-dev",
      "ImageProcessor-DeadLetters-dev",
      "ImageProcessor-DestinationDeliveryFailures-dev",
      "ImageProcessor-Duration-dev",
      "ImageProcessor-Errors-dev",
      "ImageProcessor-Rejections-dev",
      "ImageProcessor-Throttles-dev",
      "ImageProcessor-Unreadable-dev",
    ]);
  });

  it.each([
    ["ImageProcessor-AsyncEventsDropped-dev", "AsyncEventsDropped"],
    ["ImageProcessor-DestinationDeliveryFailures-dev", "DestinationDeliveryFailures"],
  ])("alarms on any event Lambda could not hand over (%s), and charts it", (name, metric) => {
    expect(byName[name]).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: metric,
      statistic: "Sum",
      threshold: 0,
      dimensions: { FunctionName: ref(stack, "aws_lambda_function", "function_name") },
      ok_actions: [topic],
    });
    const charted = body.widgets.flatMap((w: any) => w.properties.metrics).some((m: any[]) => m[0] === "AWS/Lambda" && m[1] === metric);
    expect(charted).toBe(true);
  });

  it("alarms on any unreadable object, from the processor's own metric with its dimensions", () => {
    expect(byName["ImageProcessor-Unreadable-dev"]).toMatchObject({
      namespace: "ImageProcessing",
      metric_name: "ImagesUnreadable",
      statistic: "Sum",
      threshold: 0,
      dimensions: { environment: "dev", service: "image-processor" },
    });
  });

  it("runs every alarm action on ALARM and, on OK, only those that notify (SNS, Lambda)", () => {
    const onCall = "arn:aws:sns:eu-west-1:123456789012:on-call";
    const responder = "arn:aws:lambda:eu-west-1:123456789012:function:responder";
    const responsePlan = "arn:aws:ssm-incidents::123456789012:response-plan/images";

    const json = JSON.parse(monitoringAlone([onCall, responsePlan, responder]));

    const given = Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[];
    expect(given.length).toBeGreaterThan(5);
    for (const alarm of given) {
      expect(alarm.alarm_actions).toEqual([onCall, responsePlan, responder]);
      expect(alarm.ok_actions).toEqual([onCall, responder]);
    }
  });

  it("sends every alarm's ALARM and OK transitions to the topic", () => {
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ alarm_actions: [topic], ok_actions: [topic], treat_missing_data: "notBreaching" });
    }
  });

  it.each([
    ["ImageProcessor-Errors-dev", "AWS/Lambda", "Errors", "Sum", 5],
    ["ImageProcessor-Throttles-dev", "AWS/Lambda", "Throttles", "Sum", 1],
    ["DynamoDB-WriteThrottle-dev", "AWS/DynamoDB", "WriteThrottleEvents", "Sum", 5],
    ["ImageProcessor-DeadLetters-dev", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0],
    // 80% of the 60 s timeout, in milliseconds.
    ["ImageProcessor-Duration-dev", "AWS/Lambda", "Duration", "Maximum", 48000],
  ])("%s watches %s %s (%s) above %d", (name, namespace, metric, statistic, threshold) => {
    expect(byName[name]).toMatchObject({
      namespace,
      metric_name: metric,
      statistic,
      threshold,
      comparison_operator: "GreaterThanThreshold",
    });
  });

  it("points each alarm at this pipeline's resources", () => {
    expect(byName["ImageProcessor-Errors-dev"].dimensions).toEqual({ FunctionName: functionName });
    expect(byName["DynamoDB-WriteThrottle-dev"].dimensions).toEqual({ TableName: ref(stack, "aws_dynamodb_table", "name") });
    expect(byName["ImageProcessor-DeadLetters-dev"].dimensions).toEqual({ QueueName: ref(stack, "aws_sqs_queue", "name") });
  });

  describe("dashboard", () => {
    const dashboard = onlyResource(stack, "aws_cloudwatch_dashboard");
    const body = JSON.parse(dashboard.dashboard_body);
    const titles = body.widgets.map((w: any) => w.properties.title);

    it("is named ImageProcessing-<env>", () => {
      expect(stack.json).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: "ImageProcessing-dev" });
    });

    it("has the original CloudFormation design's widgets plus the dead-letter queue and outcomes", () => {
      expect(titles).toEqual([
        "Lambda Metrics",
        "Lambda Duration",
        "DynamoDB Capacity",
        "S3 Objects",
        "Dead-letter Queue",
        "Events Lambda could not hand over",
        "Processing Outcomes",
      ]);
    });

    it("puts the dimensions inside every metric array and sets the region on every widget", () => {
      for (const widget of body.widgets) {
        expect(widget.properties.region).toBe(regionRef(stack));
        expect(widget.properties.dimensions).toBeUndefined();
        for (const metric of widget.properties.metrics) {
          // [namespace, metric, dimension name, value, ..., {options}]: an even count of names and values.
          const strings = metric.filter((part: unknown) => typeof part === "string");
          expect(strings.length).toBeGreaterThanOrEqual(4);
          expect(strings.length % 2).toBe(0);
          expect(strings.every((part: string) => part !== "." && part !== "...")).toBe(true);
        }
      }
    });

    it("charts this function, table, bucket and queue", () => {
      const metric = (title: string) => body.widgets.find((w: any) => w.properties.title === title).properties.metrics[0];

      expect(metric("Lambda Metrics")).toEqual(["AWS/Lambda", "Invocations", "FunctionName", functionName, expect.any(Object)]);
      expect(metric("DynamoDB Capacity")).toContain(ref(stack, "aws_dynamodb_table", "name"));
      expect(metric("S3 Objects")).toEqual(
        expect.arrayContaining(["BucketName", ref(stack, "aws_s3_bucket", "bucket"), "StorageType", "AllStorageTypes"]),
      );
      expect(metric("Dead-letter Queue")).toContain(ref(stack, "aws_sqs_queue", "name"));
    });
  });
});

describe("Monitoring on its own (Testing.synthScope)", () => {
  it("watches any function, table, bucket and queue by name, with the default thresholds", () => {
    const json = monitoringAlone(["arn:aws:sns:eu-west-1:123456789012:topic"]);

    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "ImageProcessor-Errors-qa",
      threshold: 5,
      dimensions: { FunctionName: "fn" },
    });
    // 80% of the default 30-second timeout.
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, { alarm_name: "ImageProcessor-Duration-qa", threshold: 24000 });
  });
});
