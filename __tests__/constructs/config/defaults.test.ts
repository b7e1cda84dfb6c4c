// Every TSDoc `@default` of a construct prop that states a value states DEFAULTS' value: the
// documentation is written by hand, the defaults live in one place (constructs/config/defaults.ts).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DEFAULTS } from "../../../constructs/config/defaults";
import { MODULE_VARIABLES } from "../../../constructs/shipping/module-variables";

const CONSTRUCTS = join(__dirname, "..", "..", "..", "constructs");
/** Interfaces whose props' defaults live in a part of DEFAULTS of their own. */
const NESTED: Record<string, Record<string, unknown>> = {
  DerivativesSettings: DEFAULTS.derivatives,
  AlarmThresholds: DEFAULTS.alarmThresholds,
};

/** [file, interface, prop, the literal its @default states] for every documented prop whose @default begins with a literal. */
function documentedDefaults(): [string, string, string, unknown][] {
  const found: [string, string, string, unknown][] = [];
  for (const file of readdirSync(CONSTRUCTS, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(CONSTRUCTS, file), "utf8");
    let owner = "";
    for (const match of text.matchAll(/export interface (\w+)|\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\?:/g)) {
      if (match[1]) {
        owner = match[1];
        continue;
      }
      const stated = /@default\s+(-?\d+(?:\.\d+)?|true|false|"[^"]*"|\[[^\]]*\])(?=\s|$|\()/.exec(match[2].replace(/\n\s*\*/g, " "));
      if (stated) found.push([file, owner, match[3], JSON.parse(stated[1])]);
    }
  }
  return found;
}

describe("the documented defaults", () => {
  it("state DEFAULTS' value wherever a prop of that name has one", () => {
    // Arrange
    const documented = documentedDefaults();

    // Act
    const compared = documented.filter(([, owner, prop]) => prop in (NESTED[owner] ?? DEFAULTS));
    const wrong = compared.filter(
      ([, owner, prop, value]) => JSON.stringify((NESTED[owner] ?? (DEFAULTS as Record<string, unknown>))[prop]) !== JSON.stringify(value),
    );

    // Assert
    expect(compared.length).toBeGreaterThanOrEqual(25);
    expect(wrong).toEqual([]);
  });

  it("give the module's variables DEFAULTS' values, none typed again", () => {
    const catalog = ["settings-of-the-pipeline.ts", "settings-of-the-functions.ts"].map((f) =>
      readFileSync(join(CONSTRUCTS, "config", f), "utf8"),
    );

    // Only `null`, a computed value, or a DEFAULTS reference: no literal default in the catalog but
    // the module's own switches (create_bucket, create_kms_key, use_bucket_kms_key), which no prop has.
    expect(catalog.flatMap((source) => source.match(/default: (?:true|false|-?\d[\d_.]*|"[^"]*")\s*[,}]/g) ?? [])).toEqual([
      "default: true,",
      "default: false,",
      "default: true,",
    ]);
    expect(MODULE_VARIABLES.find((v) => v.name === "data_protection")?.default).toBe(DEFAULTS.dataProtection);
  });
});
