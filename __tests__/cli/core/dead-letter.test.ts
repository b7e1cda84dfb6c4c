import { functionNameOf, keysOf, parseFailureRecord } from "../../../cli/core/dead-letter";

describe("parseFailureRecord", () => {
  const record = {
    version: "1.0",
    requestContext: {
      requestId: "r",
      functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:ImageProcessor-dev:$LATEST",
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    },
    requestPayload: { Records: [{ s3: { object: { key: "a/b.jpg" } } }] },
    responsePayload: { errorType: "RecordsFailedError", errorMessage: "1 record(s) failed" },
  };

  it("reads Lambda's on-failure record: the function, the condition and the original event", () => {
    const parsed = parseFailureRecord(JSON.stringify(record));

    expect(parsed).toEqual({
      functionArn: record.requestContext.functionArn,
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
      requestPayload: record.requestPayload,
      errorMessage: "1 record(s) failed",
    });
    expect(functionNameOf(record.requestContext.functionArn)).toBe("ImageProcessor-dev");
    expect(keysOf(record.requestPayload)).toEqual(["a/b.jpg"]);
  });

  it.each([
    ["not json", "the body is not JSON"],
    [JSON.stringify({ Records: [] }), "it has no requestContext"],
    [JSON.stringify({ requestContext: {} }), "requestContext.functionArn is missing"],
    [JSON.stringify({ requestContext: { functionArn: "arn:aws:lambda:x" } }), "it has no requestPayload (the original event)"],
  ])("names what is wrong with %s", (body, problem) => {
    expect(parseFailureRecord(body)).toEqual({ problem });
  });
});
