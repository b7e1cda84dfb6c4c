import { hasImageSuffix } from "../../../../functions/image-processor/core/key-suffix";

describe("hasImageSuffix", () => {
  it.each(["a.jpg", "a.JPG", "a.Jpg", "a.jPeG", "dir/b.PnG", "c d.JPEG"])("takes %s, whatever the letter case", (key) => {
    expect(hasImageSuffix(key, ["jpeg", "png"])).toBe(true);
  });

  it.each(["a.txt", "a.jpg.txt", "a.jpgx", "photos/", "jpg", "a.webp"])(
    "skips %s, which does not end in a suffix of jpeg or png",
    (key) => {
      expect(hasImageSuffix(key, ["jpeg", "png"])).toBe(false);
    },
  );

  it("takes the suffixes of opt-in formats only when they are configured", () => {
    expect(hasImageSuffix("a.HEIF", ["jpeg", "png"])).toBe(false);
    expect(hasImageSuffix("a.HEIF", ["heic"])).toBe(true);
    expect(hasImageSuffix("a.Tif", ["tiff"])).toBe(true);
  });
});
