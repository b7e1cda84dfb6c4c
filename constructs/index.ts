// The public surface of the construct library.
export * from "./config";
export * from "./names";
export * from "./aws-context";
export * from "./encryption-key";
export * from "./image-store";
export * from "./metadata-table";
export * from "./notifications";
export * from "./dead-letter-queue";
export * from "./processor-function";
export * from "./monitoring";
export * from "./image-processing-pipeline";
export * from "./environment-stack";
export * from "./module-stack";
export * from "./access-log-bucket";
export * from "./security-guardrails";
export * from "./private-bucket";
