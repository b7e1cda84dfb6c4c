import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as library from "../../constructs";

// The package's runtime API, every name, as constructs/index.ts lists it: a name added or dropped
// here is a change users see (CHANGELOG).
const PUBLIC = {
  constructs: [
    "AccessLogBucket",
    "AwsContext",
    "BatchOperations",
    "DeadLetterQueue",
    "Derivatives",
    "DerivativesModuleStack",
    "EncryptionKey",
    "EnvironmentStack",
    "EventQueue",
    "ImageProcessingModuleStack",
    "ImageProcessingPipeline",
    "ImageStore",
    "MetadataTable",
    "Monitoring",
    "Notifications",
    "ProcessorFunction",
    "ReadableAddressesStack",
    "SecurityGuardrails",
    "TagResources",
  ],
  errors: ["PipelineConfigError"],
  functions: ["addPipelineOutputs", "defaultProcessorCodeDir", "packagedCodeDir", "pipelineAddress", "resolveConfig", "resourceNames"],
  values: [
    "DEFAULTS",
    "EXAMPLE_RENDITIONS",
    "IMAGE_FORMATS",
    "NAME_LIMITS",
    "PIPELINE_ID",
    "PIPELINE_OUTPUTS",
    "PROCESSOR_RUNTIME",
    "RENDITION_FITS",
    "RENDITION_FORMATS",
    "RENDITION_LIMITS",
    "RULES",
  ],
};

describe("the package's public API (constructs/index.ts)", () => {
  it("exports exactly the listed names, each what its list says", () => {
    // Arrange
    const exported = Object.keys(library).sort();
    const kind = (name: string) => {
      const value = (library as Record<string, unknown>)[name];
      if (typeof value !== "function") return "values";
      if (/^class\s/.test(Function.prototype.toString.call(value))) return value.prototype instanceof Error ? "errors" : "constructs";
      return "functions";
    };

    // Act
    const byKind = Object.fromEntries(Object.keys(PUBLIC).map((k) => [k, exported.filter((name) => kind(name) === k)]));

    // Assert
    expect(exported).toEqual(Object.values(PUBLIC).flat().sort());
    expect(byKind).toEqual(Object.fromEntries(Object.entries(PUBLIC).map(([k, names]) => [k, [...names].sort()])));
  });
});

describe("the public constructs' documentation", () => {
  const CONSTRUCTS = join(__dirname, "..", "..", "constructs");
  const sources = readdirSync(CONSTRUCTS, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(CONSTRUCTS, file), "utf8"));
  /** The TSDoc comment right above `export <kind> <name>`, or undefined. */
  const docOf = (kind: string, name: string) =>
    sources
      .map((text) => new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\nexport (?:abstract )?${kind} ${name}\\b`).exec(text)?.[1])
      .find(Boolean);

  it.each(PUBLIC.constructs)("gives %s an @example", (name) => {
    expect(docOf("class", name)).toMatch(/@example\s+\* ```ts\n/);
  });

  it("documents ImageProcessingPipelineProps itself, with an example", () => {
    expect(docOf("interface", "ImageProcessingPipelineProps")).toMatch(/Configuration of one[\s\S]*@example/);
  });
});
