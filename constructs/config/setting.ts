// What one row of the settings catalog (settings-catalog.ts) says about a setting.
import type { ImageProcessingPipelineProps } from "./pipeline-props";

type Props = ImageProcessingPipelineProps;
/** Props that are objects of settings: each of their fields is a setting of its own. */
type Grouped = "eventQueue" | "derivativesSettings" | "alarmThresholds" | "existingBucket" | "vpc";
/** A setting's place in the props: `memorySize`, or `eventQueue.batchSize` for a field of a group. */
export type SettingPath = Exclude<keyof Props, Grouped> | { [G in Grouped]: `${G}.${keyof NonNullable<Props[G]> & string}` }[Grouped];

/** The Terraform type of a module variable. */
export type VariableType = "string" | "number" | "bool" | "list(string)" | "map(string)" | "renditions" | "subscriptions";

/**
 * How a module variable is checked: a {@link RULES} entry, rendered as a validation block by
 * constructs/shipping/module-variable-rules.ts (the constructs check the same entry at synth), or
 * `"module"`: a validation of the module's own, written there by variable name (a rule across
 * variables, or over a structured value).
 */
export type SettingRule =
  | { readonly range: string; readonly nullable?: true }
  | {
      readonly pattern: "environment" | "notificationEmail" | "kmsKeyArn" | "policyArn" | "bucketName";
      readonly nullable?: true;
    }
  | "module";

/** A module variable's default: absent, the variable is required; `null`, it is optional and null means none. */
export type VariableDefault = string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;

export interface Setting {
  /** The prop; absent for a switch of the module's own (`create_bucket`), which decides at plan time what a prop's presence decides. */
  readonly prop?: SettingPath;
  /** The module variable; absent for a prop the library alone has (a construct, a folder, a provider). */
  readonly variable?: string;
  readonly type?: VariableType;
  readonly default?: VariableDefault;
  readonly rule?: SettingRule;
  /**
   * The module variable's whole description, for a variable no prop has (`create_bucket`). A prop's
   * variable is described by the prop's TSDoc (its summary, in the module's names), with `moduleNote`.
   */
  readonly description?: string;
  /** What the module variable's description adds to the prop's TSDoc: what null means, what it needs in Terraform. */
  readonly moduleNote?: string;
  /**
   * The module stack passes the variable to the pipeline itself rather than as the prop: a decision at
   * plan time (`existing_bucket_name`), or a value worked out from other variables (`force_destroy`).
   */
  readonly passedByModule?: true;
  /** The environment variable each function reads it from (functions/\*\/environment.ts names them for both sides). */
  readonly env?: { readonly processor?: string; readonly derivatives?: string };
  /** The derivatives child module's input the parent passes the variable on as. */
  readonly derivativesInput?: string;
}
