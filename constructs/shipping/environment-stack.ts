import { PIPELINE_ID } from "../naming/terraform-address";
import type { Construct } from "constructs";
import { LocalBackend, S3Backend, type S3BackendConfig } from "cdktf";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../image-processing-pipeline";
import { addPipelineOutputs } from "./pipeline-outputs";
import type { ImageProcessingPipelineProps } from "../config/pipeline-props";
import { AWS_PROVIDER_REQUIREMENT } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";

/**
 * Where an environment keeps its Terraform state: an S3 bucket, with any setting of cdktf's
 * `S3Backend` a platform team sets (`assumeRole`, `allowedAccountIds`, `kmsKeyId`, `profile`,
 * `workspaceKeyPrefix`, ...). The state is always encrypted.
 */
export interface StateBackendConfig extends Omit<S3BackendConfig, "bucket" | "region" | "key" | "encrypt"> {
  /** S3 bucket holding the state files (see docs/app.md, "Remote state"). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /**
   * Path of the state file in the bucket.
   * @default `image-processing/<environment>/terraform.tfstate`
   */
  readonly key?: string;
  /**
   * S3-native state locking (a lock file beside the state; Terraform 1.10 or later). Turn off only
   * for a team that locks with `dynamodbTable` on an older Terraform.
   * @default true
   */
  readonly useLockfile?: boolean;
}

/**
 * The AWS provider's settings a platform team sets on the stack's provider: `assumeRole`,
 * `allowedAccountIds`, `forbiddenAccountIds`, `profile`, `ignoreTags`, `endpoints`, ... The region
 * is {@link EnvironmentStackProps.region} and the default tags {@link EnvironmentStackProps.tags}.
 */
export type EnvironmentProviderSettings = Omit<AwsProviderConfig, "region" | "alias" | "defaultTags">;

/**
 * An {@link EnvironmentStack}: the pipeline's configuration, and the stack's provider and state.
 * The pipeline is on the stack's provider and has the stack's readable addresses, so neither
 * `provider` nor `readableAddresses` is taken here.
 */
export interface EnvironmentStackProps extends Omit<ImageProcessingPipelineProps, "provider" | "readableAddresses"> {
  /** AWS region to deploy to. */
  readonly region: string;
  /**
   * Settings of the stack's AWS provider beside its region and default tags (for example
   * `assumeRole: [{ roleArn }]` and `allowedAccountIds`).
   * @default none: the provider's credentials and account come from its environment
   */
  readonly providerSettings?: EnvironmentProviderSettings;
  /**
   * Remote state in S3 with S3-native locking.
   * @default local state in `terraform.<stack id>.tfstate` beside `cdktf.out/` (for trying the
   * stack out; not for shared environments)
   */
  readonly stateBackend?: StateBackendConfig;
  /**
   * Extra tags on every resource, beside Environment, Purpose and ManagedBy. In a stack they
   * are the provider's `default_tags` (so they also reach resources added beside the pipeline).
   * @default none
   */
  readonly tags?: Record<string, string>;
}

/**
 * One deployable environment: providers with default tags, remote state, the pipeline and its outputs.
 *
 * @example
 * ```ts
 * const app = new App();
 * new EnvironmentStack(app, "image-processing-staging", {
 *   environment: "staging",
 *   region: "eu-west-1",
 *   stateBackend: { bucket: "acme-terraform-state", region: "eu-west-1" },
 *   notificationEmail: "ops@example.com",
 * });
 * app.synth();
 * ```
 */
export class EnvironmentStack extends ReadableAddressesStack {
  readonly pipeline: ImageProcessingPipeline;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, [PIPELINE_ID]);
    const { region, providerSettings, stateBackend, tags, ...pipelineProps } = props;

    new AwsProvider(this, "aws", {
      ...providerSettings,
      region,
      defaultTags: [
        {
          tags: {
            ...tags,
            Environment: props.environment,
            Purpose: "ImageProcessing",
            ManagedBy: "cdktf",
          },
        },
      ],
    });

    if (stateBackend) {
      const { useLockfile = true, key = `image-processing/${props.environment}/terraform.tfstate`, ...backend } = stateBackend;
      new S3Backend(this, { ...backend, key, encrypt: true });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it yet.
      this.addOverride("terraform.backend.s3.use_lockfile", useLockfile);
    } else {
      // Where cdktf keeps local state by default, but relative to the stack's folder
      // (cdktf.out/stacks/<id>): cdktf's own default is this machine's absolute path.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }

    // The bindings pin the provider they were generated from; the configuration is valid for a range.
    this.addOverride("terraform.required_providers.aws", AWS_PROVIDER_REQUIREMENT);

    this.pipeline = new ImageProcessingPipeline(this, PIPELINE_ID, pipelineProps);
    addPipelineOutputs(this, this.pipeline, "stack");
  }
}
