import { FORMAT_SUFFIXES, type ImageFormat } from "../environment";

/**
 * Whether an object key names an image of one of the formats: it ends in one of their
 * suffixes, in any letter case (`.jpg`, `.JPG`, `.Jpg`). The bucket notifies the processor of
 * every new object, because S3's suffix filters are case-sensitive; this is the filter instead.
 */
export function hasImageSuffix(key: string, formats: readonly ImageFormat[]): boolean {
  const lower = key.toLowerCase();
  return formats.some((format) => FORMAT_SUFFIXES[format].some((suffix) => lower.endsWith(suffix)));
}
