// The module README's dead-letter replays without Node (scripts/module-guide.mjs), run as the README
// prints them (docs/terraform-module.md, which the release ships) with bash, the AWS CLI (pinned in
// requirements-test.txt, .venv/bin/aws; AWS_CLI names another) and jq, against an emulator of
// their own (given as --endpoint-url): SQS is moto; Lambda is a recording endpoint (moto accepts asynchronous invocations but
// cannot run them), which accepts every invocation but one it refuses. `terraform output -raw` is a
// stand-in that prints the outputs the test gives, as the caller's root would.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { type MotoServer, startMotoServer } from "../helpers/moto-server";

const ROOT = join(__dirname, "..", "..");
const AWS_CLI = process.env.AWS_CLI ?? join(ROOT, ".venv", "bin", "aws");
const REGION = "us-east-1";
const FUNCTION = "ImageProcessor-dev";

/** The shell block of the README whose first line is `# replay: <mode>`. */
function replayBlock(mode: string): string {
  const readme = readFileSync(join(ROOT, "docs", "terraform-module.md"), "utf8");
  const block = readme.match(new RegExp(`\`\`\`sh\\n(# replay: ${mode}\\n[\\s\\S]*?)\`\`\``))?.[1];
  if (!block) throw new Error(`docs/terraform-module.md has no "# replay: ${mode}" block`);
  return block;
}

interface Invocation {
  readonly path: string;
  readonly type: string | undefined;
  readonly payload: any;
}

describe("the module README's dead-letter replays with the AWS CLI", () => {
  const work = mkdtempSync(join(tmpdir(), "dead-letters-cli-"));
  let moto: MotoServer;
  let lambda: Server;
  let lambdaEndpoint: string;
  const invocations: Invocation[] = [];
  let sqs: SQSClient;

  beforeAll(async () => {
    if (!existsSync(AWS_CLI))
      throw new Error(`the AWS CLI is not at ${AWS_CLI}: node scripts/setup-tests.mjs installs it (requirements-test.txt)`);
    moto = await startMotoServer(join(work, "moto.log"));
    sqs = new SQSClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    // Lambda's Invoke: 202 for an accepted asynchronous invocation, a client error for the event it refuses.
    lambda = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const payload = JSON.parse(body);
        if (JSON.stringify(payload).includes("refused.jpg")) {
          response.writeHead(400, { "x-amzn-ErrorType": "InvalidRequestContentException", "content-type": "application/json" });
          response.end(JSON.stringify({ Type: "User", message: "refused" }));
          return;
        }
        invocations.push({ path: request.url!, type: request.headers["x-amz-invocation-type"] as string | undefined, payload });
        response.writeHead(202);
        response.end();
      });
    });
    await new Promise<void>((resolve) => lambda.listen(0, "127.0.0.1", resolve));
    lambdaEndpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
  }, 90_000);

  afterAll(async () => {
    moto?.stop();
    await new Promise((resolve) => lambda?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  /** Runs the README's block in a folder of its own, `terraform output -raw` answering from `outputs`. */
  function runReplay(mode: string, outputs: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
    const dir = mkdtempSync(join(work, `${mode}-`));
    writeFileSync(join(dir, "outputs.json"), JSON.stringify(outputs));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "terraform"),
      '#!/bin/sh\n[ "$1" = output ] && [ "$2" = -raw ] && exec jq -j --arg name "$3" \'.[$name]\' "$OUTPUTS_FILE"\nexit 1\n',
    );
    // Version 1 of the AWS CLI sends SQS to its own endpoint whatever AWS_ENDPOINT_URL says: the
    // emulator's endpoints as options, the commands otherwise as written.
    writeFileSync(
      join(bin, "aws"),
      `#!/bin/sh\ncase "$1" in\n  sqs) exec ${AWS_CLI} --endpoint-url "$SQS_ENDPOINT" "$@" ;;\n  lambda) exec ${AWS_CLI} --endpoint-url "$LAMBDA_ENDPOINT" "$@" ;;\nesac\nexit 1\n`,
    );
    for (const tool of ["terraform", "aws"]) chmodSync(join(bin, tool), 0o755);
    // Not spawnSync: the recording Lambda endpoint answers from this process.
    const child = spawn("bash", ["-c", replayBlock(mode)], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 300_000,
      env: {
        PATH: [bin, process.env.PATH].join(":"),
        HOME: dir,
        OUTPUTS_FILE: join(dir, "outputs.json"),
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_DEFAULT_REGION: REGION,
        SQS_ENDPOINT: moto.endpoint,
        LAMBDA_ENDPOINT: lambdaEndpoint,
      },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.resume();
    return new Promise<{ status: number | null; stderr: string }>((resolve) => child.on("close", (status) => resolve({ status, stderr })));
  }

  const queue = async (name: string) => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const counts = async (url: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return { visible: Number(Attributes!.ApproximateNumberOfMessages), hidden: Number(Attributes!.ApproximateNumberOfMessagesNotVisible) };
  };
  const s3Event = (key: string) => ({ Records: [{ eventSource: "aws:s3", s3: { bucket: { name: "uploads" }, object: { key } } }] });
  const failureRecord = (functionName: string, event: object) =>
    JSON.stringify({
      version: "1.0",
      requestContext: {
        requestId: "r1",
        functionArn: `arn:aws:lambda:${REGION}:123456789012:function:${functionName}:$LATEST`,
        condition: "RetriesExhausted",
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responsePayload: { errorType: "Error", errorMessage: "boom" },
    });

  it("S3-notification delivery: invokes the function again with each failure record's original event, deletes what Lambda accepted, and leaves the rest", async () => {
    // Arrange: two failure records of the function, one it refuses, one of another function, one that is no record.
    const dlq = await queue("ImageProcessor-DLQ-dev");
    const events = [s3Event("a/one.jpg"), s3Event("b/two é.png")];
    for (const body of [
      failureRecord(FUNCTION, events[0]),
      "not json at all",
      failureRecord("SomeoneElse-dev", s3Event("theirs.jpg")),
      failureRecord(FUNCTION, s3Event("refused.jpg")),
      failureRecord(FUNCTION, events[1]),
    ])
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body }));

    // Act
    const run = await runReplay("s3-notification", { dead_letter_queue_url: dlq, lambda_function_name: FUNCTION });

    // Assert: each original event invoked asynchronously, once; the three others still in the queue (hidden for 5 minutes).
    expect(run.status).toBe(0);
    expect(invocations.map((i) => i.payload)).toEqual(events);
    expect(invocations.map((i) => [i.path, i.type])).toEqual(events.map(() => [`/2015-03-31/functions/${FUNCTION}/invocations`, "Event"]));
    expect(run.stderr.match(/left in the queue/g)).toHaveLength(2);
    expect(await counts(dlq)).toEqual({ visible: 0, hidden: 3 });
  }, 360_000);

  it.each([
    ["eventbridge", "event_dead_letter_queue_url", "event_queue_url"],
    ["derivatives", "derivatives_dead_letter_queue_url", "derivatives_queue_url"],
  ])(
    "%s: moves each dead letter back to the queue it failed from, its body unchanged",
    async (mode, from, to) => {
      // Arrange
      const [deadLetters, target] = [await queue(`${mode}-DLQ-dev`), await queue(`${mode}-dev`)];
      const bodies = ['{"detail":{"object":{"key":"a.jpg"}}}', "two\nlines, ünïcode and a trailing space ", '{"key":"c.jpg"}'];
      for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: body }));

      // Act
      const run = await runReplay(mode, { [from]: deadLetters, [to]: target });

      // Assert
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(await counts(deadLetters)).toEqual({ visible: 0, hidden: 0 });
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: target, MaxNumberOfMessages: 10 }));
      expect((Messages ?? []).map((m) => m.Body).sort()).toEqual([...bodies].sort());
    },
    360_000,
  );
});
