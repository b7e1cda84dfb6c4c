import fc from "fast-check";
import { decodeKey, isRemoval, normalizeSequencer, parseS3Event } from "../../../../functions/image-processor/core/s3-event";
import { encodeKey, s3Event, s3Record } from "../../../fixtures";

describe("decodeKey", () => {
  it.each([
    ["photos/summer+holiday.jpg", "photos/summer holiday.jpg"],
    ["a%2Bb.jpg", "a+b.jpg"],
    ["100%25+sure.png", "100% sure.png"],
    ["caf%C3%A9/%E5%86%99%E7%9C%9F.jpeg", "café/写真.jpeg"],
    ["deeply/nested/prefix/of/many/levels/x.JPG", "deeply/nested/prefix/of/many/levels/x.JPG"],
  ])("decodes %p to %p", (encoded, decoded) => {
    expect(decodeKey(encoded)).toBe(decoded);
  });

  it("returns undefined for malformed percent-encoding instead of throwing", () => {
    expect(decodeKey("bad%E0%A4%A.jpg")).toBeUndefined();
  });

  it("round-trips any key S3 can hold, encoded the way S3 encodes it", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }), (key) => {
        expect(decodeKey(encodeKey(key))).toBe(key);
      }),
    );
  });
});

describe("normalizeSequencer", () => {
  // S3 User Guide, "Event message structure": "The sequencers can be of different lengths. So, to
  // compare these values, first right pad the shorter value with zeros, and then do a
  // lexicographical comparison."
  it("right-pads with zeros to one width, as the S3 User Guide says to compare sequencers of different lengths", () => {
    expect(normalizeSequencer("0055AED6DCD90281E5")).toBe(`0055AED6DCD90281E5${"0".repeat(14)}`);
    expect(normalizeSequencer("ABC")! < normalizeSequencer("ABD")!).toBe(true);
    // "FF" and "100" differ in length: right-padded, "FF0..." follows "100...".
    expect(normalizeSequencer("FF")! > normalizeSequencer("100")!).toBe(true);
    expect(normalizeSequencer("abc")).toBe(normalizeSequencer("ABC0"));
  });

  it("refuses what is not hexadecimal", () => {
    expect(normalizeSequencer("")).toBeUndefined();
    expect(normalizeSequencer("0055XYZ")).toBeUndefined();
  });

  it("orders any two sequencers as their right-padded lexicographic comparison", () => {
    const hex = fc.stringMatching(/^[0-9A-F]{1,32}$/);
    fc.assert(
      fc.property(hex, hex, (a, b) => {
        const width = Math.max(a.length, b.length);
        const [pa, pb] = [a.padEnd(width, "0"), b.padEnd(width, "0")];
        const [sa, sb] = [normalizeSequencer(a)!, normalizeSequencer(b)!];
        expect(Math.sign(sa < sb ? -1 : sa > sb ? 1 : 0)).toBe(pa < pb ? -1 : pa > pb ? 1 : 0);
      }),
    );
  });
});

describe("parseS3Event", () => {
  it("reads every record of an ObjectCreated notification", () => {
    const parsed = parseS3Event(
      s3Event(
        { encodedKey: "uploads/my+photo.jpg", size: 2048, versionId: "v1", sequencer: "0A" },
        { encodedKey: "a%2Bb.PNG", versionId: "null" },
      ),
    );

    expect(parsed).toEqual({
      kind: "records",
      invalid: [],
      objects: [
        {
          bucket: "image-storage-bucket-dev-123456789012",
          key: "uploads/my photo.jpg",
          versionId: "v1",
          sequencer: `0A${"0".repeat(30)}`,
          size: 2048,
          eTag: "0123456789abcdef0123456789abcdef",
          eventName: "ObjectCreated:Put",
          eventTime: "2026-11-27T10:15:30.000Z",
        },
        // Written while versioning was off: S3 names that version "null", and reads it by that id.
        expect.objectContaining({ key: "a+b.PNG", versionId: "null" }),
      ],
    });
  });

  it("reads the deletions a user and the bucket's lifecycle make as removals", () => {
    const names = [
      "ObjectRemoved:Delete",
      "ObjectRemoved:DeleteMarkerCreated",
      "LifecycleExpiration:Delete",
      "LifecycleExpiration:DeleteMarkerCreated",
    ];

    const parsed = parseS3Event(s3Event(...names.map((eventName) => ({ encodedKey: "a.jpg", eventName }))));

    expect(parsed.kind === "records" && parsed.objects.map((ref) => [ref.eventName, isRemoval(ref)])).toEqual(names.map((n) => [n, true]));
  });

  it("keeps very long keys intact", () => {
    const key = `${"a/".repeat(300)}${"x".repeat(400)}.jpg`;

    const parsed = parseS3Event(s3Event({ encodedKey: encodeKey(key) }));

    expect(parsed.kind === "records" && parsed.objects[0].key).toBe(key);
  });

  it.each([
    [{ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "b" }, "s3:TestEvent"],
    [{}, "no Records"],
    [{ Records: [] }, "no Records"],
    [null, "not an object"],
    ["text", "not an object"],
  ])("ignores %p", (event, reason) => {
    const parsed = parseS3Event(event);

    expect(parsed.kind).toBe("ignored");
    expect(parsed.kind === "ignored" && parsed.reason).toContain(reason);
  });

  it("reports bad records with a reason and keeps the good ones", () => {
    const good = s3Record({ encodedKey: "ok.jpg" });
    const event = {
      Records: [
        good,
        { ...good, eventName: "ObjectRestore:Completed" },
        { ...good, s3: { ...good.s3, object: { ...good.s3.object, key: "bad%E0%A4%A.jpg" } } },
        { ...good, s3: { ...good.s3, object: { ...good.s3.object, sequencer: undefined } } },
        { ...good, eventTime: "yesterday" },
        { ...good, s3: { ...good.s3, bucket: {} } },
        { ...good, s3: { ...good.s3, object: { ...good.s3.object, size: -1 } } },
      ],
    };

    const parsed = parseS3Event(event);

    expect(parsed.kind === "records" && parsed.objects.map((o) => o.key)).toEqual(["ok.jpg"]);
    const removal = parseS3Event({ Records: [{ ...good, eventName: "ObjectRemoved:DeleteMarkerCreated" }] });
    expect(removal.kind === "records" && removal.objects.map((o) => o.eventName)).toEqual(["ObjectRemoved:DeleteMarkerCreated"]);
    expect(parsed.kind === "records" && parsed.invalid.map((r) => [r.index, r.reason])).toEqual([
      [1, 'not an ObjectCreated, ObjectRemoved or LifecycleExpiration event (eventName: "ObjectRestore:Completed")'],
      [2, "s3.object.key is not valid URL encoding"],
      [3, "s3.object.sequencer is missing or not hexadecimal"],
      [4, "eventTime is missing or not a date"],
      [5, "record has no s3.bucket.name"],
      [6, "s3.object.size is not a non-negative integer"],
    ]);
  });

  it("never throws, whatever the payload", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5 }), (payload) => {
        expect(() => parseS3Event(payload)).not.toThrow();
      }),
    );
  });

  it("never throws on records of the right shape with arbitrary field values", () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object());
    const record = fc.record({
      eventName: fc.oneof(fc.constant("ObjectCreated:Put"), field),
      eventTime: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        field,
      ),
      s3: fc.record({
        bucket: fc.record({ name: field }),
        object: fc.record({
          key: field,
          size: field,
          versionId: field,
          sequencer: fc.oneof(
            fc.bigInt({ min: 0n, max: 1n << 100n }).map((n) => n.toString(16)),
            field,
          ),
        }),
      }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), (records) => {
        const parsed = parseS3Event({ Records: records });
        expect(parsed.kind).toBe("records");
        expect(parsed.kind === "records" && parsed.objects.length + parsed.invalid.length).toBe(records.length);
      }),
    );
  });
});
