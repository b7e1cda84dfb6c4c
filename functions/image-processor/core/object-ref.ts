/** One uploaded object version, as announced by an S3 event record. */
export interface ObjectRef {
  readonly bucket: string;
  /** The decoded key (S3 sends it URL-encoded with `+` for spaces). */
  readonly key: string;
  /** Present for versioned buckets; "null" for an object written while versioning was off (S3 reads that version by it). */
  readonly versionId?: string;
  /** S3's per-key ordering token, right-padded with zeros so that string order is event order. */
  readonly sequencer: string;
  readonly size: number;
  readonly eTag?: string;
  readonly eventName: string;
  /** Upload time from the event (ISO 8601, UTC). */
  readonly eventTime: string;
  /** The event knows no upload time (a Batch Operations task): the item takes the version's Last-Modified. */
  readonly timeFromObject?: boolean;
  /**
   * The key came from an EventBridge event, which the S3 User Guide shows plain but does not say is
   * never URL-encoded (a notification's always is): when it names nothing, its form-decoded reading
   * is tried (s3-event.ts, formDecodedAlternative), and the item records the key S3 has.
   */
  readonly keyMayBeEncoded?: boolean;
}

/** An event record that cannot be processed, with the reason. */
export interface InvalidRecord {
  readonly index: number;
  /** SHA-256 of the record as received and its position: the same record delivered again has the same one. */
  readonly fingerprint: string;
  readonly reason: string;
  /** Whatever could be read of the object, to name it in logs and notifications. */
  readonly bucket?: string;
  readonly key?: string;
}
