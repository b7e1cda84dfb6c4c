/** A failure the operator can fix: one line that says what and how, and the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Exit codes: 0 done, 1 failed or partly failed, 2 bad usage, 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** The SDK error's name ("" for anything else). */
export const errorName = (error: unknown) => (error as { name?: string })?.name ?? "";

/** The AWS SDK's credential failures, which every command can meet first. */
export function isCredentialsError(error: unknown): boolean {
  return [
    "CredentialsProviderError",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
  ].includes(errorName(error));
}

/** A credential failure as the operator can fix it. */
export const noCredentials = (error: unknown) =>
  new CliError(
    `no usable AWS credentials (${(error as Error).message}): set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
  );

/** Whether an SDK error says the named resource does not exist. */
export function isNotFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return (
    ["NotFound", "NoSuchBucket", "ResourceNotFoundException", "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"].includes(
      errorName(error),
    ) || status === 404
  );
}
