// `npm run test:differential`: the processor's reading of every image in a generated corpus,
// against libvips' (sharp's metadata()), the reference nobody here wrote. Then a mutation fuzz
// over the same corpus. Every disagreement must be one listed in known-differences.json.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { readExif } from "../../functions/image-processor/core/exif";
import { inspectBytes } from "../../functions/image-processor/core/image-inspection";
import { orientationAttributes } from "../../functions/image-processor/core/outcome";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";
import { type CorpusImage, generateCorpus, jpegSegments, prng } from "./corpus";

const CORPUS_SIZE = Number(process.env.CORPUS_SIZE ?? 1200);
const BUDGET = {
  windowBytes: PROCESSOR_DEFAULTS.readWindowBytes,
  maxGets: PROCESSOR_DEFAULTS.maxReadGets,
  maxBytes: PROCESSOR_DEFAULTS.maxReadBytes,
};
const LIMITS = { maxPixels: PROCESSOR_DEFAULTS.maxImagePixels, formats: ["jpeg", "png"] as const };
const KNOWN: { kind: string; field: string; reason: string }[] = JSON.parse(
  readFileSync(join(__dirname, "known-differences.json"), "utf8"),
).differences;

interface Reading {
  format: string;
  width: number;
  height: number;
  orientation: number;
  displayWidth: number;
  displayHeight: number;
}

/** What the processor records for the image, or its rejection. */
async function ours(bytes: Uint8Array): Promise<Reading | { rejected: string }> {
  const result = await inspectBytes(bytes, LIMITS, BUDGET);
  if (result.kind !== "inspected") throw new Error("an in-memory object cannot go missing");
  const { inspection } = result;
  if (inspection.kind === "rejected") return { rejected: inspection.reason };
  const { header, format } = inspection;
  // Through the same function that writes the item's Orientation and display size.
  const exif = header.exif ? await readExif(header.exif, { withCoordinates: false }) : undefined;
  const { Orientation, DisplayWidth, DisplayHeight } = orientationAttributes(header.width, header.height, exif?.orientation);
  return {
    format,
    width: header.width,
    height: header.height,
    orientation: Orientation,
    displayWidth: DisplayWidth,
    displayHeight: DisplayHeight,
  };
}

/** What libvips reads from the header. */
async function reference(bytes: Uint8Array): Promise<Reading | { rejected: string }> {
  try {
    const m = await sharp(bytes, { limitInputPixels: false, failOn: "none" }).metadata();
    return {
      format: m.format,
      width: m.width,
      height: m.height,
      orientation: m.orientation ?? 1,
      displayWidth: m.autoOrient.width,
      displayHeight: m.autoOrient.height,
    };
  } catch (error) {
    return { rejected: (error as Error).message };
  }
}

const FIELDS = ["format", "width", "height", "orientation", "displayWidth", "displayHeight"] as const;

/** The fields on which the two readings differ ("rejected" when only one side rejects). */
function differences(a: Reading | { rejected: string }, b: Reading | { rejected: string }): string[] {
  if ("rejected" in a || "rejected" in b) return "rejected" in a && "rejected" in b ? [] : ["rejected"];
  return FIELDS.filter((field) => a[field] !== b[field]);
}

const isListed = (image: CorpusImage, field: string) => KNOWN.some((k) => image.kind.split(" ").includes(k.kind) && k.field === field);

let corpus: CorpusImage[];
const tally = { images: 0, agreements: 0, listed: [] as string[], unlisted: [] as string[] };

beforeAll(async () => {
  corpus = await generateCorpus(CORPUS_SIZE);
}, 300_000);

describe("the processor against libvips", () => {
  it(`reads format, size, orientation and display size as libvips does, for every one of ${CORPUS_SIZE}+ generated images`, async () => {
    for (const image of corpus) {
      const [mine, theirs] = await Promise.all([ours(image.bytes), reference(image.bytes)]);
      const differing = differences(mine, theirs);
      tally.images++;
      if (differing.length === 0) {
        tally.agreements++;
        continue;
      }
      const line = `${image.name} [${image.kind}] ${differing.join(",")}: ours ${JSON.stringify(mine)} libvips ${JSON.stringify(theirs)}`;
      if (differing.every((field) => isListed(image, field))) tally.listed.push(line);
      else tally.unlisted.push(line);
    }
    mkdirSync(join(__dirname, "..", "..", "build", "test-results"), { recursive: true });
    writeFileSync(
      join(__dirname, "..", "..", "build", "test-results", "differential.txt"),
      [JSON.stringify({ ...tally, listed: tally.listed.length, unlisted: tally.unlisted.length }), ...tally.listed, ...tally.unlisted].join(
        "\n",
      ),
    );
    console.log(
      `differential tally: ${tally.images} images, ${tally.agreements} agreements, ${tally.listed.length} listed exceptions, ${tally.unlisted.length} unlisted`,
    );

    expect(tally.unlisted).toEqual([]);
    expect(tally.images).toBeGreaterThanOrEqual(1000);
    // Every listed difference still shows up, so the list cannot outlive its reason.
    for (const known of KNOWN) expect(tally.listed.some((line) => line.includes(known.kind) && line.includes(known.field))).toBe(true);
  }, 600_000);

  it("covers what the corpus promises: every frame type, orientation, colour model and shape", () => {
    const kinds = new Set(corpus.flatMap((image) => image.kind.split(" ")));
    const wanted = [
      "jpeg-srgb",
      "jpeg-b-w",
      "jpeg-cmyk",
      "restart-interval",
      "fill-bytes",
      "sof-past-64k",
      "sof-past-128k",
      "app1-at-window-edge",
      "large-dimensions",
      "chroma-4:2:2",
      "sof-c1",
      "sof-c2",
      "sof-c3",
      "sof-c9",
      "sof-ca",
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((o) => `orientation-${o}`),
      "png-gray",
      "png-gray-alpha",
      "png-rgb",
      "png-rgba",
      "png-palette",
      "png-gray16",
      "png-rgb16",
      "png-rgb-interlaced",
      "large-ancillary",
      "apng",
    ];
    expect(wanted.filter((kind) => !kinds.has(kind))).toEqual([]);
  });
});

describe("opt-in formats against libvips", () => {
  // HEIC is left out: sharp's prebuilt libvips has no HEVC encoder to make a sample with.
  it.each(["webp", "gif", "avif", "tiff"] as const)(
    "reads a %s's size as libvips does, and only when the format is enabled",
    async (format) => {
      const rng = prng(format.length);
      const samples = await Promise.all(
        Array.from({ length: 10 }, () =>
          sharp({ create: { width: rng.int(1, 300), height: rng.int(1, 300), channels: 3, background: "teal" } })
            .toFormat(format)
            .toBuffer(),
        ),
      );
      for (const bytes of samples) {
        const m = await sharp(bytes).metadata();
        const enabled = await inspectBytes(bytes, { ...LIMITS, formats: ["jpeg", "png", format] }, BUDGET);
        const disabled = await inspectBytes(bytes, LIMITS, BUDGET);

        expect(enabled).toMatchObject({ inspection: { kind: "image", format, header: { width: m.width, height: m.height } } });
        expect(disabled).toMatchObject({ inspection: { kind: "rejected" } });
      }
    },
  );
});

describe("mutation fuzz over the corpus", () => {
  it("never throws, never exceeds the budget, and never records a size that neither the original nor libvips gives", async () => {
    const rng = prng(7);
    const subjects = corpus.filter((_, i) => i % 4 === 0);
    let mutants = 0;
    const wrong: string[] = [];
    for (const image of subjects) {
      const original = await ours(image.bytes);
      for (const mutant of mutations(image.bytes, rng)) {
        mutants++;
        const result = await inspectBytes(mutant, LIMITS, BUDGET);
        expect(result.gets).toBeLessThanOrEqual(BUDGET.maxGets);
        expect(result.bytesRead).toBeLessThanOrEqual(BUDGET.maxBytes);
        if (result.kind !== "inspected" || result.inspection.kind !== "image") continue;
        const { width, height } = result.inspection.header;
        if (!("rejected" in original) && width === original.width && height === original.height) continue;
        // A size other than the original's is only acceptable where the header really says so.
        const theirs = await reference(mutant);
        if ("rejected" in theirs || theirs.width !== width || theirs.height !== height) {
          wrong.push(`${image.name}: ${width}x${height}, original ${JSON.stringify(original)}, libvips ${JSON.stringify(theirs)}`);
        }
      }
    }
    console.log(`mutation fuzz: ${subjects.length} images, ${mutants} mutants, ${wrong.length} wrong sizes`);
    expect(wrong).toEqual([]);
    expect(mutants).toBeGreaterThan(5000);
  }, 600_000);
});

/** Truncations at every segment or chunk boundary, byte flips, fill bytes, and lengths pointing past the end. */
function* mutations(bytes: Buffer, rng: ReturnType<typeof prng>): Generator<Buffer> {
  const boundaries =
    bytes[0] === 0xff
      ? jpegSegments(bytes).flatMap(([at, , length]) => [at, at + 1, at + 2, at + 4, at + length - 1, at + length])
      : pngChunkBoundaries(bytes);
  for (const at of boundaries) if (at > 0 && at < bytes.length) yield bytes.subarray(0, at);
  for (let i = 0; i < 12; i++) {
    const copy = Buffer.from(bytes);
    for (let flips = rng.int(1, 3); flips > 0; flips--) copy[rng.int(0, Math.min(copy.length - 1, 70000))] ^= 1 << rng.int(0, 7);
    yield copy;
  }
  if (bytes[0] === 0xff) {
    const segments = jpegSegments(bytes);
    const [at] = rng.pick(segments);
    yield Buffer.concat([bytes.subarray(0, at), Buffer.alloc(rng.int(1, 5000), 0xff), bytes.subarray(at)]);
    const [lengthAt] = rng.pick(segments);
    const overlong = Buffer.from(bytes);
    overlong.writeUInt16BE(0xffff, lengthAt + 2);
    yield overlong.subarray(0, Math.min(overlong.length, lengthAt + 1000));
  }
}

function pngChunkBoundaries(bytes: Buffer): number[] {
  const out: number[] = [8];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    out.push(at + 4, at + 8, at + 8 + length, at + 12 + length);
    if (bytes.toString("latin1", at + 4, at + 8) === "IDAT") break;
    at += 12 + length;
  }
  return out;
}
