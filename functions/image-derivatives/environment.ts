/**
 * The contract between the stack and the derivatives function: environment variable names,
 * defaults, the renditions' vocabulary and the metrics. Both sides import this file.
 */
export const DERIVATIVES_ENV = {
  table: "METADATA_TABLE",
  environment: "ENVIRONMENT",
  bucket: "DERIVATIVES_BUCKET",
  renditions: "RENDITIONS",
  maxSourceBytes: "MAX_SOURCE_BYTES",
  maxImagePixels: "MAX_IMAGE_PIXELS",
  serviceName: "POWERTOOLS_SERVICE_NAME",
  metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

export const DERIVATIVES_TELEMETRY = {
  serviceName: "image-derivatives",
  metricsNamespace: "ImageProcessing",
} as const;

/** Metric names the derivatives function emits (EMF) and the dashboard charts. */
export const DERIVATIVES_METRICS = {
  rendered: "RenditionsWritten",
  errors: "RenditionErrors",
  tooLarge: "DerivativeSourcesTooLarge",
  skipped: "DerivativeRequestsSkipped",
  failed: "DerivativeRequestsFailed",
  renderTime: "RenderTimePerMegapixel",
} as const;

export const RENDITION_FORMATS = ["webp", "avif", "jpeg", "png"] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];
export const RENDITION_FITS = ["inside", "cover"] as const;
export type RenditionFit = (typeof RENDITION_FITS)[number];

/** One rendition to make of every processed image. */
export interface Rendition {
  /**
   * Name of the rendition; the first segment of its keys (`<name>/<original key>.<ext>`) and
   * its entry in the item's `Derivatives` map. 1 to 32 lowercase letters, digits, `-` or `_`,
   * starting with a letter or digit.
   */
  readonly name: string;
  /**
   * Largest width in pixels (16 to 8192); at least one of width and height.
   * @default none: the height alone bounds the rendition
   */
  readonly width?: number;
  /**
   * Largest height in pixels (16 to 8192); at least one of width and height.
   * @default none: the width alone bounds the rendition
   */
  readonly height?: number;
  /**
   * `inside`: the whole image, scaled to fit within width × height, keeping its aspect ratio.
   * `cover`: exactly width × height (both needed), cropped around the centre.
   * Never enlarged in either case.
   * @default "inside"
   */
  readonly fit?: RenditionFit;
  /**
   * The rendition's image format: `webp`, `avif`, `jpeg` or `png`.
   * @default "webp"
   */
  readonly format?: RenditionFormat;
  /**
   * Encoder quality, 1 to 100 (for png: the palette's quality, when it is set).
   * @default the format's own: webp 80, avif 50, jpeg 80; png lossless
   */
  readonly quality?: number;
}

/** Defaults of the derivatives part; constructs/config/defaults.ts takes them from here. */
export const DERIVATIVES_DEFAULTS = {
  memorySize: 1536,
  timeoutSeconds: 120,
  /** 50 MiB: far above any photo, and a 1,536 MB function still decodes it with room. */
  maxSourceBytes: 50 * 1024 * 1024,
  batchSize: 4,
  maxReceiveCount: 3,
  fit: "inside" as RenditionFit,
  format: "webp" as RenditionFormat,
} as const;

/** A thumbnail and a page-sized image: what the docs, the module example and the benchmarks use. */
export const EXAMPLE_RENDITIONS: readonly Rendition[] = [
  { name: "thumbnail", width: 320, height: 320, fit: "cover", format: "webp", quality: 75 },
  { name: "large", width: 1920, height: 1920, fit: "inside", format: "webp", quality: 80 },
];

export const RENDITION_LIMITS = {
  count: 10,
  size: [16, 8192] as const,
  quality: [1, 100] as const,
  name: /^[a-z0-9][a-z0-9_-]{0,31}$/,
  nameAllowed: "1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit",
} as const;
