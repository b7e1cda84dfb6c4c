// Every row of the settings catalog reaches what it declares: its prop (checked at synth by its
// rule), its module variable (typed, defaulted, validated), the variable's prop in the module, the
// derivatives child module's input, the function's environment, and the docs' tables; and every prop
// and every module variable has a row.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { PROP_DOCS } from "../../../constructs/config/prop-docs";
import { resolveConfig } from "../../../constructs/config/resolve-config";
import { RULES } from "../../../constructs/config/rules";
import { MODULE_SETTINGS, SETTINGS } from "../../../constructs/config/settings-catalog";
import { DerivativesModuleStack } from "../../../constructs/shipping/derivatives-module-stack";
import { EnvironmentStack } from "../../../constructs/shipping/environment-stack";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { variableDescription } from "../../../constructs/shipping/module-variables";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";

const ROOT = join(__dirname, "..", "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const synth = (stack: any): any => JSON.parse(Testing.synth(stack));
const rows = SETTINGS as readonly {
  prop?: string;
  variable?: string;
  env?: Record<string, string>;
  derivativesInput?: string;
  rule?: unknown;
  description?: string;
}[];

/** The props interfaces the catalog covers, each prop's path as the catalog writes it. */
const GROUPS: Record<string, string> = {
  ImageProcessingPipelineProps: "",
  ProcessorSettings: "",
  EstateSettings: "",
  EventQueueSettings: "eventQueue.",
  DerivativesSettings: "derivativesSettings.",
  AlarmThresholds: "alarmThresholds.",
  ExistingBucket: "existingBucket.",
  VpcPlacement: "vpc.",
};
const GROUPED = ["eventQueue", "derivativesSettings", "alarmThresholds", "existingBucket", "vpc"];

/** Every documented prop of those interfaces, wherever they are declared under constructs/. */
function declaredProps(): string[] {
  const found: string[] = [];
  const dir = join(ROOT, "constructs");
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const [, name, body] of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{([\s\S]*?)\n\}/g)) {
      if (!(name in GROUPS)) continue;
      for (const [, prop] of body.matchAll(/^ {2}readonly (\w+)\??:/gm)) {
        if (GROUPS[name] === "" && GROUPED.includes(prop)) continue;
        found.push(`${GROUPS[name]}${prop}`);
      }
    }
  }
  return found;
}

describe("the settings catalog", () => {
  const module = synth(new ImageProcessingModuleStack(Testing.app(), "module"));
  const child = synth(new DerivativesModuleStack(Testing.app(), "derivatives"));

  it("has a row for every prop, and a prop for every row that names one, once each", () => {
    const props = declaredProps();
    const catalogued = rows.flatMap((r) => (r.prop ? [r.prop] : []));

    expect(props.length).toBeGreaterThan(60);
    expect([...catalogued].sort()).toEqual([...new Set(props)].sort());
    expect(new Set(catalogued).size).toBe(catalogued.length);
  });

  it("has a row for every variable of the module, and every row's variable is one, typed and described", () => {
    const variables = Object.keys(module.variable);

    expect(MODULE_SETTINGS.map((s) => s.variable).sort()).toEqual(variables.sort());
    for (const s of MODULE_SETTINGS) {
      expect(module.variable[s.variable].description).toBe(variableDescription(s));
      expect(module.variable[s.variable].default ?? null).toEqual("default" in s ? s.default : null);
    }
  });

  it("describes a prop's module variable by the prop's TSDoc alone, in the module's names", () => {
    const described = MODULE_SETTINGS.filter((s) => "prop" in s);
    const renamed = described.filter((s) => !s.prop.includes(".") && s.prop !== s.variable).map((s) => s.prop);

    // The TSDoc is the one hand-written description: a row with a prop writes only what the module adds.
    expect(described.filter((s) => "description" in s).map((s) => s.variable)).toEqual([]);
    expect(rows.filter((r) => r.variable && !r.prop && !r.description).map((r) => r.variable)).toEqual([]);
    for (const s of described) {
      const description: string = module.variable[s.variable].description;
      // Its TSDoc's first words, up to the first name in backticks (which the module's names replace).
      expect(description.startsWith(PROP_DOCS[s.prop].split("`")[0])).toBe(true);
      // No prop that has a variable is named in a module variable's description.
      expect(renamed.filter((prop) => description.includes(`\`${prop}\``))).toEqual([]);
      // The module is released on its own: a description names no page of this repository (those go under @remarks).
      expect({ variable: s.variable, path: description.match(/\bdocs\/[\w-]+\.md\b/)?.[0] }).toEqual({
        variable: s.variable,
        path: undefined,
      });
    }
    expect(described.length).toBeGreaterThan(50);
  });

  it("checks each ranged setting at synth and in the module by the same RULES range", () => {
    const ranged = rows.filter((r): r is typeof r & { rule: { range: string } } => typeof r.rule === "object" && "range" in r.rule!);

    expect(ranged.length).toBeGreaterThan(20);
    for (const r of ranged) {
      const [, max] = RULES.ranges[r.rule.range];
      const [prop, field] = r.prop!.split(".");
      const props = { environment: "dev", [prop]: field ? { [field]: max + 1 } : max + 1 } as never;
      // The synth check names the prop...
      expect(() => resolveConfig(props)).toThrow(`${r.prop} must be an integer from`);
      // ...and the module's validation names the variable, with the same bounds.
      const validations = [module.variable[r.variable!].validation].flat();
      expect(validations.some((v: any) => v.condition.includes(`var.${r.variable} <= ${max}`))).toBe(true);
    }
  });

  it("passes every variable with a prop to the pipeline or the derivatives child module", () => {
    const text = JSON.stringify(module.resource) + JSON.stringify(module.module) + JSON.stringify(module.locals);
    const unread = MODULE_SETTINGS.filter((s) => !text.includes(`var.${s.variable}`));

    expect(unread.map((s) => s.variable)).toEqual([]);
  });

  it("gives the derivatives child module an input for each row that names one, of the variable's value", () => {
    const passed = rows.filter((r) => r.derivativesInput !== undefined);

    expect(passed.length).toBeGreaterThan(15);
    for (const r of passed) {
      expect(child.variable[r.derivativesInput!]).toBeDefined();
      expect(module.module.derivatives[r.derivativesInput!]).toMatch(new RegExp(`var\\.${r.variable}\\b|local\\.`));
    }
    expect(module.module.derivatives.force_destroy).toBe("${local.buckets_force_destroy}");
  });

  it("sets each function's environment variable of a setting to the setting's value", () => {
    const tf = synth(
      new EnvironmentStack(Testing.app(), "env", {
        environment: "dev",
        region: "eu-west-1",
        derivatives: EXAMPLE_RENDITIONS,
        recordGpsCoordinates: true,
        maxImagePixels: 1234,
        formats: ["jpeg", "webp"],
        derivativesSettings: { maxSourceBytes: 2_000_000 },
      }),
    );
    const functions = Object.values(tf.resource.aws_lambda_function) as any[];
    const environment = (name: string) =>
      functions.find((f) => f.function_name.includes(name === "processor" ? "ImageProcessor-" : "ImageDerivatives-"))!.environment
        .variables;
    const withEnv = rows.filter((r) => r.env !== undefined);

    expect(withEnv.length).toBeGreaterThanOrEqual(8);
    for (const r of withEnv) for (const [fn, name] of Object.entries(r.env!)) expect(environment(fn)[name]).toBeDefined();
    expect(environment("processor").RECORD_GPS_COORDINATES).toBe("true");
    expect(environment("processor").IMAGE_FORMATS).toBe("jpeg,webp");
    expect(environment("derivatives").MAX_IMAGE_PIXELS).toBe("1234");
    expect(environment("derivatives").MAX_SOURCE_BYTES).toBe("2000000");
  });

  it("has a row in the docs' reference tables for each prop and each module variable", () => {
    const library = read("docs/library.md");
    const moduleDoc = read("docs/terraform-module.md");

    for (const r of rows) {
      // A grouped prop (eventQueue.batchSize) is documented in its group's row.
      if (r.prop) expect(library).toContain(`| \`${r.prop.split(".")[0]}\` |`);
      // The inputs table as terraform-docs writes it: each row opens with the input's anchor.
      if (r.variable) expect(moduleDoc).toContain(`| <a name="input_${r.variable}"></a>`);
    }
  });
});
