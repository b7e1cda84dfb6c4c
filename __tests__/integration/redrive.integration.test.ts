// `image-pipeline dead-letters redrive --queue derivatives`: the derivatives part's dead letters back
// to its queue, unchanged, against the emulator provisioned from the example-renditions stack.
import { readFileSync, writeFileSync } from "node:fs";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { type CliHarness, provisionForCli } from "./cli-harness";
import { type DerivativesPipeline, startDerivativesPipeline } from "./derivatives-harness";
import { drain, queueDepth } from "./harness";

describe("dead-letters redrive --queue derivatives", () => {
  let p: DerivativesPipeline;
  let c: CliHarness;

  beforeAll(async () => {
    p = await startDerivativesPipeline();
    c = await provisionForCli(p.h);
    const outputs = JSON.parse(readFileSync(c.outputsFile, "utf8"));
    const output = (value: string) => ({ sensitive: false, type: "string", value });
    writeFileSync(
      c.outputsFile,
      JSON.stringify({
        ...outputs,
        DerivativesQueueUrl: output(p.d.queueUrl),
        DerivativesDeadLetterQueueUrl: output(p.d.deadLetterQueueUrl),
      }),
    );
  });
  afterAll(() => p?.h.close());

  it("counts with --dry-run and leaves them, then moves every dead request back to the queue with its body", async () => {
    // Arrange: 12 requests the derivatives function gave up on (more than one receive's 10).
    const bodies = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ bucket: p.h.bucket, key: `k/${i}.jpg`, imageId: `id-${i}`, sequencer: "1" }),
    );
    for (const body of bodies) {
      await p.h.sqs.send(
        new SendMessageCommand({
          QueueUrl: p.d.deadLetterQueueUrl,
          MessageBody: body,
          MessageAttributes: { origin: { DataType: "String", StringValue: "test" } },
        }),
      );
    }

    // Act: a dry run, then the move.
    const dry = await c.cli(["dead-letters", "redrive", "--outputs", c.outputsFile, "--queue", "derivatives", "--dry-run", "--json"]);
    const depthAfterDryRun = await queueDepth(p.h, p.d.deadLetterQueueUrl);
    const moved = await c.cli(["dead-letters", "redrive", "--outputs", c.outputsFile, "--queue", "derivatives", "--json"]);

    // Assert
    expect([dry.code, JSON.parse(dry.stdout).replayed, depthAfterDryRun]).toEqual([0, 12, 12]);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ received: 12, replayed: 12, failed: 0 });
    expect(await queueDepth(p.h, p.d.deadLetterQueueUrl)).toBe(0);
    const back = await drain(p.h, p.d.queueUrl);
    expect(back.map((b) => JSON.stringify(b)).sort()).toEqual(bodies.sort());
  });

  it("names what is missing when the pipeline has no such part", async () => {
    const result = await c.cli(["dead-letters", "redrive", "--outputs", c.outputsFile, "--queue", "events"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^image-pipeline: outputs file .+ names no EventBridge delivery \(no events dead-letter queue\)\n$/);
  });

  it("still redrives through replay-dead-letters --queue, the command of earlier releases, saying what replaces it", async () => {
    const body = JSON.stringify({ bucket: p.h.bucket, key: "k/deprecated.jpg", imageId: "id-deprecated", sequencer: "1" });
    await p.h.sqs.send(new SendMessageCommand({ QueueUrl: p.d.deadLetterQueueUrl, MessageBody: body }));

    const moved = await c.cli(["replay-dead-letters", "--outputs", c.outputsFile, "--queue", "derivatives", "--json"]);

    expect(moved.code).toBe(0);
    expect(moved.stderr).toBe(
      "image-pipeline: `replay-dead-letters --queue derivatives` is deprecated and goes in the next release: use `dead-letters redrive --queue derivatives`\n",
    );
    expect(JSON.parse(moved.stdout)).toMatchObject({ received: 1, replayed: 1, failed: 0 });
    expect((await drain(p.h, p.d.queueUrl)).map((b) => JSON.stringify(b))).toEqual([body]);
  });
});
