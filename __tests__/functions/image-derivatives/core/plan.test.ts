import { planRequest, specOf } from "../../../../functions/image-derivatives/core/plan";
import { resolveRenditions } from "../../../../functions/image-derivatives/core/renditions";

const renditions = resolveRenditions([
  { name: "thumbnail", width: 320, height: 320, fit: "cover", quality: 75 },
  { name: "large", width: 1920 },
]);
const request = { bucket: "b", key: "k.jpg", versionId: "v1", imageId: "id", sequencer: "0A" };
const entry = (r: (typeof renditions)[number]) => ({
  Key: `${r.name}/k.jpg.webp`,
  Width: 1,
  Height: 1,
  Bytes: 1,
  Format: "webp",
  Spec: specOf(r),
});

describe("planRequest", () => {
  it("makes every rendition of a processed item that has none", () => {
    expect(planRequest(request, { Status: "processed", Sequencer: "0A" }, renditions)).toEqual({ kind: "render", renditions });
  });

  it.each([
    ["no item", undefined, "no item is recorded"],
    ["another version's item", { Status: "processed", Sequencer: "0B" }, "another version"],
    ["a rejected image", { Status: "rejected", Sequencer: "0A" }, "rejected, not processed"],
  ])("makes nothing for %s", (_, item, reason) => {
    const plan = planRequest(request, item, renditions);
    expect(plan.kind).toBe("stale");
    expect(plan.kind === "stale" && plan.reason).toContain(reason);
  });

  it("is done when every rendition is recorded with its current settings (a redelivered request)", () => {
    const item = { Status: "processed", Sequencer: "0A", Derivatives: { thumbnail: entry(renditions[0]), large: entry(renditions[1]) } };
    expect(planRequest(request, item, renditions)).toEqual({ kind: "done" });
  });

  it("makes only the missing renditions, and again those whose settings changed", () => {
    const item = {
      Status: "processed",
      Sequencer: "0A",
      Derivatives: { thumbnail: { ...entry(renditions[0]), Spec: "320x320 cover webp q90" } },
    };
    expect(planRequest(request, item, renditions)).toEqual({ kind: "render", renditions });
    const withThumb = { Status: "processed", Sequencer: "0A", Derivatives: { thumbnail: entry(renditions[0]) } };
    expect(planRequest(request, withThumb, renditions)).toEqual({ kind: "render", renditions: [renditions[1]] });
  });

  it("makes every rendition again when forced (backfill --derivatives)", () => {
    const item = { Status: "processed", Sequencer: "0A", Derivatives: { thumbnail: entry(renditions[0]), large: entry(renditions[1]) } };
    expect(planRequest({ ...request, force: true }, item, renditions)).toEqual({ kind: "render", renditions });
  });
});

describe("planRequest after a final outcome", () => {
  it("leaves a version that was too large alone, unless forced", () => {
    const item = { Status: "processed", Sequencer: "0A", DerivativesStatus: "too-large" };
    expect(planRequest(request, item, renditions)).toEqual({ kind: "done" });
    expect(planRequest({ ...request, force: true }, item, renditions)).toEqual({ kind: "render", renditions });
  });
});
