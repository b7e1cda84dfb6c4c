import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";

const { FRAMEWORKS, SOURCE_FRAMEWORK, frameworkFrom, jestModuleNameMapper, rewriteImports } = require("../../scripts/frameworks.cjs");

const ROOT = join(__dirname, "..", "..");

describe("rewriteImports", () => {
  it("names cdktn's packages wherever a module is loaded: require, import from, import(), export from, and paths inside them", () => {
    // Arrange
    const emitted = [
      'const cdktf_1 = require("cdktf");',
      'var import_s3_bucket = require("@cdktf/provider-aws/lib/s3-bucket");',
      'import { TerraformStack } from "cdktf";',
      "readonly stack: import('cdktf').TerraformStack;",
      'export * from "cdktf/lib/testing/adapters/jest";',
    ].join("\n");

    // Act
    const rewritten = rewriteImports(emitted, "cdktn");

    // Assert
    expect(rewritten.split("\n")).toEqual([
      'const cdktf_1 = require("cdktn");',
      'var import_s3_bucket = require("@cdktn/provider-aws/lib/s3-bucket");',
      'import { TerraformStack } from "cdktn";',
      "readonly stack: import('cdktn').TerraformStack;",
      'export * from "cdktn/lib/testing/adapters/jest";',
    ]);
  });

  it("leaves other strings alone: the ManagedBy tag, this package's name, a provider of another name", () => {
    const emitted =
      'tags: { ManagedBy: "cdktf" }; require("cdktf-image-processing"); require("@cdktf/provider-random/lib/id"); const cdktf = "cdktf";';

    expect(rewriteImports(emitted, "cdktn")).toBe(emitted);
  });

  it("changes nothing for the flavor the sources are written in", () => {
    expect(rewriteImports('require("cdktf")', SOURCE_FRAMEWORK)).toBe('require("cdktf")');
  });
});

describe("frameworkFrom", () => {
  it("is cdktf unless CDK_FRAMEWORK names cdktn", () => {
    const flavor = process.env.CDK_FRAMEWORK;
    try {
      delete process.env.CDK_FRAMEWORK;
      expect(frameworkFrom()).toBe("cdktf");
      expect(frameworkFrom("")).toBe("cdktf");
      process.env.CDK_FRAMEWORK = "cdktn";
      expect(frameworkFrom()).toBe("cdktn");
    } finally {
      process.env.CDK_FRAMEWORK = flavor;
    }
  });

  it("refuses any other name, listing the allowed ones", () => {
    expect(() => frameworkFrom("cdk")).toThrow('CDK_FRAMEWORK must be one of cdktf, cdktn; got "cdk"');
  });
});

describe("the three places the mapping is used agree with it", () => {
  it("tsconfig.cdktn.json type-checks the sources against the packages jest and the build load", () => {
    const { paths } = JSON.parse(readFileSync(join(ROOT, "tsconfig.cdktn.json"), "utf8")).compilerOptions;
    const { core, providerAws } = FRAMEWORKS.cdktn;

    expect(paths).toEqual({
      cdktf: [`./node_modules/${core}`],
      "cdktf/*": [`./node_modules/${core}/*`],
      "@cdktf/provider-aws/lib/*": [`./node_modules/${providerAws}/lib/*`],
    });
    expect(jestModuleNameMapper("cdktn")).toEqual({
      "^cdktf$": core,
      "^cdktf/(.*)$": `${core}/$1`,
      "^@cdktf/provider-aws/(.*)$": `${providerAws}/$1`,
    });
  });

  it("this run of the suite uses the framework its project names (jest.config.js), classes and matchers alike", () => {
    // Arrange: the flavor's own packages, required by their real names (never mapped).
    const flavor = FRAMEWORKS[frameworkFrom()];
    const own = require(flavor.core);
    const ownBucket = require(`${flavor.providerAws}/lib/s3-bucket`).S3Bucket;

    // Act
    const synthesized = Testing.synthScope((scope) => new S3Bucket(scope, "bucket", { bucket: "b" }));

    // Assert
    expect(TerraformStack).toBe(own.TerraformStack);
    expect(S3Bucket).toBe(ownBucket);
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "b" });
  });
});
