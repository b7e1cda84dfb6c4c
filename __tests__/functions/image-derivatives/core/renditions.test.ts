import { renditionKey, renditionProblems, resolveRenditions } from "../../../../functions/image-derivatives/core/renditions";
import { EXAMPLE_RENDITIONS } from "../../../../functions/image-derivatives/environment";

describe("renditionProblems", () => {
  it("accepts the example renditions and an empty list", () => {
    expect(renditionProblems(EXAMPLE_RENDITIONS)).toEqual([]);
    expect(renditionProblems([])).toEqual([]);
  });

  it.each([
    [[{ name: "Thumb", width: 100 }], "derivatives[0].name must be 1 to 32 lowercase letters"],
    [[{ name: "a/b", width: 100 }], "derivatives[0].name must be"],
    [
      [
        { name: "t", width: 100 },
        { name: "t", height: 100 },
      ],
      'derivatives[1].name must be unique among the renditions; "t" is used twice',
    ],
    [[{ name: "t" }], "derivatives[0] must have a width, a height or both"],
    [[{ name: "t", width: 15 }], "derivatives[0].width must be an integer from 16 to 8192; got 15"],
    [[{ name: "t", height: 8193 }], "derivatives[0].height must be an integer from 16 to 8192; got 8193"],
    [[{ name: "t", width: 100.5 }], "derivatives[0].width must be an integer from 16 to 8192; got 100.5"],
    [[{ name: "t", width: 100, fit: "fill" }], 'derivatives[0].fit must be one of inside, cover; got "fill"'],
    [[{ name: "t", width: 100, fit: "cover" }], 'derivatives[0]: fit "cover" needs both width and height'],
    [[{ name: "t", width: 100, format: "gif" }], 'derivatives[0].format must be one of webp, avif, jpeg, png; got "gif"'],
    [[{ name: "t", width: 100, quality: 0 }], "derivatives[0].quality must be an integer from 1 to 100; got 0"],
    [[{ name: "t", width: 100, sizes: [1] }], "derivatives[0].sizes is not a rendition field"],
    [Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, width: 100 })), "derivatives must have at most 10 renditions; got 11"],
    ["thumbnail", "derivatives must be a list of renditions"],
  ])("refuses %j, naming the field and what it allows", (renditions, message) => {
    // Act
    const problems = renditionProblems(renditions);
    // Assert
    expect(problems.join("\n")).toContain(message);
  });
});

describe("resolveRenditions", () => {
  it("fills in fit inside and format webp, and keeps what is given", () => {
    expect(
      resolveRenditions([
        { name: "a", width: 100 },
        { name: "b", width: 50, height: 60, fit: "cover", format: "avif", quality: 40 },
      ]),
    ).toEqual([
      { name: "a", width: 100, fit: "inside", format: "webp" },
      { name: "b", width: 50, height: 60, fit: "cover", format: "avif", quality: 40 },
    ]);
  });
});

describe("renditionKey", () => {
  it("puts the rendition's name first and keeps the whole original key, with the format's extension", () => {
    expect(renditionKey({ name: "thumbnail", format: "webp" }, "uploads/2026/cat photo.JPG")).toBe(
      "thumbnail/uploads/2026/cat photo.JPG.webp",
    );
    expect(renditionKey({ name: "large", format: "jpeg" }, "a.png")).toBe("large/a.png.jpg");
  });

  it("keeps the renditions of a.jpg and a.png apart", () => {
    expect(renditionKey({ name: "t", format: "webp" }, "a.jpg")).not.toBe(renditionKey({ name: "t", format: "webp" }, "a.png"));
  });
});
