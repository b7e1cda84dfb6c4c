import { Construct } from "constructs";
import { Annotations, Aspects, Token, dependable } from "cdktf";
import { AwsContext } from "./support/aws-context";
import { DeadLetterQueue } from "./parts/dead-letter-queue";
import { Derivatives } from "./parts/derivatives";
import type { EncryptionKey } from "./parts/encryption-key";
import { pipelineKey, servedByKey } from "./parts/pipeline-key";
import { placeInVpc } from "./parts/vpc-placement";
import { EventQueue } from "./parts/event-queue";
import { BatchOperations } from "./parts/batch-operations";
import { Counted, countedWhenAll, notCounted } from "./support/counted";
import { eventDeliveryChoice, notifyProcessor } from "./parts/bucket-notification";
import { bucketOwnership, imageBucketOf, imageKeyOf, renditionsKeyOf } from "./parts/image-bucket";
import { DERIVATIVES_ACCESS_LOG_PREFIX } from "./parts/access-log-bucket";
import { ImageStore } from "./parts/image-store";
import { MetadataTable, tableArnFromName } from "./parts/metadata-table";
import type { Monitoring } from "./parts/monitoring";
import { monitorPipeline } from "./parts/pipeline-monitoring";
import { type ResourceNames, resourceNames } from "./naming/names";
import { namePrefixWithHyphen } from "./support/tokens";
import { refuseNameClashes } from "./naming/unique-names";
import { Notifications, alarmActionsOf, unsubscribedAlarmsWarning } from "./parts/notifications";
import type { ImageProcessingPipelineProps } from "./config/pipeline-props";
import { ProcessorFunction } from "./parts/processor-function";
import { type ResolvedPipelineConfig, resolveConfig } from "./config/resolve-config";
import { SecurityGuardrails } from "./parts/security-guardrails";
import { TagResources } from "./support/tag-resources";
import { policyJson, statementObjects } from "./support/policy-document";
import { UseProvider, awsProviderProblems } from "./support/use-provider";
import { useReadableAddresses } from "./naming/readable-addresses";
import { throwIfInvalid } from "./config/rules";
import { switchesFor } from "./support/plan-time";

/**
 * The whole image-processing pipeline: images uploaded to a private bucket are validated
 * by a Lambda function that records their metadata in DynamoDB, reports problems through
 * SNS, and hands events it cannot process to a dead-letter queue; alarms and a dashboard
 * watch all of it. This is the composition root: every wire between the parts is here.
 *
 * @example
 * ```ts
 * const stack = new TerraformStack(app, "images-prod");
 * new AwsProvider(stack, "aws", { region: "eu-west-1" });
 * new ImageProcessingPipeline(stack, "Images", {
 *   environment: "prod",
 *   notificationEmail: "ops@example.com",
 *   derivatives: EXAMPLE_RENDITIONS, // a 320 × 320 WebP thumbnail and a 1920-pixel WebP
 * });
 * ```
 */
export class ImageProcessingPipeline extends Construct {
  readonly config: ResolvedPipelineConfig;
  /** Every resource name of this pipeline (prefix and environment applied). */
  readonly names: ResourceNames;
  /** The instance's name in metrics and notices: `<namePrefix>-<environment>`, or the environment alone. */
  readonly instanceName: string;
  readonly aws: AwsContext;
  /** The key the pipeline made; absent with `existingKmsKeyArn` (a literal ARN or a reference). */
  readonly key?: EncryptionKey;
  /** ARN of the key everything is encrypted with, the pipeline's or the one given. */
  readonly kmsKeyArn: string;
  /**
   * What the key's policy admits beside IAM, as a policy document: what the owner of an `existingKmsKeyArn` adds to it.
   * Each `Sid` ends with `-<instanceName>`, so several pipelines' statements merge into one key policy (their own keys keep plain ones).
   */
  readonly keyPolicyStatementsJson: string;
  /** The statements of {@link ImageProcessingPipeline.keyPolicyStatementsJson} as IAM statement objects (the parts the pipeline has only). */
  readonly keyPolicyStatements: readonly Record<string, unknown>[];
  /** The image bucket the pipeline owns; absent with `existingBucket`, whatever its name's value (a literal or a reference). */
  readonly store?: ImageStore;
  /** The image bucket, owned or not: its name, ARN (from the name, which the plan knows on create) and key, if any. */
  readonly imageBucket: { readonly name: string; readonly arn: string; readonly kmsKeyArn?: string };
  readonly table: MetadataTable;
  readonly notifications: Notifications;
  /** What every alarm runs on ALARM: `alarmActions`, or the topic (on OK, those of them that notify). */
  readonly alarmActions: readonly string[];
  readonly deadLetterQueue: DeadLetterQueue;
  readonly processor: ProcessorFunction;
  readonly monitoring: Monitoring;
  /** EventBridge delivery's rule and queues, when `eventDelivery` is `"eventbridge"` (in the module, counted by its switch). */
  readonly events?: EventQueue;
  /** S3 Batch Operations' role and jobs bucket, with `batchOperations` (in the module, counted by its switch). */
  readonly batchOperations?: BatchOperations;
  /** The renditions' queue, function and bucket, when `derivatives` are configured. */
  readonly derivatives?: Derivatives;

  constructor(scope: Construct, id: string, props: ImageProcessingPipelineProps) {
    super(scope, id);
    const config = (this.config = resolveConfig(props));
    throwIfInvalid(awsProviderProblems("provider", props.provider, this));
    // Before any element is made: cdktf names each one when it is first referenced.
    if (props.readableAddresses === true) useReadableAddresses(this);
    // At synth, so what is added to the pipeline later is on the provider too.
    if (props.provider) Aspects.of(this).add(new UseProvider(props.provider));
    const aws = (this.aws = new AwsContext(this, "Aws"));
    const prefix = namePrefixWithHyphen(this, config.namePrefix);
    const names = (this.names = resourceNames(config.environment, prefix));
    this.instanceName = `${prefix}${config.environment}`;
    // In the module, what its switches decide at plan time (support/plan-time.ts); elsewhere, the props alone.
    const { eventDelivery, batchOperations } = config;
    const planned = switchesFor(this, { eventDelivery, batchOperations });
    // The module deploys the derivatives part as a child module; the pipeline points the processor at its queue.
    const externalDerivatives = planned.derivatives;
    const withDerivatives = config.derivatives !== undefined || externalDerivatives !== undefined;
    const delivery = eventDeliveryChoice(eventDelivery, planned.eventBridge);
    const events = delivery.counted.counted ? delivery.counted.enabled! : delivery.eventBridge;
    const served = servedByKey(aws, names, { events, derivatives: externalDerivatives?.enabled ?? withDerivatives });
    const { alarmNames } = served;

    const key = pipelineKey(this, "Key", {
      existingKmsKeyArn: config.existingKmsKeyArn,
      aliasName: names.keyAlias,
      description: `Image processing pipeline (${this.instanceName}): table, topic, dead-letter queue and logs`,
      ...served,
      aws,
      instanceName: this.instanceName,
    });
    this.key = key.key;
    const kmsKeyArn = (this.kmsKeyArn = key.arn);
    this.keyPolicyStatementsJson = policyJson(key.ownerStatements);
    this.keyPolicyStatements = statementObjects(key.ownerStatements);
    const ownership = bucketOwnership(config.existingBucket ?? planned.existingBucket, planned.createBucket);
    if (ownership.owns) {
      this.store = new ImageStore(this, "Store", {
        bucketName: names.bucket(aws.accountId),
        forceDestroy: config.forceDestroy,
        bucketKmsKeyArn: config.bucketKmsKeyArn,
        noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
        abortIncompleteMultipartUploadDays: config.abortIncompleteMultipartUploadDays,
        accessLogBucketName: config.accessLogging ? names.logBucket(aws.accountId) : undefined,
        accessLogRetentionDays: config.accessLogRetentionDays,
        // The derivatives bucket's access logs go to the same log bucket, under their own prefix.
        accessLogOtherSources: withDerivatives
          ? [
              {
                sid: "AllowDerivativesAccessLogDelivery",
                bucketName: names.derivatives.bucket(aws.accountId),
                prefix: DERIVATIVES_ACCESS_LOG_PREFIX,
              },
            ]
          : [],
        aws,
        counted: ownership.counted,
      });
    }
    // The key of the images: the pipeline's bucket's or the owner's.
    const bucketKmsKeyArn = imageKeyOf(ownership, config.bucketKmsKeyArn);
    this.imageBucket = { ...imageBucketOf(aws, ownership, this.store), kmsKeyArn: bucketKmsKeyArn };
    this.table = new MetadataTable(this, "Table", {
      tableName: names.table,
      kmsKeyArn,
      deletionProtection: config.deletionProtection,
    });
    this.notifications = new Notifications(this, "Notifications", {
      topicName: names.topic,
      kmsKeyArn,
      notificationEmail: config.notificationEmail,
      emailEveryNotice: config.emailEveryNotice,
      subscriptions: config.subscriptions,
      alarmNames,
      aws,
    });
    const alarmActions = (this.alarmActions = alarmActionsOf(config.alarmActions, this.notifications.topic.arn));
    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", {
      queueName: names.deadLetterQueue,
      kmsKeyArn,
      deadLetterRetentionDays: config.deadLetterRetentionDays,
      aws,
    });

    // From the name, which the plan knows on create (its `arn` only after apply): the role policies show in full.
    const tableArn = tableArnFromName(aws, this.table.table.name);
    if (config.derivatives) {
      this.derivatives = new Derivatives(this, "Derivatives", {
        renditions: config.derivatives,
        settings: config.derivativesSettings,
        names: names.derivatives,
        environment: this.instanceName,
        aws,
        imageBucketArn: this.imageBucket.arn,
        bucketKmsKeyArn,
        renditionsKmsKeyArn: renditionsKeyOf(ownership, { bucketKmsKeyArn: config.bucketKmsKeyArn, pipelineKeyArn: kmsKeyArn }),
        tableArn,
        tableName: this.table.table.name,
        kmsKeyArn,
        alarmActions,
        forceDestroy: config.forceDestroy,
        logRetentionDays: config.logRetentionDays,
        maxImagePixels: config.maxImagePixels,
        lambdaErrorsThreshold: config.alarmThresholds.lambdaErrors,
        rolePermissionsBoundaryArn: config.rolePermissionsBoundaryArn,
        tracing: config.tracing,
        rolePolicyArns: config.rolePolicyArns,
        accessLogs: this.store?.accessLogs?.delivery,
        codeDir: config.derivativesCodeDir,
      });
    }

    this.processor = new ProcessorFunction(this, "Processor", {
      ...config,
      bucketKmsKeyArn,
      functionName: names.function,
      roleName: names.role,
      policyName: names.rolePolicy,
      environment: this.instanceName,
      aws,
      bucketArn: this.imageBucket.arn,
      tableArn,
      tableName: this.table.table.name,
      topicArn: aws.arn("sns", this.notifications.topic.name),
      deadLetterQueueArn: aws.arn("sqs", this.deadLetterQueue.queue.name),
      kmsKeyArn,
      derivativesQueueUrl: this.derivatives?.queue.url ?? externalDerivatives?.queueUrl,
      // Only a bucket that notifies the function needs leave to invoke it: one the pipeline makes,
      // without EventBridge delivery (in the module, counted by those two switches).
      invokedByBucket: ownership.owns && (!delivery.eventBridge || delivery.counted.counted),
      invokePermissionCounted: countedWhenAll([ownership.counted.enabled, notCounted(delivery.counted)]),
    });
    placeInVpc(this.processor, this.processor.function, this.processor.role, names.rolePolicy, config.vpc);
    if (this.derivatives)
      placeInVpc(this.derivatives, this.derivatives.function, this.derivatives.role, names.derivatives.rolePolicy, config.vpc);
    // Its own policy on the processor's role; the function waits for it, so no first request is refused.
    const requests = this.derivatives?.allowRequestsFrom(this.processor.role, `${names.rolePolicy}-derivatives`);
    if (requests) this.processor.function.dependsOn = [...(this.processor.function.dependsOn ?? []), dependable(requests)];

    if (delivery.eventBridge) {
      this.events = new EventQueue(this, "Events", {
        names: names.events,
        settings: config.eventQueue,
        aws,
        bucketName: this.imageBucket.name,
        formats: config.formats,
        propagateDeletions: config.propagateDeletions,
        kmsKeyArn,
        processor: { functionArn: this.processor.function.arn, timeoutSeconds: config.timeoutSeconds, role: this.processor.role },
        maxEventAgeSeconds: config.maxEventAgeSeconds,
        alarmActions,
        counted: delivery.counted,
      });
    }
    const batch = planned.batchOperations ?? batchOperations;
    if (batch !== false) {
      this.batchOperations = new BatchOperations(this, "BatchOperations", {
        names: names.batchOperations,
        aws,
        functionArn: this.processor.function.arn,
        imageBucketArn: this.imageBucket.arn,
        forceDestroy: config.forceDestroy,
        rolePermissionsBoundaryArn: config.rolePermissionsBoundaryArn,
        inventoryKmsKeyArn: config.inventoryKmsKeyArn,
        counted: new Counted(Token.isUnresolved(batch) ? batch : undefined),
      });
    }
    // A bucket the pipeline does not own keeps its owner's notification configuration.
    if (this.store) {
      const { propagateDeletions } = config;
      const { store, processor, events } = this;
      notifyProcessor(this, { store, processor, propagateDeletions, delivery, counted: ownership.counted, events });
    }

    const unsubscribed = unsubscribedAlarmsWarning(this.instanceName, config);
    if (unsubscribed) Annotations.of(this).addWarning(unsubscribed);

    // Runs at synth, after any escape-hatch overrides have been made.
    this.node.addValidation(new SecurityGuardrails(this, config.allowInsecureOverrides));
    refuseNameClashes(this);
    Aspects.of(this).add(new TagResources(config.tags));

    // The module's derivatives child module is charted by names, as the module decides.
    this.monitoring = monitorPipeline(this, { derivativesModule: externalDerivatives !== undefined });
  }

  /** URL of the pipeline's CloudWatch dashboard in the console. */
  get dashboardUrl(): string {
    return `https://${this.aws.consoleHost}/cloudwatch/home?region=${this.aws.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`;
  }
}
