// The derivatives part's final outcomes and its care for what users delete, end to end against
// moto: keys too long for S3, a reprocess that keeps renditions, deletions that propagate.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { PROCESSOR_VERSION } from "../../functions/image-processor/core/outcome";
import { jpegWithGps, orientedJpeg } from "../functions/image-derivatives/sources";
import { MAX_KEY_BYTES, MAX_METADATA_BYTES } from "../../functions/image-derivatives/core/renditions";
import { provisionForCli } from "./cli-harness";
import { type DerivativesPipeline, startDerivativesPipeline } from "./derivatives-harness";
import { removalEventFor, scanTable, upload } from "./harness";

const GAPS: { integration: { type: string }[] } = JSON.parse(readFileSync(join(__dirname, "..", "deploy", "emulator-gaps.json"), "utf8"));

describe("derivatives: final outcomes, reprocessing and deletions, end to end", () => {
  let p: DerivativesPipeline;

  beforeAll(async () => {
    p = await startDerivativesPipeline();
  });
  afterAll(() => p?.h.close());

  it("records a key too long for any rendition as final, and keeps a key too long for S3's metadata out of the metadata only", async () => {
    // Arrange: a 1,016-byte key (legal; "large/<key>.webp" is not) and 240 CJK characters (720 bytes, 2,160 URL-encoded)
    const long = `photos/${"a".repeat(1005)}.jpg`;
    const cjk = `photos/${"猫".repeat(240)}.jpg`;
    const uploads = [await upload(p.h, long, await orientedJpeg(1)), await upload(p.h, cjk, await orientedJpeg(1))];

    // Act
    for (const { event } of uploads) await p.processor(event);
    const pumped = await p.d.pump(p.derivatives);

    // Assert: no retry, no dead letter; the reasons are on the items
    expect(pumped.failedMessages).toBe(0);
    const items = await p.itemsByKey();
    expect(Buffer.byteLength(long)).toBe(1016);
    expect(items.get(long)).toMatchObject({ Status: "processed", DerivativesStatus: "key-too-long" });
    expect(items.get(long)!.DerivativesReason).toContain("thumbnail, large would pass S3's 1024-byte key limit");
    expect(items.get(cjk)).toMatchObject({ DerivativesStatus: "written" });
    const written = await p.d.read(items.get(cjk)!.Derivatives.large.Key);
    expect(written.metadata).toEqual({
      "source-key-omitted": "longer than S3's 2 KB of metadata; the rendition's key holds it",
      "source-version-id": uploads[1].versionId,
    });
    // What real S3 refuses and the emulator does not (emulator-gaps.json, "integration"): never written.
    const metadataBytes = Object.entries(written.metadata ?? {}).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    expect(metadataBytes).toBeLessThanOrEqual(MAX_METADATA_BYTES);
    expect((await p.d.versions()).filter((v) => Buffer.byteLength(v.key) > MAX_KEY_BYTES)).toEqual([]);
  });

  it("shows the emulator's listed S3 limit gaps: it accepts a key over 1,024 bytes and metadata over 2 KB", async () => {
    // Fails when moto starts enforcing S3's limits: then the gaps leave emulator-gaps.json.
    const listed = GAPS.integration.map((gap) => gap.type).filter((type) => type.startsWith("s3:PutObject"));
    const key = p.h.s3.send(new PutObjectCommand({ Bucket: p.d.bucket, Key: `gap/${"k".repeat(MAX_KEY_BYTES)}`, Body: "x" }));
    const metadata = p.h.s3.send(
      new PutObjectCommand({ Bucket: p.d.bucket, Key: "gap/metadata", Body: "x", Metadata: { big: "m".repeat(MAX_METADATA_BYTES) } }),
    );

    const accepted = await Promise.all(
      [key, metadata].map((put) =>
        put.then(
          () => true,
          () => false,
        ),
      ),
    );

    expect(listed).toEqual(["s3:PutObject key length", "s3:PutObject metadata size"]);
    expect(accepted).toEqual([true, true]);
  });

  it("backfill --reprocess over a rendered image rewrites its facts, keeps its renditions and requests none", async () => {
    // Arrange: a rendered image whose item older code wrote, and the command's view of the stack
    const key = "reprocessed/photo.jpg";
    const uploaded = await upload(p.h, key, await orientedJpeg(6));
    await p.processor(uploaded.event);
    await p.d.pump(p.derivatives);
    const rendered = (await p.itemsByKey()).get(key)!;
    await p.h.documents.send(
      new UpdateCommand({
        TableName: p.h.table,
        Key: { ImageId: rendered.ImageId },
        UpdateExpression: "SET ProcessorVersion = :old, Width = :wrong",
        ExpressionAttributeValues: { ":old": "0.0.1", ":wrong": 1 },
      }),
    );
    const versionsBefore = await p.d.versions();
    const cli = await provisionForCli(p.h);
    const since = Date.now();

    // Act: the command, then the processor given what it invoked
    const result = await cli.cli(["backfill", "--outputs", cli.outputsFile, "--prefix", "reprocessed/", "--reprocess", "--json"]);
    for (const { payload } of cli.invocations(since)) await p.processor(payload);
    const pumped = await p.d.pump(p.derivatives);

    // Assert
    expect(JSON.parse(result.stdout)).toMatchObject({ sent: 1, reprocessed: 1 });
    const after = (await p.itemsByKey()).get(key)!;
    expect(after).toMatchObject({
      ProcessorVersion: PROCESSOR_VERSION,
      Width: rendered.Width,
      Derivatives: rendered.Derivatives,
      DerivativesStatus: "written",
    });
    expect(pumped.batches).toBe(0); // no request was queued
    expect(await p.d.versions()).toEqual(versionsBefore);
  });

  it("propagates a deletion: the item is marked deleted without its personal facts, and the renditions go once no version is current", async () => {
    // Arrange: a rendered photo with a position, then a second version, then a delete marker
    const key = "photos/deleted later.jpg";
    const first = await upload(p.h, key, await jpegWithGps());
    await p.processor(first.event);
    const second = await upload(p.h, key, await orientedJpeg(1));
    await p.processor(second.event);
    await p.d.pump(p.derivatives);
    const deleted = await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key }));

    // Act: S3's ObjectRemoved:DeleteMarkerCreated, then a version deleted for good
    await p.processor(removalEventFor(p.h, key, "ObjectRemoved:DeleteMarkerCreated", deleted.VersionId!));
    await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key, VersionId: first.versionId }));
    await p.processor(removalEventFor(p.h, key, "ObjectRemoved:Delete", first.versionId));
    const pumped = await p.d.pump(p.derivatives);

    // Assert: both versions' items are deleted, the hidden one by the marker's event
    expect(pumped.failedMessages).toBe(0);
    const items = (await scanTable(p.h)).filter((item) => item.ObjectKey === key);
    const byVersion = new Map(items.map((item) => [item.VersionId, item]));
    for (const version of [first.versionId, second.versionId]) {
      expect(byVersion.get(version)).toMatchObject({ Status: "deleted", DeletedAt: expect.any(String) });
      expect(Object.keys(byVersion.get(version)!).filter((a) => /^(Gps|HasGps|TakenAt|Camera)/.test(a))).toEqual([]);
    }
    // The renditions are delete markers now; their bytes expire with the bucket's noncurrent versions.
    for (const name of ["thumbnail", "large"]) {
      const head = p.h.s3.send(new HeadObjectCommand({ Bucket: p.d.bucket, Key: `${name}/${key}.webp` }));
      await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    }
  });

  it("keeps the renditions when a new version came after the deletion: they are the new version's", async () => {
    // Arrange: rendered, deleted, uploaded again before the deletion's request is taken
    const key = "photos/deleted then uploaded.jpg";
    const first = await upload(p.h, key, await orientedJpeg(1));
    await p.processor(first.event);
    await p.d.pump(p.derivatives);
    const marker = await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key }));
    await p.processor(removalEventFor(p.h, key, "ObjectRemoved:DeleteMarkerCreated", marker.VersionId!));
    const again = await upload(p.h, key, await orientedJpeg(6));

    // Act
    await p.processor(again.event);
    await p.d.pump(p.derivatives);

    // Assert: the old version's item is deleted; the key's renditions are the new version's
    const items = (await scanTable(p.h)).filter((item) => item.ObjectKey === key);
    expect(items.find((item) => item.VersionId === first.versionId)).toMatchObject({ Status: "deleted" });
    expect(items.find((item) => item.VersionId === again.versionId)).toMatchObject({ Status: "processed", DerivativesStatus: "written" });
    const large = await p.d.read(`large/${key}.webp`);
    expect(large.metadata?.["source-version-id"]).toBe(again.versionId);
  });

  it("makes the renditions of the version current again when the current one is deleted for good", async () => {
    // Arrange: two versions, the second rendered last, so the key's renditions are its
    const key = "photos/rolled back.jpg";
    const first = await upload(p.h, key, await orientedJpeg(1));
    await p.processor(first.event);
    await p.d.pump(p.derivatives);
    const second = await upload(p.h, key, await orientedJpeg(6));
    await p.processor(second.event);
    await p.d.pump(p.derivatives);
    expect((await p.d.read(`large/${key}.webp`)).metadata?.["source-version-id"]).toBe(second.versionId);

    // Act: the second version deleted for good; the first is current again
    await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key, VersionId: second.versionId }));
    await p.processor(removalEventFor(p.h, key, "ObjectRemoved:Delete", second.versionId));
    const pumped = await p.d.pump(p.derivatives);

    // Assert
    expect(pumped.failedMessages).toBe(0);
    const items = (await scanTable(p.h)).filter((item) => item.ObjectKey === key);
    expect(items.find((item) => item.VersionId === second.versionId)).toMatchObject({ Status: "deleted" });
    for (const name of ["thumbnail", "large"]) {
      expect((await p.d.read(`${name}/${key}.webp`)).metadata?.["source-version-id"]).toBe(first.versionId);
    }
  });
});
