// The EventBridge rule's pattern for the images' events: S3's Object Created (and, where deletions
// propagate, Object Deleted) events of one bucket whose key ends in a suffix of the formats, in
// any letter case.
import { Fn, Token } from "cdktf";
import { EVENTBRIDGE_DETAIL_TYPES, FORMAT_SUFFIXES, type ImageFormat } from "../../functions/image-processor/environment";

/** The suffixes of the formats, each once, in the formats' order. */
export const formatSuffixes = (formats: readonly ImageFormat[]): string[] => [...new Set(formats.flatMap((f) => FORMAT_SUFFIXES[f]))];

const detailTypes = (propagateDeletions: boolean) =>
  propagateDeletions ? [EVENTBRIDGE_DETAIL_TYPES.created, EVENTBRIDGE_DETAIL_TYPES.deleted] : [EVENTBRIDGE_DETAIL_TYPES.created];

/**
 * The pattern as JSON. EventBridge's `suffix` with `equals-ignore-case` (EventBridge User Guide,
 * "Suffix matching while ignoring case") matches `.JPG` and `.Jpg` as `.jpg`, which S3's own
 * notification filters cannot; an object of any other key never reaches the queue.
 */
export function eventPattern(bucketName: string, formats: readonly ImageFormat[], propagateDeletions: boolean): string {
  if (Token.isUnresolved(formats) || Token.isUnresolved(propagateDeletions))
    return patternExpression(bucketName, formats, propagateDeletions);
  return JSON.stringify({
    source: ["aws.s3"],
    "detail-type": detailTypes(propagateDeletions),
    detail: {
      bucket: { name: [bucketName] },
      object: { key: formatSuffixes(formats).map((suffix) => ({ suffix: { "equals-ignore-case": suffix } })) },
    },
  });
}

/** The same pattern when the formats or the deletions are known at plan time only (module variables): a Terraform expression. */
function patternExpression(bucketName: string, formats: readonly ImageFormat[], propagateDeletions: boolean): string {
  const suffixesByFormat = `{ ${Object.entries(FORMAT_SUFFIXES)
    .map(([format, suffixes]) => `${format} = ${JSON.stringify(suffixes)}`)
    .join(", ")} }`;
  // A list is nested as the text of its elements (a template inside quotes), split again.
  const formatsText = Fn.join(",", formats as string[]);
  // A reference is nested bare (cdktf writes it without its `${ }` inside an expression); a literal as a string.
  const bucket = Token.isUnresolved(bucketName) ? bucketName : JSON.stringify(bucketName);
  const types = Token.asString(Fn.conditional(propagateDeletions, detailTypes(true), detailTypes(false)));
  return `\${jsonencode({ source = ["aws.s3"], "detail-type" = ${types}, detail = { bucket = { name = [${bucket}] }, object = { key = [for suffix in distinct(flatten([for format in split(",", "${formatsText}") : ${suffixesByFormat}[format]])) : { suffix = { "equals-ignore-case" = suffix } }] } } })}`;
}
