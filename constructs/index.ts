// The construct library's public API, every name listed: the pipeline; its parts, one AWS concern
// each, for those who compose their own; the configuration they take (props, defaults, rules,
// the error a bad value raises); the ways it ships (the app's environment stack, the module
// stacks, the code folders); and its public names, outputs and Terraform addresses. Anything not
// here is internal and may change in any release (__tests__/constructs/index.test.ts keeps the list).

export { ImageProcessingPipeline } from "./image-processing-pipeline";

export {
  AccessLogBucket,
  type AccessLogBucketProps,
  type AccessLogDelivery,
  type AccessLogSource,
} from "./parts/access-log-bucket";
export { BatchOperations, type BatchOperationsProps } from "./parts/batch-operations";
export { DeadLetterQueue, type DeadLetterQueueProps } from "./parts/dead-letter-queue";
export { Derivatives, type DerivativesProps } from "./parts/derivatives";
export { EncryptionKey, type EncryptionKeyProps } from "./parts/encryption-key";
export { EventQueue, type EventQueueProps } from "./parts/event-queue";
export { ImageStore, type ImageStoreProps } from "./parts/image-store";
export { MetadataTable, type MetadataTableProps } from "./parts/metadata-table";
export { Monitoring, type MonitoringProps } from "./parts/monitoring";
export type { AlarmSpec } from "./parts/metric-alarm";
export type { AlarmThresholds } from "./config/alarm-thresholds";
export { Notifications, type NotificationsProps } from "./parts/notifications";
export { PROCESSOR_RUNTIME, ProcessorFunction, type ProcessorFunctionProps } from "./parts/processor-function";
export { SecurityGuardrails } from "./parts/security-guardrails";

export { DEFAULTS } from "./config/defaults";
export type { DerivativesSettings } from "./config/derivatives-settings";
export type { ExistingBucket, ImageProcessingPipelineProps } from "./config/pipeline-props";
export type { EstateSettings, TopicSubscription, VpcPlacement } from "./config/estate-settings";
export type { EventDelivery, EventQueueSettings } from "./config/event-queue-settings";
export type { ProcessorSettings } from "./config/processor-settings";
export { resolveConfig, type PropsNoneWhenAbsent, type ResolvedPipelineConfig } from "./config/resolve-config";
export { PipelineConfigError, RULES } from "./config/rules";

export { defaultProcessorCodeDir, packagedCodeDir } from "./support/code-dir";
// The child module's inputs, by name and Terraform type: what DerivativesModuleInputs is keyed by.
export {
  DerivativesModuleStack,
  type DerivativesModuleInputs,
  type INPUTS as DERIVATIVES_MODULE_INPUTS,
} from "./shipping/derivatives-module-stack";
export {
  EnvironmentStack,
  type EnvironmentProviderSettings,
  type EnvironmentStackProps,
  type StateBackendConfig,
} from "./shipping/environment-stack";
export { ImageProcessingModuleStack } from "./shipping/module-stack";
export { type MovedBlock, ReadableAddressesStack } from "./shipping/readable-addresses-stack";

export { NAME_LIMITS, resourceNames, type AlarmNames, type ResourceNames } from "./naming/names";
export { PIPELINE_OUTPUTS, addPipelineOutputs, type PipelineOutput, type PipelineOutputsOptions } from "./shipping/pipeline-outputs";
export { PIPELINE_ID, pipelineAddress } from "./naming/terraform-address";

export { AwsContext } from "./support/aws-context";
// The count switch some parts take; its shape may change in any release.
export type { Counted } from "./support/counted";
export type { PolicyStatement } from "./support/policy-document";
export { TagResources } from "./support/tag-resources";

export { EXAMPLE_RENDITIONS, RENDITION_FITS, RENDITION_FORMATS, RENDITION_LIMITS } from "../functions/image-derivatives/environment";
export type { Rendition, RenditionFit, RenditionFormat } from "../functions/image-derivatives/environment";
export { IMAGE_FORMATS, type ImageFormat } from "../functions/image-processor/environment";
