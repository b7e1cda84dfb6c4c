import { TerraformStack, Testing } from "cdktf";
import { dashboardBody } from "../../../constructs/parts/dashboard";
import { PROCESSOR_ALARMS } from "../../../constructs/naming/alarm-catalog";
import { AwsContext } from "../../../constructs/support/aws-context";

type Body = { widgets: { x?: number; y?: number; properties: { title: string; metrics: unknown[][] } }[] };

/** The dashboard of a processor named by literals (no derivatives, no event queue). */
const body = (): Body =>
  dashboardBody({
    aws: new AwsContext(new TerraformStack(Testing.app(), "stack"), "Aws"),
    environment: "qa",
    functionName: "fn",
    tableName: "table",
    bucketName: "bucket",
    deadLetterQueueName: "dlq",
  }) as Body;

describe("dashboardBody", () => {
  it("draws each charted alarm's line from its catalog row, where a widget places it", () => {
    const lambda = body().widgets.find((w) => w.properties.title === "Lambda Metrics")!;

    expect(lambda.properties.metrics).toContainEqual(["AWS/Lambda", "Errors", "FunctionName", "fn", { stat: "Sum", label: "Errors" }]);
  });

  it("draws a charted alarm no widget places in a widget of its own, where CloudWatch finds room", () => {
    // Arrange: the table's alarm, charted (a new row would be so until given a place).
    const row = PROCESSOR_ALARMS.tableWriteThrottles as { chart: string | null };
    const before = row.chart;
    row.chart = "Write throttles";
    try {
      // Act
      const more = body().widgets.filter((w) => w.properties.title === "More alarms");

      // Assert
      expect(more).toHaveLength(1);
      expect(more[0].x).toBeUndefined();
      expect(more[0].properties.metrics).toEqual(
        expect.arrayContaining([["AWS/DynamoDB", "WriteThrottleEvents", "TableName", "table", { stat: "Sum", label: "Write throttles" }]]),
      );
    } finally {
      row.chart = before;
    }
  });
});
