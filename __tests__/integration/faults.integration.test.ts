import { image } from "../fixtures";
import { mapBounded } from "../../functions/image-processor/core/bounded-map";
import { type Harness, type Invoke, drain, invokeAsync, provisionFromStack, scanTable, upload } from "./harness";

const UPLOADS = 240;
const FAULT_RATE = 0.45;

describe("transient faults: nothing is lost", () => {
  let h: Harness;
  let invoke: Invoke;

  beforeAll(async () => {
    h = await provisionFromStack();
    invoke = await h.startFunction();
  });
  afterAll(() => h?.close());

  it(`accounts for every one of ${UPLOADS} uploads as an item or a dead letter, with no duplicates`, async () => {
    // Arrange: uploads go straight to the emulator; only the function's calls meet faults.
    const samples = ["baseline-exif.jpg", "progressive.jpg", "plain.png", "interlaced.png"].map(image);
    const uploads = await mapBounded(
      Array.from({ length: UPLOADS }, (_, i) => i),
      8,
      (i) => upload(h, `batch/${String(i).padStart(4, "0")}.${i % 4 < 2 ? "jpg" : "png"}`, samples[i % 4]),
    );
    h.proxy.requests.length = 0;
    h.proxy.setFaults({ rate: FAULT_RATE, services: ["s3", "dynamodb", "sns"], seed: 20261127 });

    // Act: each event through Lambda's async contract (retries, then the dead-letter queue).
    const runs = await mapBounded(uploads, 8, ({ event }) => invokeAsync(h, invoke, event));
    h.proxy.setFaults({ rate: 0, services: [], seed: 1 });

    // Assert
    const items = await scanTable(h);
    const deadLetters = await drain(h, h.deadLetterQueueUrl);
    const itemKeys = new Set(items.map((item) => `${item.ObjectKey}#${item.VersionId}`));
    const deadKeys = new Set(
      deadLetters.map((letter) => {
        const object = letter.requestPayload.Records[0].s3.object;
        return `${decodeURIComponent(object.key)}#${object.versionId}`;
      }),
    );
    const lost = uploads.filter(({ record, versionId }) => {
      const id = `${decodeURIComponent(record.s3.object.key)}#${versionId}`;
      return !itemKeys.has(id) && !deadKeys.has(id);
    });
    const injected = h.proxy.requests.filter((r) => r.injected).length;
    const tally = {
      uploads: UPLOADS,
      requests: h.proxy.requests.length,
      injectedFaults: injected,
      retriedInvocations: runs.filter((run) => run.attempts > 1).length,
      items: items.length,
      deadLetters: deadLetters.length,
      lost: lost.length,
    };
    console.log(`fault tally: ${JSON.stringify(tally)}`);

    expect(lost).toEqual([]);
    expect(items).toHaveLength(itemKeys.size); // no duplicate items for one version
    expect(items.every((item) => item.Status === "processed")).toBe(true);
    expect(deadLetters).toHaveLength(runs.filter((run) => !run.ok).length);
    // The faults were real: many calls failed and some events needed Lambda's retries.
    expect(injected).toBeGreaterThan(UPLOADS / 2);
    expect(tally.retriedInvocations).toBeGreaterThan(0);
  });
});
