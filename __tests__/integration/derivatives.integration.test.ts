// Derivatives end to end against moto: upload → processor (deployed bundle) → item and queue
// message → derivatives function (deployed bundle, with sharp) → renditions in the derivatives
// bucket, each checked with libvips (sharp) against its source and the item's Derivatives map.
import sharp from "sharp";
import { mapBounded } from "../../functions/image-processor/core/bounded-map";
import { image } from "../fixtures";
import { UPRIGHT, cmykJpeg, jpegWithGps, orientedJpeg, png16WithAlpha, regionMean } from "../functions/image-derivatives/sources";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { zipSync } from "fflate";
import { runCli } from "./cli-harness";
import { type DerivativesHarness, type DerivativesPipeline, startDerivativesPipeline } from "./derivatives-harness";
import { type Harness, type Invoke, drain, invokeAsync, scanTable, upload } from "./harness";

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const near = (actual: number[], expected: number[]) => actual.slice(0, 3).every((v, i) => Math.abs(v - expected[i]) <= 40);

describe("derivatives, end to end", () => {
  let h: Harness;
  let d: DerivativesHarness;
  let processor: Invoke;
  let derivatives: Invoke;

  let itemsByKey: DerivativesPipeline["itemsByKey"];

  beforeAll(async () => {
    ({ h, d, processor, derivatives, itemsByKey } = await startDerivativesPipeline());
  });
  afterAll(() => h?.close());

  it("makes upright, metadata-free renditions of JPEGs and PNGs and records them on their items", async () => {
    // Arrange
    const sources: Record<string, Buffer> = {
      "photos/orientation-6.jpg": await orientedJpeg(6),
      "photos/orientation-8.jpg": await orientedJpeg(8),
      "photos/cmyk.jpg": await cmykJpeg(),
      "photos/with gps.jpeg": await jpegWithGps(),
      "graphics/16-bit alpha.png": await png16WithAlpha(),
      "graphics/plain.png": image("plain.png"),
    };
    const events = [];
    for (const [key, bytes] of Object.entries(sources)) events.push((await upload(h, key, bytes)).event);
    events.push((await upload(h, "photos/not-an-image.jpg", "just text", "image/jpeg")).event);

    // Act
    for (const event of events) await processor(event);
    const pumped = await d.pump(derivatives);

    // Assert
    expect(pumped).toMatchObject({ failedMessages: 0, invocationErrors: 0 });
    const items = await itemsByKey();
    expect(items.get("photos/not-an-image.jpg")).toMatchObject({ Status: "rejected" });
    expect(items.get("photos/not-an-image.jpg")!.Derivatives).toBeUndefined();
    for (const [key, source] of Object.entries(sources)) {
      const item = items.get(key)!;
      expect(Object.keys(item.Derivatives ?? {}).sort()).toEqual(["large", "thumbnail"]);
      const stored = await sharp(source).metadata();
      const turned = (stored.orientation ?? 1) >= 5; // the source as a viewer shows it
      const display = { width: turned ? stored.height : stored.width, height: turned ? stored.width : stored.height };
      for (const [name, entry] of Object.entries(item.Derivatives as Record<string, any>)) {
        const written = await d.read(entry.Key);
        const meta = await sharp(written.bytes).metadata();
        expect(entry.Key).toBe(`${name}/${key}.webp`);
        expect([meta.format, meta.width, meta.height, written.bytes.length]).toEqual(["webp", entry.Width, entry.Height, entry.Bytes]);
        expect(written.contentType).toBe("image/webp");
        expect({ exif: meta.exif, xmp: meta.xmp, icc: meta.icc, orientation: meta.orientation }).toEqual({
          exif: undefined,
          xmp: undefined,
          icc: undefined,
          orientation: undefined,
        });
        if (name === "thumbnail")
          expect([meta.width, meta.height]).toEqual([320, 320].map((s, i) => Math.min(s, i === 0 ? display.width! : display.height!)));
        else expect(meta.width! / meta.height!).toBeCloseTo(display.width! / display.height!, 1);
      }
    }
    // Orientation 6 and 8: the large rendition is the upright picture, red left and blue right.
    for (const key of ["photos/orientation-6.jpg", "photos/orientation-8.jpg"]) {
      const large = await d.read(items.get(key)!.Derivatives.large.Key);
      const meta = await sharp(large.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([UPRIGHT.width, UPRIGHT.height]);
      expect(near(await regionMean(large.bytes, { left: 10, top: 10, width: 100, height: 150 }), RED)).toBe(true);
      expect(near(await regionMean(large.bytes, { left: 190, top: 10, width: 100, height: 150 }), BLUE)).toBe(true);
    }
    // Every large rendition looks like libvips' own upright sRGB decode of its source.
    for (const [key, source] of Object.entries(sources)) {
      const large = await d.read(items.get(key)!.Derivatives.large.Key);
      const { width, height } = (await sharp(large.bytes).metadata()) as { width: number; height: number };
      const reference = await sharp(source).rotate().resize(width, height).toColourspace("srgb").png().toBuffer();
      for (const left of [0, Math.floor(width / 2)]) {
        const region = { left, top: 0, width: Math.floor(width / 2), height };
        const [ours, theirs] = [await regionMean(large.bytes, region), await regionMean(reference, region)];
        expect(ours.slice(0, 3).every((v, i) => Math.abs(v - theirs[i]) <= 12)).toBe(true);
      }
    }
    const alpha = await d.read(items.get("graphics/16-bit alpha.png")!.Derivatives.large.Key);
    expect((await regionMean(alpha.bytes, { left: 200, top: 10, width: 90, height: 150 }))[3]).toBeLessThan(5);
  });

  it("renders a request with one GET of the key beside the item's read: no HeadObject before it, no GET of the version", async () => {
    // Arrange
    const key = "photos/one-get.jpg";
    const { event } = await upload(h, key, await orientedJpeg(6));
    await processor(event);
    h.proxy.requests.length = 0;

    // Act
    await d.pump(derivatives);

    // Assert: the function's S3 and DynamoDB requests, in order. The GET of the key names its current
    // version and brings its bytes; the HeadObject after the PUTs checks that no newer version landed.
    const calls = h.proxy.requests
      .filter((r) => r.service === "s3" || r.service === "dynamodb")
      .map((r) => {
        const path = decodeURIComponent(r.path);
        const target = path.startsWith(`/${d.bucket}/`) ? "rendition" : path.split("?")[0] === `/${h.bucket}/${key}` ? "source" : path;
        return r.service === "s3" ? `${r.method} ${target}${path.includes("versionId=") ? " (version)" : ""}` : r.operation;
      });
    // Recorded as they finish: those made together may finish in either order.
    const puts = calls.flatMap((c, i) => (c === "PUT rendition" ? [i] : []));
    expect(puts).toHaveLength(2);
    expect(calls.slice(0, puts[0]).sort()).toEqual(["GET source", "GetItem"]);
    expect(calls.slice(puts[1] + 1).sort()).toEqual(["HEAD source", "UpdateItem"]);
    expect(puts[1] - puts[0]).toBe(1);
  });

  it("writes nothing again for redelivered events and requests", async () => {
    // Arrange
    const before = await d.versions();
    const { event } = await upload(h, "photos/redelivered.jpg", await orientedJpeg(6));
    await processor(event);
    await d.pump(derivatives);
    const afterFirst = await d.versions();

    // Act: S3 delivers the event twice more; each time the processor sends the request again
    await processor(event);
    await processor(event);
    const again = await d.pump(derivatives);

    // Assert
    expect(afterFirst.length - before.length).toBe(2);
    expect(again.batches).toBeGreaterThan(0);
    expect(await d.versions()).toHaveLength(afterFirst.length);
  });

  it("keeps a key's renditions those of its current version, whatever order the versions' requests come in", async () => {
    // Arrange: a landscape v1 replaced by a portrait v2; v1's event is delivered again after both
    const key = "photos/replaced.jpg";
    const v1 = await upload(h, key, await orientedJpeg(1));
    const v2 = await upload(
      h,
      key,
      await sharp(await orientedJpeg(1))
        .rotate(90)
        .jpeg()
        .toBuffer(),
    );

    // Act
    await processor(v2.event);
    await processor(v1.event);
    await d.pump(derivatives);
    await processor(v1.event);
    await d.pump(derivatives);

    // Assert: the large rendition is portrait (v2), and only v2's item claims it
    const large = await d.read(`large/${key}.webp`);
    const meta = await sharp(large.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([UPRIGHT.height, UPRIGHT.width]);
    const items = (await scanTable(h)).filter((i) => i.ObjectKey === key);
    const claimed = items.filter((i) => i.Derivatives).map((i) => i.VersionId);
    expect(claimed).toEqual([v2.versionId]);
  });

  it("records an image over maxSourceBytes as too-large, without renditions or retries", async () => {
    // Arrange: a function instance with a 1 MiB limit and a 1.5 MB image
    const small = await d.startFunction({ MAX_SOURCE_BYTES: String(1024 * 1024) });
    const big = await sharp({
      create: { width: 1200, height: 1000, channels: 3, background: "black", noise: { type: "gaussian", mean: 128, sigma: 60 } },
    })
      .png()
      .toBuffer();
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const { event } = await upload(h, "graphics/huge noise.png", big);

    // Act
    await processor(event);
    const pumped = await d.pump(small);

    // Assert
    expect(pumped.failedMessages).toBe(0);
    const item = (await itemsByKey()).get("graphics/huge noise.png")!;
    expect(item).toMatchObject({ Status: "processed", DerivativesStatus: "too-large" });
    expect(item.DerivativesReason).toContain("more than maxSourceBytes");
    expect(item.Derivatives).toBeUndefined();
  });

  it("backfill derivatives requests exactly the renditions recorded images lack, and nothing on a second run", async () => {
    // Arrange: the derivatives function exists (the command reads its renditions); two items lose their renditions
    const moto = {
      endpoint: process.env.MOTO_ENDPOINT,
      region: h.region,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    const role = await new IAMClient(moto).send(
      new CreateRoleCommand({ RoleName: "ImageDerivatives-dev", AssumeRolePolicyDocument: "{}" }),
    );
    await new LambdaClient(moto).send(
      new CreateFunctionCommand({
        FunctionName: "ImageDerivatives-dev",
        Runtime: "nodejs22.x",
        Role: role.Role!.Arn,
        Handler: "index.handler",
        Code: { ZipFile: zipSync({ "index.js": new TextEncoder().encode("exports.handler = async () => ({});") }) },
        Environment: { Variables: d.functionEnvironment },
      }),
    );
    const before = await itemsByKey();
    const stripped = ["photos/cmyk.jpg", "graphics/plain.png"].map((key) => before.get(key)!.ImageId as string);
    for (const ImageId of stripped) {
      await h.documents.send(new UpdateCommand({ TableName: h.table, Key: { ImageId }, UpdateExpression: "REMOVE Derivatives" }));
    }
    const emulator = { AWS_ENDPOINT_URL: process.env.MOTO_ENDPOINT, AWS_REGION: h.region };
    const cli = (...args: string[]) =>
      runCli(["backfill", "derivatives", "--env", "dev", "--prefix", "photos/", "--json", ...args], emulator);

    // Act
    const dryRun = await cli("--dry-run");
    // The flag of earlier releases counts the same, and says what replaces it.
    const deprecated = await runCli(["backfill", "--derivatives", "--env", "dev", "--prefix", "photos/", "--json", "--dry-run"], emulator);
    const photos = await cli();
    const all = await runCli(["backfill", "derivatives", "--env", "dev", "--json"], emulator);
    const pumped = await d.pump(derivatives);
    const again = await runCli(["backfill", "derivatives", "--env", "dev", "--json"], emulator);

    // Assert
    expect([dryRun.code, photos.code, all.code, again.code]).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(dryRun.stdout)).toMatchObject({ requested: 1, failed: 0 });
    expect({ ...JSON.parse(deprecated.stdout), seconds: 0 }).toEqual({ ...JSON.parse(dryRun.stdout), seconds: 0 });
    expect(deprecated.stderr).toBe(
      "image-pipeline: `backfill --derivatives` is deprecated and goes in the next release: use `backfill derivatives`\n",
    );
    expect(JSON.parse(photos.stdout)).toMatchObject({ requested: 1 });
    expect(JSON.parse(all.stdout)).toMatchObject({ requested: 2 }); // the photo's first request is not taken yet
    const forced = await cli("--force", "--dry-run");
    expect(JSON.parse(forced.stdout)).toMatchObject({ requested: JSON.parse(forced.stdout).processed });
    expect(pumped.failedMessages).toBe(0);
    const items = await itemsByKey();
    for (const key of ["photos/cmyk.jpg", "graphics/plain.png"])
      expect(Object.keys(items.get(key)!.Derivatives).sort()).toEqual(["large", "thumbnail"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ requested: 0 });
    expect(JSON.parse(again.stdout).complete).toBe(JSON.parse(again.stdout).processed);
  });

  it("loses no rendition under transient faults: 120 images, each rendered once, recorded, or dead-lettered", async () => {
    // Arrange: uploads go straight to the emulator; only the functions' calls meet faults.
    const UPLOADS = 120;
    const samples = [await orientedJpeg(6), await orientedJpeg(8), image("plain.png"), await png16WithAlpha()];
    const uploads = await mapBounded(
      Array.from({ length: UPLOADS }, (_, i) => i),
      8,
      (i) => upload(h, `faults/${String(i).padStart(4, "0")}.${i % 4 < 2 ? "jpg" : "png"}`, samples[i % 4]),
    );
    const before = new Set((await d.versions()).map((v) => v.versionId));
    h.proxy.requests.length = 0;
    h.proxy.setFaults({ rate: Number(process.env.FAULT_RATE ?? 0.3), services: ["s3", "dynamodb", "sqs"], seed: 20261128 });

    // Act
    let started = Date.now();
    const runs = await mapBounded(uploads, 8, ({ event }) => invokeAsync(h, processor, event));
    const processorMs = Date.now() - started;
    started = Date.now();
    // Five function instances polling side by side, as Lambda's pollers scale out.
    const instances = [derivatives, ...(await Promise.all(Array.from({ length: 4 }, () => d.startFunction())))];
    const pumped = await d.pump(instances);
    const pumpMs = Date.now() - started;
    h.proxy.setFaults({ rate: 0, services: [], seed: 1 });

    // Assert
    const items = [...(await itemsByKey()).values()].filter((item) => item.ObjectKey.startsWith("faults/"));
    const processorDeadLetters = await drain(h, h.deadLetterQueueUrl);
    const requestDeadLetters = await drain(h, d.deadLetterQueueUrl);
    const deadRequests = new Set(requestDeadLetters.map((r) => r.imageId));
    const deadEvents = new Set(processorDeadLetters.map((l) => decodeURIComponent(l.requestPayload.Records[0].s3.object.key)));
    const complete = items.filter((item) => Object.keys(item.Derivatives ?? {}).length === 2);
    const lost = uploads.filter(({ record }) => {
      const key = decodeURIComponent(record.s3.object.key);
      const item = items.find((i) => i.ObjectKey === key);
      return !deadEvents.has(key) && !(item && (complete.includes(item) || deadRequests.has(item.ImageId)));
    });
    // Every rendition key written during the run holds one content, however often it was written.
    const written = (await d.versions()).filter((v) => v.key.includes("/faults/") && !before.has(v.versionId));
    const contents = new Map<string, Set<string>>();
    for (const v of written) contents.set(v.key, (contents.get(v.key) ?? new Set()).add(v.eTag));
    const tally = {
      uploads: UPLOADS,
      injectedFaults: h.proxy.requests.filter((r) => r.injected).length,
      retriedInvocations: runs.filter((run) => run.attempts > 1).length,
      processorDeadLetters: processorDeadLetters.length,
      requestBatches: pumped.batches,
      failedRequests: pumped.failedMessages,
      requestDeadLetters: requestDeadLetters.length,
      itemsWithRenditions: complete.length,
      renditionVersions: written.length,
      renditionKeys: contents.size,
      lost: lost.length,
      processorMs,
      pumpMs,
    };
    console.log(`derivatives fault tally: ${JSON.stringify(tally)}`);

    expect(lost).toEqual([]);
    expect([...contents.values()].filter((etags) => etags.size > 1)).toEqual([]);
    for (const item of complete)
      for (const entry of Object.values(item.Derivatives as Record<string, any>)) expect(contents.has(entry.Key)).toBe(true);
    // The faults were real, and reached both functions.
    expect(tally.injectedFaults).toBeGreaterThan(UPLOADS / 2);
    expect(tally.failedRequests).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThan(UPLOADS * 0.8);
  });
});
