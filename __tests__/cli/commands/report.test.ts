// CloudWatch alarms are the one part of `report` the emulator cannot serve (moto 5.2.5 does not
// speak the SDK's CloudWatch protocol): their reading is checked here against a mocked client.
import { PassThrough } from "node:stream";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { report } from "../../../cli/commands/report";
import type { Deployment } from "../../../cli/deployment";
import { resourceNames } from "../../../constructs/naming/names";

const deployment: Deployment = {
  bucket: "b",
  table: "ImageMetadata-dev",
  timeIndex: "UploadDateIndex",
  functionName: "ImageProcessor-dev",
  deadLetterQueueUrl: "https://sqs/q",
  alarmNames: Object.values(resourceNames("dev").alarms),
  source: "test",
};

async function runReport(json: boolean) {
  const cloudwatch = new CloudWatchClient({ region: "eu-west-1" });
  const sqs = new SQSClient({ region: "eu-west-1" });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-1" }));
  const mocks = { cloudwatch: mockClient(cloudwatch), sqs: mockClient(sqs), documents: mockClient(documents) };
  mocks.documents.on(QueryCommand).resolves({ Items: [] });
  mocks.sqs
    .on(GetQueueAttributesCommand)
    .resolves({ Attributes: { ApproximateNumberOfMessages: "3", ApproximateNumberOfMessagesNotVisible: "0" } });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: "ImageProcessor-DeadLetters-dev",
        StateValue: "ALARM",
        StateUpdatedTimestamp: new Date("2026-11-28T01:00:00Z"),
        StateReason: "Threshold Crossed",
      },
    ],
  });
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (c) => (text += c));
  const io = { stdout, stderr: new PassThrough(), env: {}, signal: new AbortController().signal };
  const code = await report(
    { cloudwatch, sqs, documents } as any,
    deployment,
    { days: 1, latest: 10, json, now: new Date("2026-11-28T12:00:00Z") },
    io,
  );
  return { code, text, mocks };
}

describe("report: alarms in ALARM", () => {
  it("asks CloudWatch for the pipeline's own alarms in ALARM, and lists them", async () => {
    const { code, text, mocks } = await runReport(true);

    expect(code).toBe(0);
    expect(mocks.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: deployment.alarmNames,
      StateValue: "ALARM",
    });
    expect(JSON.parse(text).alarms).toEqual({
      firing: [{ name: "ImageProcessor-DeadLetters-dev", since: "2026-11-28T01:00:00.000Z", reason: "Threshold Crossed" }],
    });
    expect(JSON.parse(text).deadLetters).toEqual({ waiting: 3, inFlight: 0 });
  });

  it("names them in the readable report", async () => {
    const { text } = await runReport(false);

    expect(text).toContain("Alarms in ALARM: ImageProcessor-DeadLetters-dev (since 2026-11-28T01:00:00.000Z)");
  });
});
