// What a platform team brings to the pipeline, made in its own stack beside it: as resources of that
// stack (references, known only after apply) or as TerraformVariables; and the team's stacks
// themselves (one with its own resources, one in two regions, one with its own bucket and key). Used by the
// unit tests, by the deploy suite (the library from the sources) and by the package suite (the
// library from the installed tarball), which validate, plan and apply such stacks with real Terraform.
import type { Construct } from "constructs";
import { type App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { ImageProcessingPipelineProps } from "../../constructs/config/pipeline-props";
// Types only: the library itself is handed in (teamStack), so the package suite can hand it the installed package.
import type * as Library from "../../constructs";

/** Every value the team brings, each a token. */
export interface TeamResources {
  readonly key: string;
  readonly bucketName: string;
  readonly bucketKey: string;
  readonly queueArn: string;
  readonly topicArn: string;
  readonly policyArn: string;
  readonly boundaryArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** What each of these values reads as in the synthesized JSON: none may decide a count or a for_each. */
  readonly mentioned: RegExp;
}

const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] });

/** The team's resources as resources of the stack: a key for everything, a bucket and its key, a queue, a topic, two policies, a VPC. */
export function teamResourcesMade(scope: Construct): TeamResources {
  const key = new KmsKey(scope, "TeamKey", { description: "the team's key" });
  const bucketKey = new KmsKey(scope, "UploadsKey", { description: "the uploads bucket's key" });
  const bucket = new S3Bucket(scope, "Uploads", { bucket: "team-shared-uploads" });
  const queue = new SqsQueue(scope, "Notices", { name: "team-image-notices" });
  const topic = new SnsTopic(scope, "OnCall", { name: "team-on-call" });
  const policy = new IamPolicy(scope, "Baseline", { name: "team-baseline", policy: POLICY });
  const boundary = new IamPolicy(scope, "Boundary", { name: "team-boundary", policy: POLICY });
  const vpc = new Vpc(scope, "Network", { cidrBlock: "10.0.0.0/16" });
  const subnets = [0, 1].map((i) => new Subnet(scope, `Private${i}`, { vpcId: vpc.id, cidrBlock: `10.0.${i + 1}.0/24` }));
  const group = new SecurityGroup(scope, "Functions", { vpcId: vpc.id, name: "image-functions", description: "HTTPS out" });
  return {
    key: key.arn,
    bucketName: bucket.bucket,
    bucketKey: bucketKey.arn,
    queueArn: queue.arn,
    topicArn: topic.arn,
    policyArn: policy.arn,
    boundaryArn: boundary.arn,
    subnetIds: subnets.map((s) => s.id),
    securityGroupIds: [group.id],
    mentioned:
      /aws_(kms_key\.(TeamKey|UploadsKey)|s3_bucket\.Uploads|sqs_queue\.Notices|sns_topic\.OnCall|iam_policy\.(Baseline|Boundary)|subnet\.Private|security_group\.Functions)/,
  };
}

/** The variable each value of the team's resources is read from, in a stack of variables. */
export const TEAM_VARIABLES = {
  key: "team_key_arn",
  bucketName: "uploads_bucket_name",
  bucketKey: "uploads_key_arn",
  queueArn: "notices_queue_arn",
  topicArn: "on_call_topic_arn",
  policyArn: "baseline_policy_arn",
  boundaryArn: "boundary_policy_arn",
  subnetIds: "subnet_ids",
  securityGroupIds: "security_group_ids",
} as const satisfies Record<Exclude<keyof TeamResources, "mentioned">, string>;

/** The team's resources as variables of the stack (lists as whole-list variables). */
export function teamResourcesAsVariables(scope: Construct): TeamResources {
  type Field = keyof typeof TEAM_VARIABLES;
  const text = (field: Field) => new TerraformVariable(scope, TEAM_VARIABLES[field], { type: "string" }).stringValue;
  const list = (field: Field) => new TerraformVariable(scope, TEAM_VARIABLES[field], { type: "list(string)" }).listValue;
  return {
    key: text("key"),
    bucketName: text("bucketName"),
    bucketKey: text("bucketKey"),
    queueArn: text("queueArn"),
    topicArn: text("topicArn"),
    policyArn: text("policyArn"),
    boundaryArn: text("boundaryArn"),
    subnetIds: list("subnetIds"),
    securityGroupIds: list("securityGroupIds"),
    mentioned: new RegExp(`var\\.(${Object.values(TEAM_VARIABLES).join("|")})`),
  };
}

/** Each bring-your-own input alone (the table), then every one at once. */
export const BRING_YOUR_OWN: Record<string, (e: TeamResources) => Partial<ImageProcessingPipelineProps>> = {
  "existingBucket by name, without a key": (e) => ({ eventDelivery: "eventbridge", existingBucket: { name: e.bucketName } }),
  existingKmsKeyArn: (e) => ({ existingKmsKeyArn: e.key }),
  bucketKmsKeyArn: (e) => ({ bucketKmsKeyArn: e.bucketKey }),
  "existingBucket with its key": (e) => ({ eventDelivery: "eventbridge", existingBucket: { name: e.bucketName, kmsKeyArn: e.bucketKey } }),
  "an sqs subscription": (e) => ({ subscriptions: [{ protocol: "sqs", endpoint: e.queueArn }] }),
  "alarmActions, rolePolicyArns, rolePermissionsBoundaryArn and vpc": (e) => ({
    alarmActions: [e.topicArn],
    rolePolicyArns: [e.policyArn],
    rolePermissionsBoundaryArn: e.boundaryArn,
    vpc: { subnetIds: e.subnetIds, securityGroupIds: e.securityGroupIds },
  }),
  "every one at once, with derivatives": (e) => everyInput(e),
};

/** Every bring-your-own prop, with derivatives (whose part takes the bucket's key, the policies, the boundary and the VPC too). */
export function everyInput(e: TeamResources): Partial<ImageProcessingPipelineProps> {
  return {
    eventDelivery: "eventbridge",
    existingBucket: { name: e.bucketName, kmsKeyArn: e.bucketKey },
    existingKmsKeyArn: e.key,
    subscriptions: [{ protocol: "sqs", endpoint: e.queueArn, name: "notices" }],
    alarmActions: [e.topicArn],
    rolePolicyArns: [e.policyArn],
    rolePermissionsBoundaryArn: e.boundaryArn,
    vpc: { subnetIds: e.subnetIds, securityGroupIds: e.securityGroupIds },
    derivatives: [{ name: "thumbnail", width: 320, height: 320, fit: "cover", format: "webp" }],
  };
}

/** What a team's app takes from the library: the sources' (deploy suite) or the installed package's (package suite). */
export type PipelineLibrary = Pick<typeof Library, "ImageProcessingPipeline">;

export interface TeamStackOptions {
  readonly region: string;
  /** The AWS provider version the team pins, as the pipeline does (the prebuilt bindings would pin their own 6.x). */
  readonly providerVersion: string;
  /** What the team brings: resources of the stack (the default) or its variables. */
  readonly team?: (scope: Construct) => TeamResources;
  /** The stack's pipelines by construct id, each given its props (beside `environment`) from the one team's resources. */
  readonly pipelines: Record<string, (e: TeamResources) => Partial<ImageProcessingPipelineProps>>;
}

/** A team's own stack with its own provider and local state, the provider pinned as the team pins it. */
function ownStack(app: App, name: string, options: Pick<TeamStackOptions, "region" | "providerVersion">): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, "aws", { region: options.region });
  // Its state in its own folder (cdktf's default local path is the app's working directory's, which the stacks would share).
  new LocalBackend(stack, { path: "terraform.tfstate" });
  stack.addOverride("terraform.required_providers.aws.version", options.providerVersion);
  return stack;
}

/** A team's own stack with its own provider and local state, its own resources, and the pipelines of `library` given props of it. */
export function teamStack(app: App, name: string, library: PipelineLibrary, options: TeamStackOptions): TerraformStack {
  const stack = ownStack(app, name, options);
  const team = (options.team ?? teamResourcesMade)(stack);
  for (const [id, props] of Object.entries(options.pipelines))
    new library.ImageProcessingPipeline(stack, id, { environment: "team", dataProtection: false, ...props(team) });
  return stack;
}

/**
 * A team's stack in two regions: `Images` (prefix `home`) on the stack's provider in `region`, and
 * `ImagesWest` (prefix `west`, with derivatives) given an aliased provider in `otherRegion` as its
 * `provider`; readable addresses (`images_…`, `images_west_…`).
 */
export function twoRegionStack(
  app: App,
  name: string,
  library: PipelineLibrary,
  options: Pick<TeamStackOptions, "region" | "providerVersion"> & { readonly otherRegion: string },
): TerraformStack {
  const stack = ownStack(app, name, options);
  const west = new AwsProvider(stack, "west", { region: options.otherRegion, alias: "west" });
  const common = { environment: "team", dataProtection: false, readableAddresses: true } as const;
  new library.ImageProcessingPipeline(stack, "Images", { ...common, namePrefix: "home" });
  new library.ImageProcessingPipeline(stack, "ImagesWest", {
    ...common,
    namePrefix: "west",
    provider: west,
    derivatives: [{ name: "thumbnail", width: 320, height: 320, fit: "cover", format: "webp" }],
  });
  return stack;
}

/**
 * A team's stack whose own bucket, encrypted by default with its own key, the pipeline `Images`
 * processes: the bucket and the key given by reference (`existingBucket` with the key, and the
 * key as `existingKmsKeyArn` for the pipeline's table, queues and logs). The bucket is emptied by
 * its destroy (force_destroy), as a team's scratch bucket would be.
 */
export function sharedBucketStack(
  app: App,
  name: string,
  library: PipelineLibrary,
  options: Pick<TeamStackOptions, "region" | "providerVersion"> & { readonly bucketName: string },
): TerraformStack {
  const stack = ownStack(app, name, options);
  const key = new KmsKey(stack, "TeamKey", { description: "the team's key", deletionWindowInDays: 7 });
  const bucket = new S3Bucket(stack, "Uploads", { bucket: options.bucketName, forceDestroy: true });
  new S3BucketServerSideEncryptionConfigurationA(stack, "UploadsEncryption", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn } }],
  });
  // Its owner turns EventBridge delivery on (ExistingBucket.name).
  new S3BucketNotification(stack, "UploadsEvents", { bucket: bucket.id, eventbridge: true });
  new library.ImageProcessingPipeline(stack, "Images", {
    environment: "team",
    dataProtection: false,
    eventDelivery: "eventbridge",
    existingBucket: { name: bucket.bucket, kmsKeyArn: key.arn },
    existingKmsKeyArn: key.arn,
  });
  return stack;
}
