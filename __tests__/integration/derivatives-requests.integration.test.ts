// The derivatives function's requests, at the proxy (issue 41), as its processor's are in the corpus
// suite: every S3, DynamoDB and SQS request the deployed bundle sends for one derivatives request,
// in order, which were in flight together, and the sequential round trips besides the render. They
// must be what the cost estimate prices (cli/core/cost/requests-per-image.json, measured against
// in-memory fakes) and within the budget; the figures go to build/test-results/derivatives-requests.json
// for BENCHMARKS.md (scripts/bench-report.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MEASURED from "../../cli/core/cost/requests-per-image.json";
import BUDGETS from "../bench/service-call-budgets.json";
import { image } from "../fixtures";
import { cmykJpeg, orientedJpeg } from "../functions/image-derivatives/sources";
import { type DerivativesPipeline, startDerivativesPipeline } from "./derivatives-harness";
import { type ProxiedRequest, apiName, roundTripGroups } from "./fault-proxy";
import { type Invoke, upload } from "./harness";

const SERVICES = ["s3", "dynamodb", "sqs", "sns"];

describe("a derivatives request's service requests, at the proxy", () => {
  let p: DerivativesPipeline;

  beforeAll(async () => {
    p = await startDerivativesPipeline();
  });
  afterAll(() => p?.h.close());

  it(`are the priced ones, in at most ${BUDGETS.derivativesBesidesRender} sequential round trips besides the render`, async () => {
    // Arrange: sources of each kind the example renditions take (an oriented JPEG, CMYK, a PNG).
    const sources: Record<string, Buffer> = {
      "photos/orientation-6.jpg": await orientedJpeg(6),
      "photos/cmyk.jpg": await cmykJpeg(),
      "graphics/plain.png": image("plain.png"),
    };
    const recorded: { source: string; requests: ProxiedRequest[] }[] = [];
    // Each invocation's requests: the pump's own go to the emulator directly, so during an
    // invocation the proxy hears only the function (the processor waits for the next upload).
    const recording = (source: string): Invoke =>
      Object.assign(
        async (event: unknown) => {
          p.h.proxy.requests.length = 0;
          try {
            return await p.derivatives(event);
          } finally {
            recorded.push({ source, requests: p.h.proxy.requests.filter((r) => SERVICES.includes(r.service)) });
          }
        },
        { nodeVersion: p.derivatives.nodeVersion },
      );

    // Act: one upload at a time, so each invocation takes one derivatives request (its first rendering).
    for (const [key, bytes] of Object.entries(sources)) {
      await p.processor((await upload(p.h, key, bytes)).event);
      expect(await p.d.pump(recording(key))).toMatchObject({ batches: 1, failedMessages: 0, invocationErrors: 0 });
    }

    // Assert
    const figures = recorded.map(({ source, requests }) => {
      const started = Math.min(...requests.map((r) => r.at));
      const trips = roundTripGroups(requests);
      const requestsByApi: Record<string, number> = {};
      for (const r of requests) requestsByApi[apiName(r)] = (requestsByApi[apiName(r)] ?? 0) + 1;
      return {
        source,
        roundTrips: trips.length,
        // Each round trip's requests, in the order sent, with when each was sent and answered.
        sequence: trips.map((trip) =>
          trip.map((r) => ({ request: apiName(r), sentMs: round(r.at - started), answeredMs: round(r.done - started) })),
        ),
        requestsByApi,
      };
    });
    const sequences = figures.map((f) => f.sequence.map((trip) => trip.map((r) => r.request).sort()));
    mkdirSync(join(__dirname, "..", "..", "build", "test-results"), { recursive: true });
    writeFileSync(
      join(__dirname, "..", "..", "build", "test-results", "derivatives-requests.json"),
      JSON.stringify({ renditions: MEASURED.derivatives.renditions, requests: figures }, null, 2),
    );
    console.log(`derivatives requests at the proxy: ${JSON.stringify(figures)}`);

    // What the estimate prices for a rendered request is what the bundle sends, request for request.
    for (const f of figures)
      expect({ source: f.source, requests: f.requestsByApi }).toEqual({
        source: f.source,
        requests: MEASURED.derivatives.rendered.requests,
      });
    // The item beside the source's GET; the renditions' PUTs together; the item's update beside the version check.
    for (const f of figures) expect(f.roundTrips).toBeLessThanOrEqual(BUDGETS.derivativesBesidesRender);
    expect(new Set(sequences.map((s) => JSON.stringify(s)))).toEqual(
      new Set([
        JSON.stringify([
          ["dynamodb:GetItem", "s3:GetObject"],
          ["s3:PutObject", "s3:PutObject"],
          ["dynamodb:UpdateItem", "s3:HeadObject"],
        ]),
      ]),
    );
  }, 180_000);
});

const round = (ms: number) => Math.round(ms * 10) / 10;
