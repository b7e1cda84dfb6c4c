// Every setting of the pipeline, once: the prop it is, the module variable it becomes (its type,
// default, and what its description adds to the prop's), the rule that checks it, the function
// environment variable it reaches, and the derivatives child module's input it is passed on as.
// The module's variables, the variable-to-prop mapping, the child module's inputs and the
// processor's environment are generated from these rows (constructs/shipping/module-variables.ts,
// module-stack.ts, derivatives-module-stack.ts, parts/processor-function.ts); a test checks every
// row reaches each of them and that every prop and module variable has a row. A setting's
// description is its prop's TSDoc (pipeline-props.ts and the settings interfaces), which the module
// variable's is made from (prop-docs.ts, generated).
import type { SettingPath } from "./setting";
import { FUNCTION_SETTINGS } from "./settings-of-the-functions";
import { PIPELINE_SETTINGS } from "./settings-of-the-pipeline";

export type { Setting, SettingPath, SettingRule, VariableDefault, VariableType } from "./setting";

/** Every setting, in the catalog's order. */
export const SETTINGS = [...PIPELINE_SETTINGS, ...FUNCTION_SETTINGS] as const;

/** The settings that are module variables. */
export type ModuleSetting = Extract<(typeof SETTINGS)[number], { variable: string }>;
export const MODULE_SETTINGS = SETTINGS.filter((s): s is ModuleSetting => "variable" in s);

// Compile-time: every prop has a row. A prop without one is named in the error here.
type Missing = Exclude<SettingPath, Extract<(typeof SETTINGS)[number], { prop: string }>["prop"]>;
const everyPropHasARow: [Missing] extends [never] ? true : Missing = true;
void everyPropHasARow;
