// The Terraform module's inputs: one per module variable of the settings catalog
// (constructs/config/settings-catalog.ts), typed and defaulted there, described by the prop's TSDoc
// (constructs/config/prop-docs.ts, generated) in the module's names, and validated with the construct's own
// rules and allowed values, so `terraform plan` refuses what synth refuses.
import { DEFAULTS } from "../config/defaults";
import { PROP_DOCS } from "../config/prop-docs";
import { RULES } from "../config/rules";
import { MODULE_SETTINGS, type ModuleSetting, type SettingRule } from "../config/settings-catalog";
import {
  type ModuleVariableSpec,
  type Validation,
  dataProtectionValidations,
  derivativesValidations,
  existingBucketValidations,
  hclString,
  listOf,
  pattern,
  range,
  tagLimits,
  v,
} from "./module-variable-rules";
import { bringYourOwnValidations } from "./module-variables-bring-your-own";

export type { ModuleVariableSpec };

/** A list of strings as HCL. */
const hclList = (values: readonly string[]) => `[${values.map(hclString).join(", ")}]`;

/** The validations of the variables whose rule is the module's own: across variables, or over a structured value. */
const MODULE_VALIDATIONS: Readonly<Record<string, Validation | readonly Validation[]>> = {
  // Cross-variable: the prefix, its hyphen and the environment share the bucket name's room.
  name_prefix: {
    condition: `${pattern("name_prefix", RULES.namePrefix, '""').condition} && length(${v("name_prefix")}) + (${v("name_prefix")} == "" ? 0 : 1) + length(${v("environment")}) <= ${RULES.namePrefix.maxWithEnvironment} && !anytrue([for reserved in ${hclList(RULES.namePrefix.reservedPrefixes)} : startswith(${v("name_prefix")}, reserved)])`,
    message: `Invalid name_prefix: must be ${RULES.namePrefix.allowed}, and with its hyphen and the environment at most ${RULES.namePrefix.maxWithEnvironment} characters (bucket names have at most 63).`,
  },
  tags: tagLimits("tags"),
  event_delivery: {
    condition: `contains([${RULES.eventDelivery.map((d) => JSON.stringify(d)).join(", ")}], ${v("event_delivery")})`,
    message: `Invalid event_delivery: must be one of ${RULES.eventDelivery.map((d) => JSON.stringify(d)).join(", ")}.`,
  },
  reserved_concurrency: [
    range("reserved_concurrency", "reservedConcurrency", true),
    {
      // Cross-variable, as concurrencyProblems: with EventBridge delivery the queue's mapping runs up to its maximum.
      condition: `${v("reserved_concurrency")} == null || ${v("event_delivery")} != "eventbridge" || try(${v("reserved_concurrency")} >= ${v("event_queue_maximum_concurrency")}, false)`,
      message:
        'Invalid reserved_concurrency: must be at least event_queue_maximum_concurrency with event_delivery = "eventbridge", or Lambda throttles the event queue\'s batches.',
    },
  ],
  log_retention_days: {
    condition: `contains([${RULES.logRetentionDays.join(", ")}], ${v("log_retention_days")})`,
    message: `Invalid log_retention_days: must be one of ${RULES.logRetentionDays.join(", ")}.`,
  },
  max_read_bytes: {
    condition: `${range("max_read_bytes", "maxReadBytes").condition} && ${v("max_read_bytes")} >= ${v("read_window_bytes")}`,
    message: `${range("max_read_bytes", "maxReadBytes").message.replace(/\.$/, "")}, and at least read_window_bytes.`,
  },
  formats: {
    condition: `length(${v("formats")}) > 0 && length(distinct(${v("formats")})) == length(${v("formats")}) && alltrue([for f in ${v("formats")} : contains(${JSON.stringify(RULES.formats)}, f)])`,
    message: `Invalid formats: must be a non-empty list without repeats of ${RULES.formats.join(", ")}.`,
  },
  role_policy_arns: listOf("role_policy_arns", 10, RULES.policyArn),
  derivatives: derivativesValidations(),
  alarm_duration_share_of_timeout: {
    condition: `${v("alarm_duration_share_of_timeout")} > 0 && ${v("alarm_duration_share_of_timeout")} < 1`,
    message: "Invalid alarm_duration_share_of_timeout: must be a number greater than 0 and less than 1.",
  },
  ...dataProtectionValidations(DEFAULTS.protectedEnvironments),
  ...existingBucketValidations(),
  ...bringYourOwnValidations(),
};

/** A catalog rule as validation blocks. */
function validationOf(name: string, rule: SettingRule | undefined): Validation | readonly Validation[] | undefined {
  if (rule === undefined) return undefined;
  if (rule === "module") {
    const own = MODULE_VALIDATIONS[name];
    if (own === undefined) throw new Error(`${name}'s rule is the module's own, but module-variables.ts has no validation for it`);
    return own;
  }
  if ("range" in rule) return range(name, rule.range, rule.nullable === true);
  return pattern(name, RULES[rule.pattern], rule.nullable ? "null" : undefined);
}

// Structured inputs are typed any, their attributes checked by validations that name an unknown one
// (onlyAttributes); the child module's renditions input keeps the object type, which fills in the defaults.
const TYPES = { renditions: "any", subscriptions: "any" } as const;

/** Each prop that is a module variable of its own by that variable's name: `notificationEmail` → `notification_email`. */
const VARIABLE_OF_PROP = new Map(
  MODULE_SETTINGS.flatMap((s) => ("prop" in s && !s.prop.includes(".") ? [[s.prop as string, s.variable] as const] : [])),
);

/** A prop's TSDoc summary in the module's names (a prop named in backticks becomes its variable), and the row's note. */
export function variableDescription(s: ModuleSetting): string {
  if (!("prop" in s)) return s.description;
  const summary = PROP_DOCS[s.prop];
  if (!summary) throw new Error(`${s.prop} has no TSDoc summary in prop-docs.ts: run \`npm run docs\``);
  const inModuleNames = summary.replace(/`(\w+)`/g, (code, name: string) => {
    const variable = VARIABLE_OF_PROP.get(name);
    return variable ? `\`${variable}\`` : code;
  });
  return "moduleNote" in s ? `${inModuleNames} ${s.moduleNote.trim()}` : inModuleNames;
}

/** One catalog row as a module variable. */
const variableOf = (s: ModuleSetting): ModuleVariableSpec => ({
  name: s.variable,
  type: s.type in TYPES ? TYPES[s.type as keyof typeof TYPES] : (s.type as ModuleVariableSpec["type"]),
  description: variableDescription(s),
  ...("default" in s ? { default: s.default } : {}),
  validation: validationOf(s.variable, "rule" in s ? s.rule : undefined),
});

/**
 * The module's inputs: typed, described, defaulted (from DEFAULTS) and validated like the
 * construct's props. The module README's inputs table is generated from this list.
 */
export const MODULE_VARIABLES: readonly ModuleVariableSpec[] = MODULE_SETTINGS.map(variableOf);
