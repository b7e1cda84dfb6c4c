import {
  DERIVATIVES_DEFAULTS,
  RENDITION_FITS,
  RENDITION_FORMATS,
  RENDITION_LIMITS,
  type Rendition,
  type RenditionFit,
  type RenditionFormat,
} from "../environment";

/** A rendition with its defaults applied. */
export interface ResolvedRendition {
  readonly name: string;
  readonly width?: number;
  readonly height?: number;
  readonly fit: RenditionFit;
  readonly format: RenditionFormat;
  readonly quality?: number;
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);
const isInteger = (value: unknown, [min, max]: readonly [number, number]) =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/**
 * Every problem of a list of renditions, each naming the field (`derivatives[1].width`) and
 * what it allows. The construct checks its prop with it at synth and the function its
 * variable at cold start, so both refuse the same lists with the same words.
 */
export function renditionProblems(renditions: unknown, field = "derivatives"): string[] {
  if (!Array.isArray(renditions)) return [`${field} must be a list of renditions; got ${show(renditions)}`];
  const problems: string[] = [];
  if (renditions.length > RENDITION_LIMITS.count) {
    problems.push(`${field} must have at most ${RENDITION_LIMITS.count} renditions; got ${renditions.length}`);
  }
  const [min, max] = RENDITION_LIMITS.size;
  const seen = new Set<string>();
  renditions.forEach((rendition: Partial<Rendition>, index) => {
    const at = `${field}[${index}]`;
    if (typeof rendition !== "object" || rendition === null) {
      problems.push(`${at} must be an object with name, width and/or height, fit, format and quality; got ${show(rendition)}`);
      return;
    }
    const known = ["name", "width", "height", "fit", "format", "quality"];
    for (const extra of Object.keys(rendition).filter((k) => !known.includes(k))) {
      problems.push(`${at}.${extra} is not a rendition field; allowed: ${known.join(", ")}`);
    }
    const { name, width, height, fit, format, quality } = rendition;
    if (typeof name !== "string" || !RENDITION_LIMITS.name.test(name)) {
      problems.push(`${at}.name must be ${RENDITION_LIMITS.nameAllowed}; got ${show(name)}`);
    } else if (seen.has(name)) {
      problems.push(`${at}.name must be unique among the renditions; ${show(name)} is used twice`);
    } else seen.add(name);
    if (width === undefined && height === undefined) problems.push(`${at} must have a width, a height or both`);
    if (width !== undefined && !isInteger(width, RENDITION_LIMITS.size))
      problems.push(`${at}.width must be an integer from ${min} to ${max}; got ${show(width)}`);
    if (height !== undefined && !isInteger(height, RENDITION_LIMITS.size))
      problems.push(`${at}.height must be an integer from ${min} to ${max}; got ${show(height)}`);
    if (fit !== undefined && !(RENDITION_FITS as readonly unknown[]).includes(fit)) {
      problems.push(`${at}.fit must be one of ${RENDITION_FITS.join(", ")}; got ${show(fit)}`);
    }
    if (fit === "cover" && (width === undefined || height === undefined)) problems.push(`${at}: fit "cover" needs both width and height`);
    if (format !== undefined && !(RENDITION_FORMATS as readonly unknown[]).includes(format)) {
      problems.push(`${at}.format must be one of ${RENDITION_FORMATS.join(", ")}; got ${show(format)}`);
    }
    if (quality !== undefined && !isInteger(quality, RENDITION_LIMITS.quality)) {
      problems.push(
        `${at}.quality must be an integer from ${RENDITION_LIMITS.quality[0]} to ${RENDITION_LIMITS.quality[1]}; got ${show(quality)}`,
      );
    }
  });
  return problems;
}

/** The renditions with their defaults; call after {@link renditionProblems} found none. */
export const resolveRenditions = (renditions: readonly Rendition[]): ResolvedRendition[] =>
  renditions.map((r) => ({
    name: r.name,
    ...(r.width === undefined ? {} : { width: r.width }),
    ...(r.height === undefined ? {} : { height: r.height }),
    fit: r.fit ?? DERIVATIVES_DEFAULTS.fit,
    format: r.format ?? DERIVATIVES_DEFAULTS.format,
    ...(r.quality === undefined ? {} : { quality: r.quality }),
  }));

export const EXTENSIONS: Readonly<Record<RenditionFormat, string>> = { webp: "webp", avif: "avif", jpeg: "jpg", png: "png" };
export const CONTENT_TYPES: Readonly<Record<RenditionFormat, string>> = {
  webp: "image/webp",
  avif: "image/avif",
  jpeg: "image/jpeg",
  png: "image/png",
};

/**
 * Where a rendition of an object goes: `<rendition>/<original key>.<ext>`. The original key is
 * kept whole, so renditions of `a.jpg` and `a.png` never collide, and one prefix lists a
 * rendition of everything.
 */
export const renditionKey = (rendition: Pick<ResolvedRendition, "name" | "format">, objectKey: string): string =>
  `${rendition.name}/${objectKey}.${EXTENSIONS[rendition.format]}`;

/** S3's longest object key, in bytes of its UTF-8 encoding. */
export const MAX_KEY_BYTES = 1024;
/** S3's limit on an object's user-defined metadata: the UTF-8 bytes of every key and value together. */
export const MAX_METADATA_BYTES = 2048;

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** The renditions whose key would pass S3's key limit: no request can ever write them. */
export const renditionsWithKeysTooLong = (renditions: readonly Pick<ResolvedRendition, "name" | "format">[], objectKey: string) =>
  renditions.filter((r) => utf8Bytes(renditionKey(r, objectKey)) > MAX_KEY_BYTES);

/**
 * The metadata a rendition carries: the version it was made from and, when it fits S3's 2 KB,
 * the source key (URL-encoded, as S3 metadata is ASCII); otherwise `source-key-omitted` says why,
 * and the key stays findable from the rendition's own key, which holds it whole.
 */
export function renditionMetadata(sourceKey: string, versionId: string | undefined): Record<string, string> {
  const metadata = { "source-key": encodeURIComponent(sourceKey), "source-version-id": versionId ?? "null" };
  const size = Object.entries(metadata).reduce((sum, [k, v]) => sum + utf8Bytes(k) + utf8Bytes(v), 0);
  if (size <= MAX_METADATA_BYTES) return metadata;
  return {
    "source-key-omitted": "longer than S3's 2 KB of metadata; the rendition's key holds it",
    "source-version-id": metadata["source-version-id"],
  };
}
