// The rules of a bucket the pipeline does not own (ImageProcessingPipelineProps.existingBucket):
// what it needs, and the settings only the bucket's owner can make.
import type { EventDelivery } from "./event-queue-settings";
import type { ImageProcessingPipelineProps } from "./pipeline-props";
import { RULES, known, patternProblems, show } from "./rules";

/** Settings of the image bucket itself: an owner's to make, refused beside `existingBucket`. */
export const OWNER_ONLY_SETTINGS = [
  "forceDestroy",
  "accessLogging",
  "accessLogRetentionDays",
  "noncurrentVersionExpirationDays",
  "abortIncompleteMultipartUploadDays",
  "bucketKmsKeyArn",
] as const;

/** The problems of an `existingBucket` and of what is given beside it. */
export function existingBucketProblems(props: ImageProcessingPipelineProps, eventDelivery: EventDelivery): string[] {
  const existing = props.existingBucket;
  if (existing === undefined) return [];
  const problems: string[] = [];
  // Given, whatever its value: a name that is a reference is checked by the plan, what goes with it here.
  if (typeof existing.name !== "string" || existing.name === "") {
    problems.push(`existingBucket.name must be the name of the bucket; got ${show(existing.name)}`);
  } else if (known(existing.name) && !RULES.bucketName.pattern.test(existing.name)) {
    problems.push(`existingBucket.name must be ${RULES.bucketName.allowed}; got ${show(existing.name)}`);
  }
  problems.push(...patternProblems("existingBucket.kmsKeyArn", existing.kmsKeyArn, RULES.kmsKeyArn));
  if (known(eventDelivery) && eventDelivery !== "eventbridge") {
    problems.push(
      `existingBucket needs eventDelivery "eventbridge": the pipeline never writes the notification configuration of a bucket it does not own; got eventDelivery ${show(eventDelivery)}`,
    );
  }
  const given = OWNER_ONLY_SETTINGS.filter((field) => props[field] !== undefined);
  for (const field of given) {
    problems.push(
      `${field} cannot be set with existingBucket: it is a setting of the bucket itself, which its owner makes` +
        (field === "bucketKmsKeyArn" ? " (give the bucket's key as existingBucket.kmsKeyArn)" : ""),
    );
  }
  return problems;
}
