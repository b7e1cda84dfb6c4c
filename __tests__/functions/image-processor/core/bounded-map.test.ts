import { mapBounded } from "../../../../functions/image-processor/core/bounded-map";

describe("mapBounded", () => {
  it("keeps the input order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);

    const results = await mapBounded(items, 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      running--;
      return n * 2;
    });

    expect(results).toEqual(items.map((n) => n * 2));
    expect(peak).toBe(3);
  });

  it("handles no items", async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
