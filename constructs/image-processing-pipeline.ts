import { Construct } from "constructs";
import { IResolvable, TerraformIterator, TerraformLocal, Token } from "cdktf";
import { S3BucketNotification, S3BucketNotificationLambdaFunction } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { FORMAT_SUFFIXES, ImageFormat } from "../functions/image-processor/environment";
import { AwsContext } from "./aws-context";
import { ImageProcessingPipelineProps, ResolvedPipelineConfig, resolveConfig } from "./config";
import { DeadLetterQueue } from "./dead-letter-queue";
import { EncryptionKey } from "./encryption-key";
import { ImageStore } from "./image-store";
import { MetadataTable } from "./metadata-table";
import { Monitoring } from "./monitoring";
import { Notifications } from "./notifications";
import { ProcessorFunction } from "./processor-function";
import { SecurityGuardrails } from "./security-guardrails";

/**
 * Object key suffixes that trigger processing for the given formats. S3 suffix filters are
 * case-sensitive, so the upper-case forms are listed too.
 */
export const imageSuffixes = (formats: readonly ImageFormat[]): string[] => {
  const lower = formats.flatMap((format) => FORMAT_SUFFIXES[format]);
  return [...lower, ...lower.map((suffix) => suffix.toUpperCase())];
};

/** The same list as a Terraform expression, for formats known only at plan time (the module's variable). */
const imageSuffixesExpression = (formats: string) =>
  `\${flatten([for f in ${formats} : [for s in lookup(${JSON.stringify(FORMAT_SUFFIXES)}, f) : [s, upper(s)]]])}`;

/**
 * The whole image-processing pipeline: images uploaded to a private bucket are validated
 * by a Lambda function that records their metadata in DynamoDB, reports problems through
 * SNS, and hands events it cannot process to a dead-letter queue; alarms and a dashboard
 * watch all of it. This is the composition root: every wire between the parts is here.
 */
export class ImageProcessingPipeline extends Construct {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
  readonly key: EncryptionKey;
  readonly store: ImageStore;
  readonly table: MetadataTable;
  readonly notifications: Notifications;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly processor: ProcessorFunction;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ImageProcessingPipelineProps) {
    super(scope, id);
    const config = (this.config = resolveConfig(props));
    const aws = (this.aws = new AwsContext(this, "Aws"));

    this.key = new EncryptionKey(this, "Key", { config, aws });
    const kmsKeyArn = this.key.key.arn;
    this.store = new ImageStore(this, "Store", { config, aws });
    this.table = new MetadataTable(this, "Table", { config, kmsKeyArn });
    this.notifications = new Notifications(this, "Notifications", { config, aws, kmsKeyArn });
    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", { config, kmsKeyArn });

    this.processor = new ProcessorFunction(this, "Processor", {
      config,
      aws,
      bucketArn: this.store.bucket.arn,
      tableArn: this.table.table.arn,
      tableName: this.table.table.name,
      topicArn: this.notifications.topic.arn,
      deadLetterQueueArn: this.deadLetterQueue.queue.arn,
      kmsKeyArn,
    });

    // One notification resource: S3 keeps a single notification configuration per bucket,
    // so several resources would overwrite each other. It waits for the permission, or S3
    // rejects the configuration because it cannot invoke the function.
    new S3BucketNotification(this, "ObjectCreatedNotification", {
      bucket: this.store.bucket.id,
      lambdaFunction: this.notificationTargets(config.formats),
      dependsOn: [this.processor.invokePermission, this.store.policy],
    });

    // Runs at synth, after any escape-hatch overrides have been made.
    this.node.addValidation(new SecurityGuardrails(this, config.allowInsecureOverrides));

    this.monitoring = new Monitoring(this, "Monitoring", {
      config,
      aws,
      functionName: this.processor.function.functionName,
      tableName: this.table.table.name,
      bucketName: this.store.bucket.bucket,
      deadLetterQueueName: this.deadLetterQueue.queue.name,
      topicArn: this.notifications.topic.arn,
    });
  }

  /** URL of the pipeline's CloudWatch dashboard in the console. */
  /**
   * One notification target per suffix. Known formats give a static list, so the plan shows
   * each suffix; formats from a module variable give a dynamic block over the same list.
   */
  private notificationTargets(formats: readonly ImageFormat[]): S3BucketNotificationLambdaFunction[] | IResolvable {
    const target = (suffix: string, id: string) => ({
      id,
      lambdaFunctionArn: this.processor.function.arn,
      events: ["s3:ObjectCreated:*"],
      filterSuffix: suffix,
    });
    if (!Token.isUnresolved(formats)) return imageSuffixes(formats).map((suffix) => target(suffix, `process-${suffix.slice(1)}`));
    const suffixes = new TerraformLocal(this, "ImageSuffixes", imageSuffixesExpression(Token.asString(formats)));
    const each = TerraformIterator.fromList(suffixes.asList);
    return each.dynamic({
      id: `process-\${trimprefix(${Token.asString(each.value)}, ".")}`,
      lambda_function_arn: this.processor.function.arn,
      events: ["s3:ObjectCreated:*"],
      filter_suffix: each.value,
    });
  }

  get dashboardUrl(): string {
    return `https://console.aws.amazon.com/cloudwatch/home?region=${this.aws.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`;
  }
}
