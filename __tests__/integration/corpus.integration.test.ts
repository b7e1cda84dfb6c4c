// Generated corpus images through the deployed bundle against the emulator: every item agrees
// with libvips, and the reads stay within budget. S3 requests, GETs and bytes per image are measured
// at the proxy, as S3 would bill them; the figures go to build/test-results/reads.json for BENCHMARKS.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { generateCorpus, jpegSegments } from "../differential/corpus";
import BUDGETS from "../bench/service-call-budgets.json";
import { roundTrips } from "./fault-proxy";
import { type Harness, type Invoke, eventFor, provisionFromStack, scanTable } from "./harness";

const SUBSET = 120;
/** The differential suite's listed differences: fields a listed kind of image may read differently. */
const KNOWN: { kind: string; field: string }[] = JSON.parse(
  readFileSync(join(__dirname, "..", "differential", "known-differences.json"), "utf8"),
).differences;
const ITEM_FIELD: Record<string, string> = { orientation: "Orientation", displayWidth: "DisplayWidth", displayHeight: "DisplayHeight" };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

describe("corpus images through the deployed bundle", () => {
  let h: Harness;
  let handler: Invoke;

  beforeAll(async () => {
    h = await provisionFromStack();
    handler = await h.startFunction();
  });
  afterAll(() => h?.close());

  it(`records ${SUBSET} generated images as libvips reads them, within the read budget`, async () => {
    // Every tenth image of the differential corpus, so all of its shapes are represented.
    const corpus = (await generateCorpus(SUBSET * 10)).filter((_, i) => i % 10 === 0).slice(0, SUBSET);
    const window = Number(h.functionEnvironment.READ_WINDOW_BYTES);
    const stats: {
      key: string;
      kind: string;
      requests: number;
      gets: number;
      bytes: number;
      firstWindow: boolean;
      serviceRoundTrips: number;
      byService: Record<string, number>;
    }[] = [];

    for (const [i, image] of corpus.entries()) {
      const key = `corpus/${String(i).padStart(3, "0")}-${image.name}.${image.name.startsWith("png") ? "png" : "jpg"}`;
      const put = await h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: key, Body: image.bytes }));
      const { event } = eventFor(h, key, image.bytes.length, put);
      h.proxy.requests.length = 0;
      await handler(event);
      // Every request the function made for the image, of every service, and which waited for which.
      const all = h.proxy.requests.filter((r) => ["s3", "dynamodb", "sns", "sqs"].includes(r.service));
      const byService: Record<string, number> = {};
      for (const r of all) byService[`${r.service}:${r.operation}`] = (byService[`${r.service}:${r.operation}`] ?? 0) + 1;
      const requests = all.filter((r) => r.service === "s3");
      const gets = requests.filter((r) => r.method === "GET" && r.range);
      // Where the frame header really is: PNG's IHDR always opens the file.
      const sof = image.name.startsWith("png")
        ? undefined
        : jpegSegments(image.bytes).find(([, m]) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc);
      const frameInWindow = !sof || sof[0] + sof[2] <= window;
      stats.push({
        key,
        kind: image.kind,
        requests: requests.length,
        gets: gets.length,
        bytes: gets.reduce((sum, r) => sum + r.responseBytes, 0),
        firstWindow: frameInWindow,
        serviceRoundTrips: roundTrips(all),
        byService,
      });
    }

    const items = Object.fromEntries((await scanTable(h)).map((item) => [item.ObjectKey, item]));
    const disagreements: string[] = [];
    for (const [i, image] of corpus.entries()) {
      const item = items[stats[i].key];
      const m = await sharp(image.bytes, { limitInputPixels: false }).metadata();
      const expected = {
        Status: "processed",
        Width: m.width,
        Height: m.height,
        Orientation: m.orientation ?? 1,
        DisplayWidth: m.autoOrient.width,
        DisplayHeight: m.autoOrient.height,
      };
      const listed = KNOWN.filter((k) => image.kind.split(" ").includes(k.kind)).map((k) => ITEM_FIELD[k.field]);
      for (const field of listed) delete (expected as Record<string, unknown>)[field];
      const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, item?.[k]]));
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        disagreements.push(`${stats[i].key}: ${JSON.stringify(actual)} vs libvips ${JSON.stringify(expected)}`);
    }

    const bytes = stats.map((s) => s.bytes).sort((a, b) => a - b);
    const gets = stats.map((s) => s.gets).sort((a, b) => a - b);
    const requests = stats.map((s) => s.requests).sort((a, b) => a - b);
    const ordinaryBytes = stats
      .filter((s) => s.firstWindow)
      .map((s) => s.bytes)
      .sort((a, b) => a - b);
    const trips = stats.map((s) => s.serviceRoundTrips).sort((a, b) => a - b);
    const typicalTrips = stats.filter((s) => s.firstWindow).map((s) => s.serviceRoundTrips);
    const figures = {
      services: {
        roundTrips: { p50: percentile(trips, 50), p99: percentile(trips, 99), max: trips[trips.length - 1] },
        typicalMax: Math.max(...typicalTrips),
        requests: Object.fromEntries(
          [...new Set(stats.flatMap((s) => Object.keys(s.byService)))]
            .sort()
            .map((k) => [k, stats.reduce((n, s) => n + (s.byService[k] ?? 0), 0) / stats.length]),
        ),
      },
      images: stats.length,
      lateHeaders: stats.filter((s) => !s.firstWindow).length,
      requests: { p50: percentile(requests, 50), p99: percentile(requests, 99), max: requests[requests.length - 1] },
      bytes: { p50: percentile(bytes, 50), p99: percentile(bytes, 99), max: bytes[bytes.length - 1] },
      gets: { p50: percentile(gets, 50), p99: percentile(gets, 99), max: gets[gets.length - 1] },
      frameHeaderInFirstWindow: {
        images: ordinaryBytes.length,
        bytesP99: percentile(ordinaryBytes, 99),
        bytesMax: ordinaryBytes[ordinaryBytes.length - 1],
      },
    };
    mkdirSync(join(__dirname, "..", "..", "build", "test-results"), { recursive: true });
    writeFileSync(join(__dirname, "..", "..", "build", "test-results", "reads.json"), JSON.stringify(figures, null, 2));
    console.log(`S3 requests, GETs and bytes per image: ${JSON.stringify(figures)}`);

    expect(disagreements).toEqual([]);
    expect(figures.bytes.max).toBeLessThanOrEqual(Number(h.functionEnvironment.MAX_READ_BYTES));
    // Every S3 request is a ranged GET (the first answers what a HeadObject would), and every GET
    // waits for the one before: at most four round trips to S3 per image.
    expect(stats.filter((s) => s.requests !== s.gets)).toEqual([]);
    expect(figures.gets.max).toBeLessThanOrEqual(4);
    // One S3 request, a GET of at most one window, whenever the frame header lies in the first window.
    const ordinary = stats.filter((s) => s.firstWindow);
    expect(ordinary.filter((s) => s.requests !== 1 || s.bytes > window)).toEqual([]);
    // All services, as the moto deployment answers them: a typical image (one GET, no notice) waits
    // for two round trips, its GET and its conditional PutItem; no image for more than the corpus budget.
    expect(
      ordinary.filter(
        (s) =>
          s.serviceRoundTrips > BUDGETS.typicalImage ||
          JSON.stringify(s.byService) !== JSON.stringify({ "s3:GET object": 1, "dynamodb:PutItem": 1 }),
      ),
    ).toEqual([]);
    expect(figures.services.roundTrips.max).toBeLessThanOrEqual(BUDGETS.corpusMax);
  }, 300_000);
});
