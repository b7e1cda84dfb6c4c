// The public surface of the construct library, by folder: the pipeline that composes the parts;
// its parts (one AWS concern each); their configuration (props, defaults, rules); the ways it
// ships (the app's environment stack, the module stacks, code archives); its public names, outputs
// and addresses; and the helpers every part uses.
export * from "./image-processing-pipeline";

export * from "./parts/access-log-bucket";
export * from "./parts/dead-letter-queue";
export * from "./parts/derivatives";
export { derivativesPolicyStatements } from "./parts/derivatives-policy";
export * from "./parts/encryption-key";
export * from "./parts/function-statements";
export * from "./parts/image-store";
export * from "./parts/metadata-table";
export * from "./parts/monitoring";
export { dashboardBody } from "./parts/dashboard";
export * from "./parts/notifications";
export * from "./parts/private-bucket";
export * from "./parts/processor-function";
export * from "./parts/security-guardrails";

export * from "./config/defaults";
export * from "./config/derivatives-settings";
export * from "./config/pipeline-props";
export * from "./config/processor-settings";
export * from "./config/resolve-config";
export * from "./config/rules";

export * from "./shipping/code-dir";
export * from "./shipping/derivatives-module-stack";
export * from "./shipping/environment-stack";
export * from "./shipping/module-stack";
export * from "./shipping/module-variables";

export * from "./interface/names";
export * from "./interface/pipeline-outputs";
export * from "./interface/terraform-address";

export * from "./support/aws-context";
export * from "./support/tag-resources";

export { EXAMPLE_RENDITIONS, RENDITION_FITS, RENDITION_FORMATS, RENDITION_LIMITS } from "../functions/image-derivatives/environment";
export type { Rendition, RenditionFit, RenditionFormat } from "../functions/image-derivatives/environment";
