import { ASSUMPTIONS as A } from "./assumptions";
import type { PipelineFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH, GIB } from "./prices";
import type { Usage } from "./usage";

/**
 * What is stored, on average through month `month` (AWS bills the average: GB-months), in GiB.
 * Uploads arrive evenly, so by the middle of month m, m − 0.5 months of them are stored. Of a
 * month's uploads, `overwrite_rate` replace a key and `deletion_rate` are deleted: each leaves a
 * noncurrent version, kept as long as the bucket's lifecycle says; after `retention_days` every
 * upload is deleted in turn. Items are never removed (a deletion marks its item).
 */
export function storageStock(facts: PipelineFacts, usage: Usage, month: number) {
  const elapsed = month - 0.5;
  const uploads = usage.uploadsPerDay * DAYS_PER_MONTH;
  const kept = (days: number | undefined) => (days === undefined ? Number.POSITIVE_INFINITY : days / DAYS_PER_MONTH);
  const retention = kept(usage.retentionDays);
  const staying = 1 - usage.overwriteRate - usage.deletionRate;
  /** GB-months of `perMonth` bytes a month of a kind of object: current ones, and the versions they leave behind. */
  const of = (bytesPerMonth: number, noncurrentDays: number | undefined) => {
    const noncurrentFor = kept(noncurrentDays);
    return {
      current: (bytesPerMonth * staying * Math.min(elapsed, retention)) / GIB,
      noncurrent:
        (bytesPerMonth * (usage.overwriteRate + usage.deletionRate) * Math.min(elapsed, noncurrentFor) +
          bytesPerMonth * staying * Math.max(0, Math.min(elapsed - retention, noncurrentFor))) /
        GIB,
    };
  };
  const images = of(uploads * usage.meanObjectBytes, facts.imageBucket?.noncurrentVersionDays);
  const processed = uploads * (1 - usage.noticeRate);
  const renditionBytes = facts.derivatives
    ? facts.derivatives.renditions.reduce((sum, r) => sum + renditionPixels(r, usage.meanMegapixels) * A.renditionBytesPerPixel, 0)
    : 0;
  const renditions = of(processed * renditionBytes, facts.derivativesBucket?.noncurrentVersionDays);
  const items = uploads * elapsed;
  return {
    images,
    renditions: renditions.current + renditions.noncurrent,
    renditionBytes,
    table: (items * (A.itemBytes + A.itemOverheadBytes)) / GIB,
    indexes: (items * (facts.table?.indexes ?? 0) * (A.indexEntryBytes + A.itemOverheadBytes)) / GIB,
  };
}

/** The pixels a rendition of a photo has: its box for `cover`/`fill`, the photo fitted (4:3) inside it otherwise, never more than the photo. */
export function renditionPixels(r: { width: number; height: number; fit: string }, megapixels: number): number {
  const photo = megapixels * 1e6;
  if (["cover", "fill"].includes(r.fit)) return Math.min(photo, r.width * r.height);
  const scale = Math.min(1, r.width / Math.sqrt((photo * 4) / 3), r.height / Math.sqrt((photo * 3) / 4));
  return photo * scale * scale;
}
