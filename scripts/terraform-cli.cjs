// Terraform's command-line settings for runs without an AWS account: where `terraform init` takes
// providers from, and the environment that points the AWS provider at the emulator. Shared by the
// deploy and package suites (__tests__/deploy/terraform.ts) and `npm run scan`; CommonJS, so both
// jest (which loads no ES modules here) and the scripts load it.
"use strict";

const { existsSync, mkdirSync, writeFileSync } = require("node:fs");
const { homedir } = require("node:os");
const { join } = require("node:path");

/** Offline mirrors looked for when TF_PROVIDER_MIRROR is unset: Terraform's own user plugin folder, and CI's machine image's. */
const KNOWN_MIRRORS = [join(homedir(), ".terraform.d", "plugins"), "/opt/tf-plugins"];

/**
 * TF_PROVIDER_MIRROR, else the first known mirror that holds the AWS provider, else none (the registry).
 * @returns {string | undefined}
 */
function providerMirror() {
  if (process.env.TF_PROVIDER_MIRROR) return process.env.TF_PROVIDER_MIRROR;
  return KNOWN_MIRRORS.find((dir) => existsSync(join(dir, "registry.terraform.io", "hashicorp", "aws")));
}

/**
 * Where `terraform init` takes providers from: from a filesystem mirror (a folder laid out as
 * `terraform providers mirror` writes it) when there is one, otherwise from the registry through a
 * plugin cache that the working directories share. No cache beside a mirror: init links each
 * working directory to an unpacked mirror's provider itself, and Terraform's cache is not safe for
 * inits that run side by side ("no package ... cached in .terraform/providers").
 * @param {string} dir the folder the CLI configuration (and any cache) is written to
 * @returns {string} the CLI configuration file, for TF_CLI_CONFIG_FILE
 */
function writeCliConfig(dir) {
  const mirror = providerMirror();
  const file = join(dir, "terraform.rc");
  if (mirror) {
    writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
    return file;
  }
  const cache = join(dir, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  writeFileSync(file, `plugin_cache_dir = ${JSON.stringify(cache)}\n`);
  return file;
}

/**
 * The environment every Terraform command runs with: the emulator, test credentials, the CLI config.
 * @param {string} endpoint the emulator's URL
 * @param {string} cliConfig the CLI configuration file (writeCliConfig)
 * @param {string} region
 * @returns {NodeJS.ProcessEnv}
 */
function terraformEnvironment(endpoint, cliConfig, region) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ENDPOINT_URL: endpoint,
    AWS_S3_USE_PATH_STYLE: "true",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

module.exports = { providerMirror, writeCliConfig, terraformEnvironment };
