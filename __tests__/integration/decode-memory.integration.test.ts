// The derivatives function's memory model (functions/image-derivatives/core/decode-memory.ts)
// against libvips itself: worst-case images (noise, which no encoder shrinks) generated at the
// largest size the model accepts for a 512 MB function, each rendered in a fresh process whose
// peak resident memory must stay within that memory; one pixel row more and the model refuses.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import sharp from "sharp";
import { type DecodeFacts, decodeTooLarge } from "../../functions/image-derivatives/core/decode-memory";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { resolveRenditions } from "../../functions/image-derivatives/core/renditions";

const MEMORY_MB = 512;
const ROOT = join(__dirname, "..", "..");

interface WorstCase {
  readonly name: string;
  readonly facts: Omit<DecodeFacts, "Width" | "Height" | "FileSize">;
  /** How large such a file of noise is per pixel (measured), to estimate FileSize before writing it. */
  readonly bytesPerPixelOfFile: number;
  readonly write: (image: sharp.Sharp, file: string) => Promise<unknown>;
}

const CASES: WorstCase[] = [
  {
    name: "progressive 4:4:4 JPEG",
    facts: { DetectedFormat: "jpeg", Progressive: true, ColorModel: "rgb" },
    bytesPerPixelOfFile: 0.2,
    write: (image, file) => image.jpeg({ progressive: true, chromaSubsampling: "4:4:4", quality: 30 }).toFile(file),
  },
  {
    name: "16-bit RGBA PNG",
    facts: { DetectedFormat: "png", BitDepth: 16, ColorModel: "rgb", HasAlpha: true },
    bytesPerPixelOfFile: 6.6,
    write: (image, file) => image.toColourspace("rgb16").png({ compressionLevel: 1 }).toFile(file),
  },
  {
    name: "interlaced 8-bit RGBA PNG",
    // Interlacing is not a fact of the model: it measured the same as a sequential PNG.
    facts: { DetectedFormat: "png", BitDepth: 8, ColorModel: "rgb", HasAlpha: true },
    bytesPerPixelOfFile: 4.2,
    write: (image, file) => image.png({ progressive: true, compressionLevel: 1 }).toFile(file),
  },
];

/** The largest square the model accepts for MEMORY_MB, given how large such a file is per pixel. */
function largestAccepted(facts: WorstCase["facts"], bytesPerPixelOfFile: number): number {
  let side = 256;
  const fits = (s: number) =>
    decodeTooLarge({ ...facts, Width: s, Height: s, FileSize: s * s * bytesPerPixelOfFile }, MEMORY_MB) === undefined;
  while (fits(side + 64)) side += 64;
  return side;
}

describe(`the decode memory model at its limits, for a ${MEMORY_MB} MB function`, () => {
  const work = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "decode-memory-"));
  let renderDir: string;

  beforeAll(async () => {
    // The function's own render code, bundled as it is deployed (sharp left to node_modules).
    renderDir = join(work, "render");
    await build({
      entryPoints: [join(ROOT, "functions/image-derivatives/core/render.ts")],
      outfile: join(renderDir, "render.js"),
      bundle: true,
      platform: "node",
      format: "cjs",
      external: ["sharp"],
      nodePaths: [join(ROOT, "node_modules")],
      logLevel: "silent",
    });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(CASES)(
    "$name: the largest accepted image renders within the memory, and a larger one is refused",
    async ({ facts, bytesPerPixelOfFile, write }) => {
      // Arrange: noise at the largest square side the model accepts
      const side = largestAccepted(facts, bytesPerPixelOfFile);
      const file = join(work, `${side}.img`);
      await write(
        sharp({
          create: { width: side, height: side, channels: 4, background: "black", noise: { type: "gaussian", mean: 128, sigma: 30 } },
          limitInputPixels: false,
        }),
        file,
      );
      const fileSize = statSync(file).size;

      // Act: the example renditions in a fresh process
      const run = spawnSync(
        process.execPath,
        [join(__dirname, "decode-worker.js"), renderDir, file, JSON.stringify(resolveRenditions(EXAMPLE_RENDITIONS))],
        { encoding: "utf8", env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") } },
      );

      // Assert
      expect(run.stderr).toBe("");
      const { peakMiB } = JSON.parse(run.stdout);
      expect({
        side,
        fileSizeWithinEstimate: fileSize <= side * side * bytesPerPixelOfFile * 1.05,
        peakWithinMemory: peakMiB <= MEMORY_MB,
      }).toEqual({ side, fileSizeWithinEstimate: true, peakWithinMemory: true });
      const larger = side + 64;
      expect(
        decodeTooLarge({ ...facts, Width: larger, Height: larger, FileSize: larger * larger * bytesPerPixelOfFile }, MEMORY_MB),
      ).toContain(`its ${MEMORY_MB} MB function`);
      process.stdout.write(
        `decode memory: ${side}x${side} ${facts.DetectedFormat}, ${fileSize} bytes, peak ${peakMiB.toFixed(0)} MiB of ${MEMORY_MB}\n`,
      );
    },
    120_000,
  );
});
