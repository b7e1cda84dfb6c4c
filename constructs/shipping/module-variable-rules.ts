// How the module's variables are written: their spec, and the conditions and messages of their
// validations, built from the construct's own rules (the derivatives' settings and renditions too).
import { RENDITION_FITS, RENDITION_FORMATS, RENDITION_LIMITS } from "../../functions/image-derivatives/environment";
import { RENDITION_TYPE } from "./derivatives-module-stack";
import { DEFAULTS } from "../config/defaults";
import { RULES } from "../config/rules";

/** One input of the Terraform module. */
export interface ModuleVariableSpec {
  readonly name: string;
  /** `any` for a structured input whose unknown attributes must be refused rather than dropped (onlyAttributes). */
  readonly type: "string" | "number" | "bool" | "list(string)" | "map(string)" | "any";
  readonly description: string;
  /** Absent: the variable is required. `null`: optional, and null means none (the variable is nullable). */
  readonly default?: string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;
  /** Terraform condition over `var.<name>` and the message when it is false; several for a structured input. */
  readonly validation?:
    | { readonly condition: string; readonly message: string }
    | readonly { readonly condition: string; readonly message: string }[];
}

export const RENDITIONS_TYPE = `list(${RENDITION_TYPE})`;

/**
 * What the subscriptions input holds (the variable is typed `any`, see onlyAttributes): keyed by
 * names the caller writes, so `for_each` never waits on an endpoint's value.
 */
export const SUBSCRIPTION_TYPE = "map(object({ protocol = string, endpoint = string }))";

export const v = (name: string) => `var.${name}`;
export const hclString = (text: string) => JSON.stringify(text); // HCL and JSON escape strings the same way
/** `can(regex(<rule>, <value>))`: whether an HCL value matches a rule's pattern. */
export const matches = (rule: RegExp, value: string) => `can(regex(${hclString(rule.source)}, ${value}))`;

// Each rule mirrors a check of resolveConfig (constructs/config/resolve-config.ts), from the same RULES.
// Terraform's || evaluates both sides: can() and try() keep a null from failing the other side.
// `none`: the value that stands for "none" besides the pattern, null for an optional input, "" for an
// empty prefix (a string like any other there: no prefix).
export const pattern = (name: string, rule: { pattern: RegExp; allowed: string }, none?: "null" | '""') => ({
  condition: `${none ? `${v(name)} == ${none} || ` : ""}can(regex(${hclString(rule.pattern.source)}, ${v(name)}))`,
  message: `Invalid ${name}: must be ${none === "null" ? "null (none) or " : none ? "empty or " : ""}${rule.allowed}.`,
});
/** A list of at most `max` values, each matching `rule` (`item` names the value in the condition). */
export const listOf = (name: string, max: number, rule: { pattern: RegExp; allowed: string }, item = "arn") => ({
  condition: `length(${v(name)}) <= ${max} && alltrue([for ${item} in ${v(name)} : ${matches(rule.pattern, item)}])`,
  message: `Invalid ${name}: must be at most ${max} values, each ${rule.allowed}.`,
});
export const range = (name: string, field: string, optional = false) => {
  const [min, max] = RULES.ranges[field];
  const inRange = `${v(name)} >= ${min} && ${v(name)} <= ${max} && floor(${v(name)}) == ${v(name)}`;
  return {
    condition: optional ? `${v(name)} == null || try(${inRange}, false)` : inRange,
    message: `Invalid ${name}: must be ${optional ? "null (none) or " : ""}an integer from ${min} to ${max}.`,
  };
};

/** A map of tags within AWS's limits, as tagProblems checks them (Terraform's length() counts characters, as AWS's limits do). */
export const tagLimits = (name: string) => {
  const { maxCount, keyMaxLength, valueMaxLength, characters, reservedKeyPrefix, allowed } = RULES.tags;
  const each = `length(key) >= 1 && length(key) <= ${keyMaxLength} && length(value) <= ${valueMaxLength} && ${matches(characters, "key")} && ${matches(characters, "value")} && !startswith(lower(key), ${hclString(reservedKeyPrefix)})`;
  return {
    condition: `length(${v(name)}) <= ${maxCount} && alltrue([for key, value in ${v(name)} : ${each}])`,
    message: `Invalid ${name}: must be ${allowed} (AWS's limits for tags).`,
  };
};

/** A Terraform condition over module variables and the message when it is false. */
export interface Validation {
  readonly condition: string;
  readonly message: string;
}

/**
 * The validations of `create_bucket`, `existing_bucket_kms_key_arn` and `use_bucket_kms_key`: the
 * switches, not the names and ARNs, decide what is counted (those may be references to the caller's
 * resources, known only after apply), so each switch must agree with its value; and what may not be
 * set beside an existing bucket.
 */
export function existingBucketValidations(): Record<string, Validation | Validation[]> {
  // Owned: the module's bucket; not: existing_bucket_name's.
  const owned = v("create_bucket");
  // The owner's settings: refused beside an existing bucket unless left as they are by default.
  const ownerOnly: [string, string][] = [
    ["force_destroy", `${v("force_destroy")} != true`],
    ["bucket_kms_key_arn", `${v("bucket_kms_key_arn")} == null`],
    ["noncurrent_version_expiration_days", `${v("noncurrent_version_expiration_days")} == ${DEFAULTS.noncurrentVersionExpirationDays}`],
    [
      "abort_incomplete_multipart_upload_days",
      `${v("abort_incomplete_multipart_upload_days")} == ${DEFAULTS.abortIncompleteMultipartUploadDays}`,
    ],
    ["access_log_retention_days", `${v("access_log_retention_days")} == ${DEFAULTS.accessLogRetentionDays}`],
  ];
  return {
    // On the switch, which they are about (a validation must read its own variable).
    create_bucket: [
      // Its converse, a name with create_bucket left true, is a precondition (valuesWithoutTheirSwitch).
      {
        condition: `${owned} || ${v("existing_bucket_name")} != null`,
        message:
          "Invalid create_bucket: false means a bucket the module does not own; give its name as existing_bucket_name (or leave create_bucket = true, and the module makes its own).",
      },
      {
        condition: `${owned} || ${v("event_delivery")} == "eventbridge"`,
        message:
          'Invalid existing_bucket_name: a bucket the module does not own (create_bucket = false) needs event_delivery = "eventbridge" (the module never writes its notification configuration).',
      },
      ...ownerOnly.map(([name, asDefault]) => ({
        condition: `${owned} || ${asDefault}`,
        message: `Invalid ${name}: it is a setting of the bucket itself, which its owner makes; leave it at its default with existing_bucket_name (create_bucket = false)${name === "bucket_kms_key_arn" ? ", and give the bucket's key as existing_bucket_kms_key_arn" : ""}.`,
      })),
    ],
    existing_bucket_kms_key_arn: [
      pattern("existing_bucket_kms_key_arn", RULES.kmsKeyArn, "null"),
      {
        condition: `${v("existing_bucket_kms_key_arn")} == null || !${owned}`,
        message:
          "Invalid existing_bucket_kms_key_arn: it is the key of an existing bucket; give existing_bucket_name and create_bucket = false too (the module's own bucket takes bucket_kms_key_arn).",
      },
    ],
    // Its converse, a key with the switch left false, is a precondition (valuesWithoutTheirSwitch).
    use_bucket_kms_key: {
      condition: `!${v("use_bucket_kms_key")} || (${owned} ? ${v("bucket_kms_key_arn")} : ${v("existing_bucket_kms_key_arn")}) != null`,
      message:
        "Invalid use_bucket_kms_key: true only when the image bucket's key is given: bucket_kms_key_arn with create_bucket = true, existing_bucket_kms_key_arn with create_bucket = false.",
    },
  };
}

/**
 * A value given with its switch left at the default: preconditions, because a validation on the
 * switch is reported at the caller's argument for it, and a caller who left it out has none ("on
 * line 0", no source), while one on the value would read the switch whose validation reads the
 * value, a cycle Terraform refuses. Each sits on the resource the switch would have counted out (the
 * module's own bucket or key) or whose grants or placement it decides (the processor's role and function),
 * and is reported at that
 * resource's lines with the values of the variables it reads.
 */
export const valuesWithoutTheirSwitch = () => ({
  pipelineKey: {
    condition: `${v("existing_kms_key_arn")} == null`,
    message:
      "Invalid existing_kms_key_arn: your key needs create_kms_key = false beside it (with create_kms_key = true the module makes a key of its own).",
  },
  processorFunction: {
    condition: `length(${v("vpc_security_group_ids")}) == 0 || length(${v("vpc_subnet_ids")}) > 0`,
    message: "Invalid vpc_security_group_ids: give vpc_subnet_ids and vpc_security_group_ids together, or neither.",
  },
  imageBucket: {
    condition: `${v("existing_bucket_name")} == null`,
    message:
      "Invalid existing_bucket_name: a bucket the module does not own needs create_bucket = false beside it (with create_bucket = true the module makes a bucket of its own).",
  },
  processorRole: {
    condition: `${v("use_bucket_kms_key")} || (${v("create_bucket")} ? ${v("bucket_kms_key_arn")} : ${v("existing_bucket_kms_key_arn")}) == null`,
    message:
      "Invalid use_bucket_kms_key: set use_bucket_kms_key = true beside the image bucket's key (bucket_kms_key_arn, or existing_bucket_kms_key_arn with create_bucket = false); the plan counts the functions' grants of that key by the switch.",
  },
});

/**
 * `data_protection` and the two settings it decides unless they are given: the data is lost only
 * when the flag says so, whatever the environment is named (the protected environments, as the
 * construct's, cannot turn it off at all).
 */
export function dataProtectionValidations(protectedEnvironments: readonly string[]): Record<string, Validation> {
  return {
    data_protection: {
      condition: `${v("data_protection")} || !contains(${JSON.stringify(protectedEnvironments)}, ${v("environment")})`,
      message: `Invalid data_protection: must be true for the ${protectedEnvironments.map((e) => `"${e}"`).join(", ")} environment; a disposable environment needs another name.`,
    },
    force_destroy: {
      condition: `${v("force_destroy")} != true || !${v("data_protection")}`,
      message:
        "Invalid force_destroy: true only with data_protection = false: it would delete every object of the module's buckets on destroy.",
    },
    deletion_protection: {
      condition: `${v("deletion_protection")} != false || !${v("data_protection")}`,
      message: "Invalid deletion_protection: false only with data_protection = false: it lets a destroy delete the metadata table.",
    },
  };
}

/**
 * A deployment that keeps its data needs someone to receive its alarms. A precondition of the topic, not
 * a variable's validation: Terraform reports a validation at the caller's argument for the variable,
 * and a caller who sets none of these has none to show ("on  line 0", no source); the topic's
 * precondition is reported at its own lines, with the values of the variables it reads.
 */
export const nobodyToAlert = (): Validation => ({
  condition: `${v("allow_unsubscribed_notifications")} || ${v("notification_email")} != null || length(${v("subscriptions")}) > 0 || length(${v("alarm_actions")}) > 0 || !${v("data_protection")}`,
  message:
    "Nobody to alert: a deployment that keeps its data (data_protection = true) needs someone to receive its alarms: set notification_email, subscriptions or alarm_actions, or allow_unsubscribed_notifications = true if you subscribe to the topic (output sns_topic_arn) yourself.",
});

/** The attributes of an HCL object type (`object({ name = string, width = optional(number) })`), each with its default: `null` unless `optional(<type>, <default>)` gives one. */
export const objectAttributes = (type: string): [string, string][] =>
  [...type.matchAll(/(\w+) = (?:optional\(\w+(?:, ("[^"]*"|[\w.-]+))?\)|\w+)/g)].map((m) => [m[1], m[2] ?? "null"]);

/**
 * Refuses the attributes an object of `type` does not have, naming them: the variable is typed
 * `any`, because a typed object drops an unknown attribute without a word (`widht = 320` would plan
 * `width = null`); `each` is `r in <list>` or `k, r in <map>`.
 */
export const onlyAttributes = (name: string, type: string, each: string, at: string): Validation => {
  const names = objectAttributes(type).map(([attribute]) => attribute);
  const extra = `setsubtract(keys(r), ${JSON.stringify(names)})`;
  const ok = `try(length(${extra}) == 0, false)`;
  return {
    condition: `alltrue([for ${each} : ${ok}])`,
    message: `Invalid ${name}: each takes only ${names.join(", ")} (\${join(", ", [for ${each} : "${at}: \${try(join(", ", ${extra}), "not an object")}" if !(${ok})])}).`,
  };
};

/** The renditions' rules (functions/image-derivatives/core/renditions.ts), one validation each. */
export function derivativesValidations(): Validation[] {
  // Each rendition with the attributes it left out as the type's optional() defaults give them.
  const defaults = objectAttributes(RENDITION_TYPE)
    .map(([attribute, value]) => `${attribute} = ${value}`)
    .join(", ");
  // try(): a rendition that is not an object (or derivatives given as one object) fails merge; the
  // rules below then read none, and the first two refuse the shape, once, in words.
  const renditions = `try([for x in var.derivatives : merge({ ${defaults} }, x)], [])`;
  const each = (test: string) => `alltrue([for r in ${renditions} : ${test}])`;
  // Which renditions break a rule, by index and field, at the end of the message (Terraform >= 1.9
  // lets a message read the variable): "... (derivatives[1].fit = \"fill\")".
  const offenders = (test: string, ...fields: string[]) =>
    ` (\${join(", ", [for i, r in ${renditions} : "derivatives[\${i}]: ${fields.map((f) => `${f} = \${jsonencode(r.${f})}`).join(", ")}" if !(${test})])})`;
  const [min, max] = RENDITION_LIMITS.size;
  const [qMin, qMax] = RENDITION_LIMITS.quality;
  // try(): comparisons with an attribute left out (null) fail, and the condition then reads false.
  const inRange = (attr: string, low: number, high: number) =>
    `(r.${attr} == null || try(r.${attr} >= ${low} && r.${attr} <= ${high} && floor(r.${attr}) == r.${attr}, false))`;
  const attributes = onlyAttributes("derivatives", RENDITION_TYPE, "i, r in var.derivatives", "derivatives[${i}]");
  // keys() answers for an object or a map, and fails for a list.
  const oneObject = "can(keys(var.derivatives))";
  return [
    {
      condition: `!${oneObject} && length(var.derivatives) <= ${RENDITION_LIMITS.count}`,
      message: `Invalid derivatives: must be a list of at most ${RENDITION_LIMITS.count} renditions, [{ name = "thumbnail", width = 320 }, ...], not one object or a map.`,
    },
    { ...attributes, condition: `${oneObject} || ${attributes.condition}` },
    {
      condition: `${each(`can(regex(${hclString(RENDITION_LIMITS.name.source)}, r.name))`)} && length(distinct([for r in ${renditions} : r.name])) == length(${renditions})`,
      message: `Invalid derivatives: each name must be unique and ${RENDITION_LIMITS.nameAllowed}${offenders(`can(regex(${hclString(RENDITION_LIMITS.name.source)}, r.name))`, "name")}.`,
    },
    {
      condition: each(`(r.width != null || r.height != null) && ${inRange("width", min, max)} && ${inRange("height", min, max)}`),
      message: `Invalid derivatives: each rendition needs a width, a height or both, integers from ${min} to ${max}${offenders(`(r.width != null || r.height != null) && ${inRange("width", min, max)} && ${inRange("height", min, max)}`, "width", "height")}.`,
    },
    {
      condition: each(`contains(${JSON.stringify(RENDITION_FITS)}, r.fit) && (r.fit != "cover" || (r.width != null && r.height != null))`),
      message: `Invalid derivatives: fit must be one of ${RENDITION_FITS.join(", ")}, and cover needs both width and height${offenders(`contains(${JSON.stringify(RENDITION_FITS)}, r.fit) && (r.fit != "cover" || (r.width != null && r.height != null))`, "fit")}.`,
    },
    {
      condition: each(`contains(${JSON.stringify(RENDITION_FORMATS)}, r.format)`),
      message: `Invalid derivatives: format must be one of ${RENDITION_FORMATS.join(", ")}${offenders(`contains(${JSON.stringify(RENDITION_FORMATS)}, r.format)`, "format")}.`,
    },
    {
      condition: each(inRange("quality", qMin, qMax)),
      message: `Invalid derivatives: quality must be an integer from ${qMin} to ${qMax}${offenders(inRange("quality", qMin, qMax), "quality")}.`,
    },
  ];
}
