import sharp from "sharp";
import type { DerivativesConfig } from "../../../functions/image-derivatives/config";
import { resolveRenditions } from "../../../functions/image-derivatives/core/renditions";
import { requestBody } from "../../../functions/shared/derivative-request";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { processBatch } from "../../../functions/image-derivatives/process-batch";
import { imageId } from "../../../functions/shared/image-id";
import { fakeDependencies } from "./fakes";
import { orientedJpeg } from "./sources";

const config: DerivativesConfig = {
  tableName: "ImageMetadata-dev",
  bucketName: "image-derivatives-dev-123456789012",
  environment: "dev",
  renditions: resolveRenditions(EXAMPLE_RENDITIONS),
  maxSourceBytes: 1024 * 1024,
  maxImagePixels: 16383 * 16383,
  memoryMb: 1536,
};
const request = { bucket: "images", key: "uploads/cat.jpg", versionId: "v1", imageId: "id-1", sequencer: "0A" };
const message = (body: object | string, messageId = "m1") => ({
  messageId,
  body: typeof body === "string" ? body : requestBody(body as never),
});

async function arrange() {
  const deps = fakeDependencies();
  deps.images.objects.set("uploads/cat.jpg#v1", await orientedJpeg(6));
  deps.store.items.set("id-1", { Status: "processed", Sequencer: "0A", Width: 200, Height: 300 });
  return deps;
}

describe("processBatch", () => {
  it("writes every rendition at <name>/<key>.<ext> and records them on the item", async () => {
    // Arrange
    const deps = await arrange();
    // Act
    const [result] = await processBatch([message(request)], deps, config);
    // Assert
    expect(result).toMatchObject({ ok: true, outcome: "rendered", megapixels: 0.06 });
    expect(deps.renditions.puts.map((p) => [p.key, p.contentType])).toEqual([
      ["thumbnail/uploads/cat.jpg.webp", "image/webp"],
      ["large/uploads/cat.jpg.webp", "image/webp"],
    ]);
    const item = deps.store.items.get("id-1")!;
    for (const put of deps.renditions.puts) {
      const meta = await sharp(put.bytes).metadata();
      const name = put.key.split("/")[0];
      expect(item.Derivatives![name]).toMatchObject({
        Key: put.key,
        Width: meta.width,
        Height: meta.height,
        Bytes: put.bytes.length,
        Format: "webp",
      });
    }
    expect(item.Derivatives!.large).toMatchObject({ Width: 300, Height: 200 }); // upright, not enlarged
  });

  it("reads the item and the current version's bytes in one round trip: the GET names the version, no HeadObject before it", async () => {
    // Arrange: the item's read waits until the test lets it go
    const deps = await arrange();
    const get = deps.store.get.bind(deps.store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    deps.store.get = async (id) => {
      await gate;
      return get(id);
    };
    // Act
    const done = processBatch([message(request)], deps, config);
    await new Promise((resolve) => setImmediate(resolve));
    const whileTheItemIsRead = { gets: deps.images.gets, heads: deps.images.heads, reads: deps.images.reads };
    release();
    const [result] = await done;
    // Assert: the GET went out beside the item's read, its body waited for the item's answer; one
    // HeadObject after the writes (the check that no newer version landed meanwhile).
    expect(whileTheItemIsRead).toEqual({ gets: 1, heads: 0, reads: 0 });
    expect(result).toMatchObject({ ok: true, outcome: "rendered" });
    expect({ gets: deps.images.gets, heads: deps.images.heads, reads: deps.images.reads }).toEqual({ gets: 1, heads: 1, reads: 1 });
  });

  it("refuses, as a final too-large and before reading a byte, an image whose decode cannot fit the function's memory", async () => {
    // Arrange: the case, a 16000×16000 progressive JPEG of 3 MB, recorded by the processor
    const deps = await arrange();
    deps.store.items.set("id-1", {
      Status: "processed",
      Sequencer: "0A",
      Width: 16000,
      Height: 16000,
      FileSize: 3_000_000,
      DetectedFormat: "jpeg",
      Progressive: true,
      ColorModel: "rgb",
    });
    // Act
    const [result] = await processBatch([message(request)], deps, config);
    // Assert
    expect(result).toMatchObject({ ok: true, outcome: "too-large" });
    expect(deps.store.items.get("id-1")!.DerivativesReason).toMatch(
      /^decoding its 16000×16000 pixels \(progressive JPEG\) takes about \d+ MiB, more than the 1382 MiB its 1536 MB function may plan to use$/,
    );
    expect([deps.images.reads, deps.renditions.puts.length]).toEqual([0, 0]);
  });

  it("does nothing for a redelivered request: no read, no write", async () => {
    const deps = await arrange();
    await processBatch([message(request)], deps, config);
    const [again] = await processBatch([message(request)], deps, config);
    expect(again).toMatchObject({ ok: true, outcome: "done" });
    expect([deps.images.reads, deps.renditions.puts.length]).toEqual([1, 2]);
  });

  it("makes everything again when forced, with the same bytes", async () => {
    const deps = await arrange();
    await processBatch([message(request)], deps, config);
    await processBatch([message({ ...request, force: true })], deps, config);
    const [a, b, c, d] = deps.renditions.puts;
    expect([c.key, d.key]).toEqual([a.key, b.key]);
    expect([Buffer.from(c.bytes).equals(a.bytes), Buffer.from(d.bytes).equals(b.bytes)]).toEqual([true, true]);
  });

  it("records too-large on the item, reads no body, and does not retry", async () => {
    const deps = await arrange();
    const [result] = await processBatch([message(request)], deps, { ...config, maxSourceBytes: 1000 });
    expect(result).toMatchObject({ ok: true, outcome: "too-large" });
    expect(deps.store.items.get("id-1")).toMatchObject({
      DerivativesStatus: "too-large",
      DerivativesReason: expect.stringContaining("more than maxSourceBytes"),
    });
    expect(deps.renditions.puts).toEqual([]);
  });

  it("records undecodable bytes as a final outcome, and writes nothing for a version that is not the current one", async () => {
    const deps = await arrange();
    deps.images.objects.set("uploads/cat.jpg#v1", Buffer.from("\xff\xd8\xff broken"));
    deps.store.items.set("id-2", { Status: "processed", Sequencer: "0B" });
    const results = await processBatch(
      [message(request), message({ ...request, versionId: "gone", imageId: "id-2", sequencer: "0B" }, "m2")],
      deps,
      config,
    );
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["undecodable", "stale"]);
    expect(deps.store.items.get("id-1")).toMatchObject({
      DerivativesStatus: "undecodable",
      DerivativesReason: expect.stringContaining("libvips cannot decode"),
    });
    expect(deps.store.items.get("id-2")!.DerivativesStatus).toBeUndefined();
  });

  it("leaves an older version's request alone once the object has a newer version (SQS keeps no order)", async () => {
    // Arrange: v2 replaced v1 before v1's request is taken
    const deps = await arrange();
    deps.images.objects.set("uploads/cat.jpg#v2", await orientedJpeg(1));
    // Act
    const [result] = await processBatch([message(request)], deps, config);
    // Assert
    expect(result).toMatchObject({ ok: true, outcome: "stale", reason: expect.stringContaining("newer version") });
    expect([deps.images.reads, deps.renditions.puts.length]).toEqual([0, 0]);
  });

  it("makes the current version's renditions again when a newer upload landed while an older one's were written", async () => {
    // Arrange: v2 (landscape) is uploaded, and recorded, after v1's (portrait) request passed its check
    const deps = await arrange();
    const newer = await orientedJpeg(1);
    const newerId = imageId("images", "uploads/cat.jpg", "v2");
    deps.images.onCurrentVersionCheck = (check) => {
      if (check !== 2) return; // after the first check, before the one that follows the writes
      deps.images.objects.set("uploads/cat.jpg#v2", newer);
      deps.store.items.set(newerId, { Status: "processed", Sequencer: "0B", Width: 300, Height: 200 });
    };
    // Act
    const [result] = await processBatch([message(request)], deps, config);
    // Assert: the last write of each key is v2's, and v2's item records it
    expect(result).toMatchObject({ ok: true, outcome: "rendered" });
    const last = new Map(deps.renditions.puts.map((p) => [p.key, p.bytes]));
    const large = await sharp(last.get("large/uploads/cat.jpg.webp")!).metadata();
    expect([large.width, large.height]).toEqual([300, 200]);
    expect(deps.store.items.get(newerId)!.Derivatives!.large).toMatchObject({ Width: 300, Height: 200 });
  });

  it("skips a request for a version the item no longer records", async () => {
    const deps = await arrange();
    deps.store.items.set("id-1", { Status: "processed", Sequencer: "0C" });
    const [result] = await processBatch([message(request)], deps, config);
    expect(result).toMatchObject({ ok: true, outcome: "stale" });
    expect(deps.images.reads).toBe(0);
  });

  it("reports a transient failure and an unreadable message as failed, and still does the rest of the batch", async () => {
    const deps = await arrange();
    deps.images.failNext = 1;
    const results = await processBatch([message(request, "m1"), message("{oops", "m2"), message(request, "m3")], deps, config);
    expect(results.map((r) => [r.messageId, r.ok])).toEqual([
      ["m1", false],
      ["m2", false],
      ["m3", true],
    ]);
    expect(results[1].ok === false && String(results[1].error)).toContain("the message body is not JSON");
  });
});
