/**
 * What the estimate assumes where neither the configuration nor a measurement says: each figure
 * is printed beside the estimate, and `--json` carries them, so a reviewer can disagree with one.
 */
export const ASSUMPTIONS = {
  /** Stored bytes of an upload per megapixel (a phone JPEG of 12 MP is about 3.6 MB). */
  uploadBytesPerMegapixel: 300_000,
  /** Bytes of a rendition per output pixel (WebP or AVIF at quality 75–80). */
  renditionBytesPerPixel: 0.12,
  /** Share of uploads rejected (wrong format, too large, unreadable), each one SNS notice. */
  rejectedShare: 0.01,
  /** A metadata item's size (its EXIF facts included): one write request unit. */
  itemBytes: 1_000,
  /** Operators' `report` and `query` read each item of the index once a month (eventually consistent). */
  indexReadsPerItem: 1,
  /** Log bytes one invocation writes (START, END and REPORT lines and one structured line). */
  logBytesPerInvocation: 1_500,
  /** Bytes of one S3 server access log record. */
  accessLogRecordBytes: 400,
  /** Concurrent long polls (20 s) Lambda keeps on a queue it consumes, while idle. */
  idlePollers: 5,
  /** KMS requests each encrypted resource makes per 5 minutes (data keys are cached and reused). */
  kmsRequestsPerResourcePerFiveMinutes: 1,
  /** X-Ray's default sampling: the first request each second, then 5 %. */
  xrayReservoirPerSecond: 1,
  xrayFixedRate: 0.05,
} as const;
