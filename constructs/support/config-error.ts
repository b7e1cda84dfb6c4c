// How a construct refuses a configuration: one error listing every problem. Below the settings
// (config/) and everything that checks a value at synth, so each can throw it.

/** A configuration value that is out of its allowed set; the message names the field and the allowed values. */
export class PipelineConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid image-processing configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "PipelineConfigError";
  }
}

/** Throws one {@link PipelineConfigError} listing every problem, if there is any. */
export function throwIfInvalid(problems: readonly string[]): void {
  if (problems.length > 0) throw new PipelineConfigError(problems);
}
