import type { DerivativesConfig } from "./config";
import { decodeTooLarge } from "./core/decode-memory";
import { type DerivativeEntry, type ItemState, planRequest, specOf } from "./core/plan";
import { type Rendered, UndecodableImageError, renderRenditions } from "./core/render";
import { CONTENT_TYPES, MAX_KEY_BYTES, type ResolvedRendition, renditionKey, renditionsWithKeysTooLong } from "./core/renditions";
import { type DerivativeRequest, parseRequest } from "../shared/derivative-request";
import { imageId } from "../shared/image-id";
import type { DerivativesDependencies, FinalOutcome } from "./ports";

/** One SQS message as Lambda delivers it (the fields used here). */
export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
}

export type RequestResult =
  | {
      readonly messageId: string;
      readonly ok: true;
      readonly request: DerivativeRequest;
      /** rendered: renditions written and recorded; done: nothing was pending; stale: not this item's version; deleted: the key's renditions deleted; or a final failure. */
      readonly outcome: "rendered" | "done" | "stale" | "deleted" | FinalOutcome;
      readonly reason?: string;
      readonly rendered: readonly Rendered[];
      /** Megapixels of the source and milliseconds spent decoding and encoding, for the per-megapixel metric. */
      readonly megapixels?: number;
      readonly renderMs?: number;
    }
  | { readonly messageId: string; readonly ok: false; readonly request?: DerivativeRequest; readonly error: unknown };

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

async function recordFinal(request: DerivativeRequest, outcome: FinalOutcome, reason: string, deps: DerivativesDependencies) {
  await deps.store.recordFailure(request.imageId, request.sequencer, outcome, reason);
  return { ok: true as const, request, outcome, reason, rendered: [] };
}

/** Whether the request names the object's current version: renditions are of what the key holds now. */
const isCurrent = (request: DerivativeRequest, current: string | undefined) =>
  current !== undefined && current === (request.versionId ?? "null");

/**
 * After a deletion. With no current version, the key's renditions go too (every configured one;
 * the bucket's lifecycle removes their bytes after its noncurrent days). With one (a version deleted
 * for good that may have been current, or a new upload since), they are made again of the version
 * that is current now, so the key's renditions are never those of a deleted version.
 */
async function deleteRenditions(request: DerivativeRequest, deps: DerivativesDependencies, config: DerivativesConfig) {
  const current = await deps.images.currentVersion(request.bucket, request.key);
  if (current !== undefined) {
    const healed = await healCurrentVersion(request, current, deps, config);
    return (
      healed ?? {
        ok: true as const,
        request,
        outcome: "stale" as const,
        reason: "the current version is not a processed image",
        rendered: [],
      }
    );
  }
  for (const rendition of config.renditions) await deps.renditions.delete(renditionKey(rendition, request.key));
  return { ok: true as const, request, outcome: "deleted" as const, rendered: [] };
}

/** What the item and the key's current version decide before a byte of the source is read. */
type BeforeReading =
  | { readonly kind: "read"; readonly renditions: readonly ResolvedRendition[] }
  | { readonly kind: "stale"; readonly reason: string }
  | { readonly kind: "done" }
  | { readonly kind: "final"; readonly outcome: FinalOutcome; readonly reason: string };

function beforeReading(
  request: DerivativeRequest,
  item: ItemState | undefined,
  current: string | undefined,
  config: DerivativesConfig,
): BeforeReading {
  const plan = planRequest(request, item, config.renditions);
  if (plan.kind !== "render") return plan;
  // Rendition keys are per object, not per version: a request for a version that is no longer the
  // current one (SQS does not keep order, and the object may be replaced) must not write them.
  if (!isCurrent(request, current))
    return { kind: "stale", reason: "the object has a newer version (or none): its renditions are that version's" };
  // S3 refuses a key over 1,024 bytes every time: final, never retried (a long original key is legal).
  const tooLong = renditionsWithKeysTooLong(plan.renditions, request.key);
  if (tooLong.length > 0) {
    const reason = `the rendition keys of ${tooLong.map((r) => r.name).join(", ")} would pass S3's ${MAX_KEY_BYTES}-byte key limit (<rendition>/<original key>.<ext>)`;
    return { kind: "final", outcome: "key-too-long", reason };
  }
  // Before reading a byte: an image whose decode cannot fit the function's memory would kill it on every delivery.
  const tooLarge = decodeTooLarge(item!, config.memoryMb);
  if (tooLarge) return { kind: "final", outcome: "too-large", reason: tooLarge };
  return { kind: "read", renditions: plan.renditions };
}

async function processRequest(
  request: DerivativeRequest,
  deps: DerivativesDependencies,
  config: DerivativesConfig,
  healing = false,
): Promise<Omit<Extract<RequestResult, { ok: true }>, "messageId">> {
  if (request.action === "delete") return deleteRenditions(request, deps, config);
  // The item, and the key's current version with its bytes, in one round trip (each call waits tens
  // of milliseconds on its service): a GET of the key names its current version, and its body is
  // read only when the item says there is something to render of that very version.
  const gotItem = deps.store.get(request.imageId);
  const decide = async (current: string | undefined) => beforeReading(request, await gotItem, current, config);
  const [item, { current, source }] = await Promise.all([
    gotItem,
    deps.images.readCurrent(request.bucket, request.key, config.maxSourceBytes, async (current) => (await decide(current)).kind === "read"),
  ]);
  const decided = beforeReading(request, item, current, config);
  if (decided.kind === "stale") return { ok: true as const, request, outcome: "stale" as const, reason: decided.reason, rendered: [] };
  if (decided.kind === "done") return { ok: true as const, request, outcome: "done" as const, rendered: [] };
  if (decided.kind === "final") return recordFinal(request, decided.outcome, decided.reason, deps);

  // The body was wanted, so it was read (or S3 refused it, or announced it too large).
  if (!source) throw new Error("the source image was not read although it was wanted");
  if (source.kind === "unreadable") return recordFinal(request, "unreadable", `S3 refuses to read the object: ${source.code}`, deps);
  if (source.kind === "too-large") {
    const reason = `the object has ${megabytes(source.size)} (${source.size} bytes), more than maxSourceBytes (${megabytes(config.maxSourceBytes)})`;
    return recordFinal(request, "too-large", reason, deps);
  }

  const started = performance.now();
  let rendered: Rendered[];
  try {
    rendered = await renderRenditions(source.bytes, decided.renditions, config.maxImagePixels);
  } catch (error) {
    if (!(error instanceof UndecodableImageError)) throw error;
    return recordFinal(request, "undecodable", `libvips cannot decode the image: ${error.message}`, deps);
  }
  const renderMs = performance.now() - started;

  const entries: Record<string, DerivativeEntry> = {};
  await Promise.all(
    rendered.map(async ({ rendition, bytes, width, height }) => {
      const key = renditionKey(rendition, request.key);
      await deps.renditions.put(key, bytes, CONTENT_TYPES[rendition.format], request);
      entries[rendition.name] = {
        Key: key,
        Width: width,
        Height: height,
        Bytes: bytes.length,
        Format: rendition.format,
        Spec: specOf(rendition),
      };
    }),
  );
  // A newer version may have been uploaded, and its renditions written, while these were made:
  // then they have just been overwritten, and are made again from the current version. Asked once
  // every rendition is written, beside recording them.
  const [written, currentNow] = await Promise.all([
    deps.store.recordDerivatives(request.imageId, request.sequencer, orderedLike(rendered, entries), item?.Derivatives !== undefined),
    healing ? Promise.resolve(undefined) : deps.images.currentVersion(request.bucket, request.key),
  ]);
  if (currentNow !== undefined && !isCurrent(request, currentNow)) await healCurrentVersion(request, currentNow, deps, config);
  return {
    ok: true as const,
    request,
    outcome: written === "written" ? ("rendered" as const) : ("stale" as const),
    ...(written === "stale" ? { reason: "a newer version of the object was recorded while its renditions were made" } : {}),
    rendered,
    renderMs,
    megapixels: ((item?.Width ?? 0) * (item?.Height ?? 0)) / 1e6,
  };
}

/** The entries in the renditions' order, whichever write finished first (the item's map reads the same every time). */
const orderedLike = (rendered: readonly Rendered[], entries: Record<string, DerivativeEntry>) =>
  Object.fromEntries(rendered.map(({ rendition }) => [rendition.name, entries[rendition.name]]));

/** Makes the renditions of the object's current version again, if its item is a processed image; undefined otherwise. */
async function healCurrentVersion(request: DerivativeRequest, current: string, deps: DerivativesDependencies, config: DerivativesConfig) {
  const imageIdOfCurrent = imageId(request.bucket, request.key, current);
  const item = await deps.store.get(imageIdOfCurrent);
  if (item?.Status !== "processed") return undefined;
  const versionId = current === "null" ? undefined : current;
  const healed = {
    bucket: request.bucket,
    key: request.key,
    ...(versionId ? { versionId } : {}),
    imageId: imageIdOfCurrent,
    sequencer: item.Sequencer,
    force: true,
  };
  return processRequest(healed, deps, config, true);
}

/**
 * Processes one batch of requests, one image at a time (each decode may take most of the
 * function's memory). Every message gets a result; the handler reports the failed ones to
 * Lambda, which returns only those to the queue for another try and, after the queue's
 * receive limit, its dead-letter queue.
 */
export async function processBatch(
  messages: readonly QueueMessage[],
  deps: DerivativesDependencies,
  config: DerivativesConfig,
): Promise<RequestResult[]> {
  const results: RequestResult[] = [];
  for (const { messageId, body } of messages) {
    const parsed = parseRequest(body);
    if (!parsed.ok) {
      results.push({ messageId, ok: false, error: new Error(`unreadable derivatives request: ${parsed.reason}`) });
      continue;
    }
    try {
      results.push({ messageId, ...(await processRequest(parsed.request, deps, config)) });
    } catch (error) {
      results.push({ messageId, ok: false, request: parsed.request, error });
    }
  }
  return results;
}
