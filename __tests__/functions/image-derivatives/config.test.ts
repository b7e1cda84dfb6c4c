import { loadDerivativesConfig } from "../../../functions/image-derivatives/config";
import { DERIVATIVES_DEFAULTS, DERIVATIVES_ENV, EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";

const env = {
  [DERIVATIVES_ENV.table]: "ImageMetadata-dev",
  [DERIVATIVES_ENV.bucket]: "image-derivatives-dev-123456789012",
  [DERIVATIVES_ENV.environment]: "dev",
  [DERIVATIVES_ENV.renditions]: JSON.stringify(EXAMPLE_RENDITIONS),
};

describe("loadDerivativesConfig", () => {
  it("reads the renditions and applies the defaults", () => {
    const config = loadDerivativesConfig(env);
    expect(config.renditions.map((r) => r.name)).toEqual(["thumbnail", "large"]);
    expect(config.maxSourceBytes).toBe(DERIVATIVES_DEFAULTS.maxSourceBytes);
  });

  it.each([
    [{ [DERIVATIVES_ENV.renditions]: "thumbnail" }, "RENDITIONS must be a JSON list of renditions"],
    [{ [DERIVATIVES_ENV.renditions]: "[]" }, "RENDITIONS must list at least one rendition"],
    [{ [DERIVATIVES_ENV.renditions]: '[{"name":"t","width":9}]' }, "RENDITIONS[0].width must be an integer from 16 to 8192"],
    [{ [DERIVATIVES_ENV.bucket]: "" }, "DERIVATIVES_BUCKET is required"],
    [{ [DERIVATIVES_ENV.maxSourceBytes]: "-1" }, "MAX_SOURCE_BYTES must be a positive integer"],
  ])("refuses %j at cold start, naming the variable", (change, message) => {
    expect(() => loadDerivativesConfig({ ...env, ...change })).toThrow(message);
  });
});
