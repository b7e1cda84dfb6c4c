// The two flavors of the npm package (cdktf-image-processing and cdktn-image-processing, each laid out
// by scripts/pack.mjs --stage), and the app a consumer of each writes, for the package suite.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const { FRAMEWORKS } = require("../../scripts/frameworks.cjs");

export const ROOT = join(__dirname, "..", "..");
export const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
/** Each package as published, laid out from the built library by scripts/pack.mjs --stage (package/global-setup.js). */
export const packageDir = (framework: "cdktf" | "cdktn") => join(ROOT, "build", `npm-${framework}`);
export const CDKTN_PACKAGE = packageDir("cdktn");

export interface Flavor {
  readonly framework: "cdktf" | "cdktn";
  /** The folder `npm pack` packs. */
  readonly packageDir: string;
  readonly manifest: any;
}
export const flavors = (): Flavor[] =>
  (["cdktf", "cdktn"] as const).map((framework) => ({
    framework,
    packageDir: packageDir(framework),
    manifest: JSON.parse(readFileSync(join(packageDir(framework), "package.json"), "utf8")),
  }));
export const flavor = (framework: Flavor["framework"]) => flavors().find((f) => f.framework === framework)!;

/** A consumer's own app on `framework`, in plain JavaScript, resolving the package by its name. */
export const consumerApp = ({ framework, manifest }: Flavor) => `
const { App, TerraformStack } = require("${FRAMEWORKS[framework].core}");
const { AwsProvider } = require("${FRAMEWORKS[framework].providerAws}/lib/provider");
const { ImageProcessingPipeline, MetadataTable } = require("${manifest.name}");

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, "consumer");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new ImageProcessingPipeline(stack, "Blue", { environment: "blue" });
new ImageProcessingPipeline(stack, "Green", { environment: "green" });
new MetadataTable(stack, "Catalogue", { tableName: "Catalogue" });
// The prebuilt bindings ask for the provider they were generated from (6.x); the offline mirror
// here holds 5.100, which the library supports (constructs/shipping/provider-requirements.ts).
stack.addOverride("terraform.required_providers.aws.version", process.env.AWS_PROVIDER_VERSION ?? ">= 5.100, < 7.0");
app.synth();
`;

/** `npx image-pipeline <args>` in `cwd`, never installing what is not there. */
export const imagePipeline = (cwd: string, args: string[]) =>
  spawnSync("npx", ["image-pipeline", ...args], { cwd, encoding: "utf8", env: { ...process.env, npm_config_yes: "false" } });
