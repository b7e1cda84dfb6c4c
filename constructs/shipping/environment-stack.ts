import { PIPELINE_ID } from "../interface/terraform-address";
import type { Construct } from "constructs";
import { LocalBackend, S3Backend } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../image-processing-pipeline";
import { addPipelineOutputs } from "../interface/pipeline-outputs";
import type { ImageProcessingPipelineProps } from "../config/pipeline-props";
import { AWS_PROVIDER_REQUIREMENT } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";

/** Where an environment keeps its Terraform state. */
export interface StateBackendConfig {
  /** S3 bucket holding the state files (see docs/app.md, "Remote state"). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
}

export interface EnvironmentStackProps extends ImageProcessingPipelineProps {
  /** AWS region to deploy to. */
  readonly region: string;
  /**
   * Remote state in S3 with S3-native locking; the key is `image-processing/<environment>/terraform.tfstate`.
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
    const { region, stateBackend, tags, ...pipelineProps } = props;

    new AwsProvider(this, "aws", {
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
      new S3Backend(this, {
        bucket: stateBackend.bucket,
        region: stateBackend.region,
        key: `image-processing/${props.environment}/terraform.tfstate`,
        encrypt: true,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it yet.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
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
