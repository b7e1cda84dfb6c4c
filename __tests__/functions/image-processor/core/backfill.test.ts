import fc from "fast-check";
import { BACKFILL_EVENT, REPROCESS_EVENT, backfillRecord } from "../../../../functions/image-processor/core/backfill";
import { ADOPT_EVENT } from "../../../../functions/image-processor/core/legacy-item";
import { parseS3Event } from "../../../../functions/image-processor/core/s3-event";

describe("backfillRecord", () => {
  const object = (key: string) => ({ key, versionId: "v1", size: 10, eTag: '"abc"', lastModified: new Date("2026-11-01T08:00:00Z") });

  it("is read back by the processor's own parser as the object it names, whatever the key", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" }), (key) => {
        const parsed = parseS3Event({ Records: [backfillRecord("bucket-a", "eu-west-1", object(key))] });

        expect(parsed).toMatchObject({
          kind: "records",
          invalid: [],
          objects: [{ bucket: "bucket-a", key, versionId: "v1", size: 10, eTag: "abc" }],
        });
      }),
    );
  });

  it("carries the lowest sequencer and the upload time for a backfill, the stored sequencer for a reprocess", () => {
    const [backfill, reprocess, adopt] = [
      backfillRecord("b", "r", object("k.jpg")),
      backfillRecord("b", "r", object("k.jpg"), "reprocess", "00AB".padEnd(32, "0")),
      backfillRecord("b", "r", object("k.jpg"), "adopt"),
    ];
    const refs = parseS3Event({ Records: [backfill, reprocess, adopt] });

    expect(refs.kind === "records" && refs.objects.map((o) => [o.eventName, o.sequencer, o.eventTime])).toEqual([
      [BACKFILL_EVENT, "0".repeat(32), "2026-11-01T08:00:00.000Z"],
      [REPROCESS_EVENT, "00AB".padEnd(32, "0"), "2026-11-01T08:00:00.000Z"],
      [ADOPT_EVENT, "0".repeat(32), "2026-11-01T08:00:00.000Z"],
    ]);
  });
});
