// What the estimate reads of a configuration's keys: the rotation period KMS bills by, whichever
// form the configuration came in.
import type { Configuration, ConfiguredResource } from "../../../../cli/core/configuration/resource";
import { pipelineFacts } from "../../../../cli/core/cost/pipeline-facts";

const resource = (type: string, name: string, values: Record<string, unknown>): ConfiguredResource => ({
  id: `${type}.${name}`,
  type,
  name,
  module: "",
  values,
  refs: {},
});

/** One function and one key with the given key arguments: the least a pipeline instance is read from. */
const withKey = (key: Record<string, unknown>): Configuration => ({
  resources: [
    resource("aws_lambda_function", "processor", { function_name: "ImageProcessor-dev", memory_size: 256 }),
    resource("aws_kms_key", "pipeline", key),
  ],
});

describe("pipelineFacts: a key's rotation period", () => {
  it.each([
    ["a period KMS takes", { enable_key_rotation: true, rotation_period_in_days: 180 }, 180],
    ["no period (a plan before apply): KMS's default", { enable_key_rotation: true }, 365],
    // moto 5.2.5's GetKeyRotationStatus leaves RotationPeriodInDays out, and the provider stores 0
    // (emulator-gaps.json, "deploy"); KMS never answers a period under 90.
    ["0, as the emulator's state holds it: KMS's default", { enable_key_rotation: true, rotation_period_in_days: 0 }, 365],
    ["a period as a string (a synthesized stack)", { enable_key_rotation: true, rotation_period_in_days: "90" }, 90],
    ["rotation off", { enable_key_rotation: false, rotation_period_in_days: 365 }, undefined],
  ])("%s", (_, key, expected) => {
    // Arrange
    const configuration = withKey(key);

    // Act
    const [facts] = pipelineFacts(configuration);

    // Assert
    expect(facts.keys).toEqual([{ id: "aws_kms_key.pipeline", rotationDays: expected }]);
  });
});
