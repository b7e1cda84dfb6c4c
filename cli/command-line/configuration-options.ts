import type { Command } from "commander";

/**
 * Where `diagram` and `cost` read a configuration from: a synthesized stack or a plan. They need no
 * AWS credentials; their modules load only when run, so the day-to-day commands do not pay for Graphviz.
 */
export const addConfigurationOptions = (command: Command): Command =>
  command
    .option("--stack <stack>", "a synthesized stack: its folder or its cdk.tf.json (default: cdktf.out/stacks/image-processing-dev)")
    .option("--plan <file>", "instead, `terraform show -json <plan file>` of a root (the module's, a stack's)");
