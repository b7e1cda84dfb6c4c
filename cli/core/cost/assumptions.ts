/**
 * What the estimate assumes where neither the configuration nor a measurement says: each figure
 * is printed beside the estimate, and `--json` carries them, so a reviewer can disagree with one.
 * The workload's figures (rates, sizes) can be given in a usage file (usage.ts).
 */
export const ASSUMPTIONS = {
  /** Mean size of an upload, in megapixels, when none is given. */
  meanMegapixels: 12,
  /** Stored bytes of an upload per megapixel (a phone JPEG of 12 MP is about 3.6 MB). */
  uploadBytesPerMegapixel: 300_000,
  /** Bytes of a rendition per output pixel (WebP or AVIF at quality 75–80). */
  renditionBytesPerPixel: 0.12,
  /** Share of uploads rejected (wrong format, too large, unreadable), each one SNS notice. */
  rejectedShare: 0.01,
  /** Share of uploads that replace an existing key. */
  overwriteRate: 0,
  /** Share of a month's uploads deleted. */
  deletionRate: 0,
  /** Share of invocations that start cold. */
  coldStartRate: 0.01,
  /** A metadata item's size (its EXIF facts included): one write request unit, and a consistent read of one unit. */
  itemBytes: 1_000,
  /** Bytes an index entry holds of the item (its keys and projected attributes). */
  indexEntryBytes: 300,
  /** DynamoDB's per-item overhead in storage. */
  itemOverheadBytes: 100,
  /** Operators' `report` and `query` read each item of the index once a month (eventually consistent). */
  indexReadsPerItem: 1,
  /** Log bytes one invocation writes (START, END and REPORT lines and one structured line). */
  logBytesPerInvocation: 1_500,
  /** Bytes of one S3 server access log record. */
  accessLogRecordBytes: 400,
  /** Concurrent long polls (20 s) Lambda keeps on a queue it consumes, while idle. */
  idlePollers: 5,
  /** Seconds DynamoDB, SNS and CloudWatch Logs reuse a data key of a customer managed key while in use. */
  dataKeyReuseSeconds: 300,
  /** X-Ray's default sampling: the first request each second, then 5 %. */
  xrayReservoirPerSecond: 1,
  xrayFixedRate: 0.05,
} as const;
