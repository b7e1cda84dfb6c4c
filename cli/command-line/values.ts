// The values options take, checked as the command line is parsed: a bad one is a usage error (exit 2)
// before anything reads AWS. Each throws commander's InvalidArgumentError, which it reports as
// "option '--rate <objects>' argument '0' is invalid. --rate must be a positive integer".
// The constructs' rules and names load cdktf: they are required when an option that needs them is
// parsed, so `--help` and other usage errors answer without loading it.
import { InvalidArgumentError } from "commander";
import { parseDate } from "../core/days";

const rules = (): typeof import("../../constructs/config/rules").RULES => require("../../constructs/config/rules").RULES;
const batchJob = (): typeof import("../core/batch-job") => require("../core/batch-job");

export const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

export const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

export const isoDate = (value: string) => {
  const parsed = parseDate(value);
  if (!parsed) throw new InvalidArgumentError("not an ISO 8601 date (2026-11-28 or 2026-11-28T10:00:00Z)");
  return parsed;
};

/** An environment by the constructs' own rule: the names made from it are the deployed ones. */
export const environmentName = (value: string) => {
  const rule = rules().environment;
  if (!rule.pattern.test(value)) throw new InvalidArgumentError(`--env must be ${rule.allowed}`);
  return value;
};

/** A name prefix by the constructs' own rule; empty is no prefix. */
export const namePrefix = (value: string) => {
  if (value === "") return value;
  const rule = rules().namePrefix;
  if (!rule.pattern.test(value)) throw new InvalidArgumentError(`--name-prefix must be ${rule.allowed}`);
  return value;
};

/** An `s3://<bucket>/<key>` URI, kept as given (messages quote it) beside its parts. */
export const s3Uri = (value: string) => {
  const location = batchJob().parseS3Uri(value);
  if (!location) throw new InvalidArgumentError("must be an s3://<bucket>/<key> URI");
  return { uri: value, ...location };
};
export type S3Location = ReturnType<typeof s3Uri>;

/** A Batch Operations job id, as CreateJob returns it: it becomes part of an S3 key, so nothing else is let through. */
export const batchJobId = (value: string) => {
  if (!/^[\w-]{1,64}$/.test(value)) throw new InvalidArgumentError("a Batch Operations job id is 1 to 64 letters, digits, - or _");
  return value;
};
