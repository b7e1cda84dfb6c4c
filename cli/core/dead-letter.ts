/**
 * What Lambda sends to an on-failure destination for an asynchronous invocation: the original
 * event (`requestPayload`) and why it failed.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export interface FailureRecord {
  readonly functionArn: string;
  readonly condition: string;
  readonly approximateInvokeCount?: number;
  readonly requestPayload: Record<string, unknown>;
  readonly errorMessage?: string;
}

const isObject = (value: unknown): value is Record<string, any> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The failure record in a dead-letter message body, or why the body is not one. */
export function parseFailureRecord(body: string | undefined): FailureRecord | { readonly problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body ?? "");
  } catch {
    return { problem: "the body is not JSON" };
  }
  if (!isObject(json) || !isObject(json.requestContext)) return { problem: "it has no requestContext" };
  const { functionArn, condition, approximateInvokeCount } = json.requestContext;
  if (typeof functionArn !== "string" || !functionArn.startsWith("arn:")) return { problem: "requestContext.functionArn is missing" };
  if (!isObject(json.requestPayload)) return { problem: "it has no requestPayload (the original event)" };
  return {
    functionArn,
    condition: typeof condition === "string" ? condition : "unknown",
    approximateInvokeCount: typeof approximateInvokeCount === "number" ? approximateInvokeCount : undefined,
    requestPayload: json.requestPayload,
    errorMessage:
      isObject(json.responsePayload) && typeof json.responsePayload.errorMessage === "string"
        ? json.responsePayload.errorMessage
        : undefined,
  };
}

/** The function name an ARN names, without a qualifier (`...:function:Name:$LATEST` → `Name`). */
export const functionNameOf = (arn: string): string => arn.split(":")[6] ?? arn;

/** The object keys an S3-shaped event names, for the operator to see what a replay brings back. */
export function keysOf(event: Record<string, unknown>): string[] {
  const records = Array.isArray(event.Records) ? event.Records : [];
  return records.map((r: any) => String(r?.s3?.object?.key ?? "?"));
}
