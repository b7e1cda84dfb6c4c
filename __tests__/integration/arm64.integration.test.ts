// What is deployed runs where it is deployed: both functions are arm64, so both zips, exactly as
// synthesized, are unzipped and run on the linux-arm64 Node.js of the runtime's version under
// qemu-aarch64-static (arm64-runtime.ts), against moto. The processor's zip records an upload
// (its deferred modules load from the zip's own node_modules); the derivatives zip, whose
// node_modules holds sharp's linux-arm64 binaries, makes a rendition in every format, each read
// back here by libvips (the x64 sharp of this process).
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { unzipSync } from "fflate";
import sharp from "sharp";
import { deterministicZip } from "../../constructs/support/code-archive";
import { packagedCodeDir } from "../../constructs/support/code-dir";
import type { Rendition } from "../../functions/image-derivatives/environment";
import { orientedJpeg } from "../functions/image-derivatives/sources";
import { synthStack } from "../helpers/synth";
import { forkOnArm64, missingEmulator } from "./arm64-runtime";
import { provisionDerivatives } from "./derivatives-harness";
import { type Harness, type Invoke, bundleEnvironment, invoker, provisionFromStack, scanTable, upload } from "./harness";

const RENDITIONS: Rendition[] = [
  { name: "webp", width: 320, height: 320, fit: "cover", format: "webp" },
  { name: "avif", width: 200, format: "avif" },
  { name: "jpeg", width: 240, format: "jpeg" },
  { name: "png", height: 100, format: "png" },
];
const WORKER = join(__dirname, "lambda-worker.js");

/** Each function's zip as synthesized (its hash is the one the stack deploys), unzipped into `dir`. */
function unzipSynthesized(tf: any, name: "image-processor" | "image-derivatives", dir: string): string {
  const zip = deterministicZip(packagedCodeDir(name));
  const hash = createHash("sha256").update(zip).digest("base64");
  const deployed = Object.values(tf.resource.aws_lambda_function as Record<string, any>).map((fn) => fn.source_code_hash);
  if (!deployed.includes(hash)) throw new Error(`the ${name} zip is not the one the stack deploys`);
  for (const [file, bytes] of Object.entries(unzipSync(zip))) {
    mkdirSync(dirname(join(dir, name, file)), { recursive: true });
    writeFileSync(join(dir, name, file), bytes);
  }
  return join(dir, name, "index.js");
}

describe("both zips on arm64 (qemu-aarch64-static, linux-arm64 Node.js)", () => {
  let h: Harness;
  let work: string;
  let processor: Invoke;
  let derivatives: Invoke;
  let derivativesBucket: string;
  let queueUrl: string;

  beforeAll(async () => {
    const missing = missingEmulator();
    if (missing) throw new Error(missing);
    const { tf } = synthStack({ derivatives: RENDITIONS });
    h = await provisionFromStack(tf as never);
    const d = await provisionDerivatives(h);
    derivativesBucket = d.bucket;
    queueUrl = d.queueUrl;
    work = mkdtempSync(join(tmpdir(), "arm64-zips-"));
    const start = (bundle: string, environment: Record<string, string>) => {
      // No NODE_PATH: sharp, the Tracer, image-size and exifr must come from the zip itself.
      const worker = forkOnArm64(WORKER, bundleEnvironment(environment, bundle, process.env.MOTO_ENDPOINT!, h.region));
      h.onClose(() => worker.kill());
      return invoker(worker);
    };
    [processor, derivatives] = await Promise.all([
      start(unzipSynthesized(tf, "image-processor", work), h.functionEnvironment),
      start(unzipSynthesized(tf, "image-derivatives", work), d.functionEnvironment),
    ]);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs on arm64 Node.js 22, the runtime's major", () => {
    expect([processor.nodeVersion.split(".")[0], derivatives.nodeVersion.split(".")[0]]).toEqual(["22", "22"]);
  });

  it("processes an upload through the processor's zip, and renditions in every format through the derivatives zip", async () => {
    // Arrange
    const source = await orientedJpeg(6);
    const { event } = await upload(h, "arm64/photo.jpg", source, "image/jpeg");

    // Act
    await processor(event);
    const item = (await scanTable(h)).find((i) => i.ObjectKey === "arm64/photo.jpg")!;
    const queued = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const result = await derivatives({ Records: (queued.Messages ?? []).map((m) => ({ messageId: m.MessageId, body: m.Body })) });

    // Assert
    const upright = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
    expect(item).toMatchObject({
      Status: "processed",
      DetectedFormat: "jpeg",
      Orientation: 6,
      DisplayWidth: upright.info.width,
      DisplayHeight: upright.info.height,
    });
    expect(queued.Messages).toHaveLength(1);
    expect(result).toEqual({ batchItemFailures: [] });
    const recorded = (await scanTable(h)).find((i) => i.ObjectKey === "arm64/photo.jpg")!.Derivatives;
    expect(Object.keys(recorded).sort()).toEqual(RENDITIONS.map((r) => r.name).sort());
    for (const rendition of RENDITIONS) {
      const object = await h.s3.send(new GetObjectCommand({ Bucket: derivativesBucket, Key: recorded[rendition.name].Key }));
      const meta = await sharp(Buffer.from(await object.Body!.transformToByteArray())).metadata();
      expect([rendition.name, meta.format, meta.width, meta.height]).toEqual([
        rendition.name,
        rendition.format === "avif" ? "heif" : rendition.format,
        recorded[rendition.name].Width,
        recorded[rendition.name].Height,
      ]);
    }
  }, 240_000);
});
