import { S3Client } from "@aws-sdk/client-s3";
import { traceOnFirstEvent } from "../../../functions/shared/tracing";

describe("traceOnFirstEvent", () => {
  // Powertools traces only inside Lambda, which it knows by the runtime's AWS_EXECUTION_ENV.
  const saved = process.env.AWS_EXECUTION_ENV;
  beforeEach(() => (process.env.AWS_EXECUTION_ENV = "AWS_Lambda_nodejs22.x"));
  afterEach(() => (saved === undefined ? delete process.env.AWS_EXECUTION_ENV : (process.env.AWS_EXECUTION_ENV = saved)));

  it("traces nothing before the first event, then every client once, whatever the number of events", () => {
    // Arrange
    const clients = [new S3Client({ region: "us-east-1" }), new S3Client({ region: "us-east-1" })];
    const before = clients.map((c) => c.middlewareStack.identify().length);
    const tracing = traceOnFirstEvent(clients, {});
    const untilFirstEvent = clients.map((c) => c.middlewareStack.identify().length);

    // Act
    const first = tracing();
    const second = tracing();

    // Assert: Powertools' X-Ray middleware is on both clients, added once.
    const after = clients.map((c) => c.middlewareStack.identify().length);
    expect(clients.every((c) => c.middlewareStack.identify().some((name) => name.startsWith("XRaySDKInstrumentation")))).toBe(true);
    expect(untilFirstEvent).toEqual(before);
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(after.every((n, i) => n > before[i])).toBe(true);
    tracing();
    expect(clients.map((c) => c.middlewareStack.identify().length)).toEqual(after);
  });

  it("never loads the Tracer when tracing is off (POWERTOOLS_TRACE_ENABLED=false)", () => {
    const clients = [new S3Client({ region: "us-east-1" })];
    const before = clients[0].middlewareStack.identify();

    const tracer = traceOnFirstEvent(clients, { POWERTOOLS_TRACE_ENABLED: "False " })();

    expect(tracer).toBeUndefined();
    expect(clients[0].middlewareStack.identify()).toEqual(before);
  });
});
