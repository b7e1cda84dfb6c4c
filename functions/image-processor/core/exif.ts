// EXIF facts through exifr's smallest build (JPEG and TIFF parsing, numeric tags only). It
// reads files, not bare EXIF blocks, so the block is wrapped in a minimal JPEG: SOI, one
// APP1 "Exif" segment, EOI. Damaged EXIF never fails an image: it just yields no facts.
type Exifr = { parse(input: Uint8Array, options: object): Promise<any> };
let exifr: Exifr | undefined;
/** Loaded on the first EXIF block, not at cold start: PNGs, rejections and JPEGs without EXIF never need it. */
const loadExifr = (): Exifr => (exifr ??= require("exifr/dist/mini.umd.cjs"));

export interface ExifFacts {
  /** 1–8, as TIFF 6.0 defines tag 274. */
  readonly orientation?: number;
  /** DateTimeOriginal as ISO 8601, with OffsetTimeOriginal's offset when there is one. */
  readonly takenAt?: string;
  readonly cameraMake?: string;
  readonly cameraModel?: string;
  readonly hasGps: boolean;
  readonly latitude?: number;
  readonly longitude?: number;
}

const TAG = {
  make: 271,
  model: 272,
  orientation: 274,
  dateTimeOriginal: 36867,
  offsetTimeOriginal: 36881,
} as const;

/** Longest make or model kept: enough for any real camera, bounded for the item's size. */
const MAX_TEXT = 64;

const OPTIONS = {
  ifd0: [TAG.make, TAG.model, TAG.orientation],
  exif: [TAG.dateTimeOriginal, TAG.offsetTimeOriginal],
  gps: [1, 2, 3, 4],
  ifd1: false,
  interop: false,
  translateKeys: false,
  translateValues: false,
  reviveValues: false,
  mergeOutput: false,
  silentErrors: true,
};

function wrapAsJpeg(tiff: Uint8Array): Uint8Array | undefined {
  const length = 2 + 6 + tiff.length;
  if (length > 0xffff) return undefined;
  const jpeg = new Uint8Array(4 + length + 2);
  jpeg.set([0xff, 0xd8, 0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  jpeg.set(tiff, 12);
  jpeg.set([0xff, 0xd9], 12 + tiff.length);
  return jpeg;
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, MAX_TEXT) : undefined);

/** "YYYY:MM:DD HH:MM:SS" (+ "±HH:MM") → ISO 8601; anything else → undefined. */
export function exifDateToIso(date: unknown, offset: unknown): string | undefined {
  if (typeof date !== "string") return undefined;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(date.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  const zone = typeof offset === "string" && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : "";
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

/** Reads the facts the item records from an EXIF block (a TIFF structure). */
export async function readExif(tiff: Uint8Array | undefined, { withCoordinates }: { withCoordinates: boolean }): Promise<ExifFacts> {
  const jpeg = tiff && wrapAsJpeg(tiff);
  if (!jpeg) return { hasGps: false };
  let parsed: any;
  try {
    parsed = await loadExifr().parse(jpeg, OPTIONS);
  } catch {
    return { hasGps: false };
  }
  const ifd0 = parsed?.ifd0 ?? {};
  const exif = parsed?.exif ?? {};
  const gps = parsed?.gps ?? {};
  const orientation = ifd0[TAG.orientation];
  const latitude = typeof gps.latitude === "number" && Number.isFinite(gps.latitude) ? gps.latitude : undefined;
  const longitude = typeof gps.longitude === "number" && Number.isFinite(gps.longitude) ? gps.longitude : undefined;
  const hasGps = latitude !== undefined && longitude !== undefined;
  return {
    orientation: Number.isInteger(orientation) && orientation >= 1 && orientation <= 8 ? orientation : undefined,
    takenAt: exifDateToIso(exif[TAG.dateTimeOriginal], exif[TAG.offsetTimeOriginal]),
    cameraMake: text(ifd0[TAG.make]),
    cameraModel: text(ifd0[TAG.model]),
    hasGps,
    ...(hasGps && withCoordinates ? { latitude, longitude } : {}),
  };
}
