/**
 * S3 answers for a version that is gone: 404 (NotFound, NoSuchKey, NoSuchVersion), or
 * 405 when the version id now names a delete marker. Anything else is a fault.
 */
export function isMissing(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === "NotFound" ||
    name === "NoSuchKey" ||
    name === "NoSuchVersion" ||
    $metadata?.httpStatusCode === 404 ||
    $metadata?.httpStatusCode === 405
  );
}

/**
 * S3 answers that no retry changes: the object is in an archive storage class (GLACIER,
 * DEEP_ARCHIVE: InvalidObjectState), needs the customer's key (SSE-C: HEAD answers 400 with
 * no body, GET "InvalidRequest"), or is encrypted under a KMS key this role may not use
 * (AccessDenied naming KMS, or a KMS.* code). A plain AccessDenied is not among them: it is
 * often a policy still propagating, worth a retry.
 */
export function unreadableCode(error: unknown): string | undefined {
  const { name, message, $metadata } = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (name === "InvalidObjectState") return name;
  if (name?.startsWith("KMS.")) return name;
  if (name === "AccessDenied" && /\bKMS\b|kms:/i.test(message ?? "")) return "AccessDenied (KMS)";
  if (name === "InvalidRequest" && /encrypt|customer|SSE/i.test(message ?? "")) return "InvalidRequest (SSE-C)";
  if ($metadata?.httpStatusCode === 400 && (name === "BadRequest" || name === "400")) return "BadRequest (SSE-C)";
  return undefined;
}

/**
 * S3's answer to a Range on an empty object: 416 InvalidRange (no range of a 0-byte object is
 * satisfiable; the first window's range starts at 0, so nothing else answers it).
 */
export function isUnsatisfiableRange(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "InvalidRange" || $metadata?.httpStatusCode === 416;
}
