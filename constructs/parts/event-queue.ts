import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import type { ImageFormat } from "../../functions/image-processor/environment";
import type { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { DeadLetterQueue } from "./dead-letter-queue";
import { DEFAULTS } from "../config/defaults";
import { eventPattern } from "./event-pattern";
import type { EventQueueSettings } from "../config/event-queue-settings";
import { catalogAlarms } from "./metric-alarm";
import { EVENT_QUEUE_ALARMS } from "../naming/alarm-catalog";
import type { ResourceNames } from "../naming/names";
import { type PolicyStatement, denyInsecureTransport, policyJson, service } from "../support/policy-document";
import { CONDITION_CITATIONS, cited } from "../support/condition-citations";
import { times } from "../support/tokens";

export interface EventQueueProps {
  /** EventBridge delivery's names (`resourceNames(...).events`). */
  readonly names: ResourceNames["events"];
  /** The queue's settings, every one given (resolveConfig applies the defaults). */
  readonly settings: Required<EventQueueSettings>;
  /** The account, region and partition the part's ARNs are built with. */
  readonly aws: AwsContext;
  /** The image bucket whose events the rule takes. */
  readonly bucketName: string;
  /** Formats whose key suffixes (in any letter case) the rule matches. */
  readonly formats: readonly ImageFormat[];
  /** Whether the rule takes the bucket's Object Deleted events too. */
  readonly propagateDeletions: boolean;
  /** The pipeline key: both queues. Its policy must admit EventBridge for this rule ({@link EventQueue.ruleArn}). */
  readonly kmsKeyArn: string;
  /** The processor, which consumes the queue. */
  readonly processor: {
    /** The function the queue's event source mapping invokes. */
    readonly functionArn: string;
    /** Its timeout; the queue's visibility timeout is six times this. */
    readonly timeoutSeconds: number;
    /** Its role, which is granted the queue's consume actions. */
    readonly role: {
      /** The role's name, to attach the queue's policy to. */
      readonly id: string;
    };
  };
  /** Seconds EventBridge keeps trying to deliver an event to the queue before it goes to the dead-letter queue. */
  readonly maxEventAgeSeconds: number;
  /** What the alarms run on ALARM (the notifications topic, or `alarmActions`); on OK, those that notify. */
  readonly alarmActions: readonly string[];
  /**
   * Whether the part exists, when Terraform decides (the module's `event_delivery`).
   * @default the part is made
   */
  readonly counted?: Counted;
}

/**
 * EventBridge delivery: a rule on the default bus takes the image bucket's events whose key ends
 * in an image suffix (any letter case) into an encrypted queue, which the processor consumes in
 * batches through an event source mapping (partial batch responses, bounded concurrency). An event
 * EventBridge cannot deliver, and an event the processor failed on `maxReceiveCount` times, go to
 * the event dead-letter queue. Only this rule may send to the queues; the processor's role may
 * only consume the queue. The bucket must send its events to EventBridge (the pipeline turns
 * that on for a bucket it owns).
 *
 * @example
 * ```ts
 * // The pipeline makes this part with eventDelivery "eventbridge":
 * new ImageProcessingPipeline(stack, "Images", { environment: "dev", eventDelivery: "eventbridge" });
 * ```
 */
export class EventQueue extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly eventSourceMapping: LambdaEventSourceMapping;
  /** What must exist before the bucket sends events here: the rule's target (after the rule and the queue's policy) and the function's mapping. */
  readonly deliveryPath: readonly ITerraformDependable[];
  readonly alarms: Record<keyof ResourceNames["events"]["alarms"], CloudwatchMetricAlarm>;
  /** The queues' URLs and ARNs (null in the module when the part is counted out). */
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueArn: string;
  /** The rule's ARN from its name, which the plan knows on create: for the key policy and the queue policies. */
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: EventQueueProps) {
    super(scope, id);
    const { names, settings, aws } = props;
    const counted = props.counted ?? new Counted();
    const attribute = counted.attribute.bind(counted);
    this.ruleArn = aws.arn("events", `rule/${names.rule}`);
    // Only this rule's deliveries (the confused deputy: no other rule of any account may use the grant).
    const fromRule = (queueArn: string): PolicyStatement => ({
      sid: "AllowTheUploadsRuleToSend",
      effect: "Allow",
      principals: service("events.amazonaws.com"),
      actions: ["sqs:SendMessage"],
      resources: [queueArn],
      condition: cited(CONDITION_CITATIONS.uploadsRuleSendsToQueue, [
        { test: "ArnEquals", variable: "aws:SourceArn", values: [this.ruleArn] },
      ]),
    });

    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", {
      queueName: names.deadLetterQueue,
      kmsKeyArn: props.kmsKeyArn,
      aws,
      policyStatements: (arn) => [fromRule(arn)],
      counted,
    });
    const deadLetterArn = (this.deadLetterQueueArn = attribute(this.deadLetterQueue.queue, "arn"));

    this.queue = new SqsQueue(this, "Queue", {
      name: names.queue,
      kmsMasterKeyId: props.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: DEFAULTS.eventQueue.queueRetentionDays * 86400,
      // AWS's advice for Lambda consumers: six times the function timeout.
      visibilityTimeoutSeconds: times(props.processor.timeoutSeconds, 6),
      lifecycle: { ignoreChanges: ["redrive_policy"] },
    });
    const queueArnFromName = aws.arn("sqs", attribute(this.queue, "name"));
    const queueUrl = attribute(this.queue, "url");
    this.queueUrl = queueUrl;
    this.queueArn = attribute(this.queue, "arn");
    this.deadLetterQueueUrl = attribute(this.deadLetterQueue.queue, "url");
    const redrive = new SqsQueueRedrivePolicy(this, "QueueRedrivePolicy", {
      queueUrl,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: settings.maxReceiveCount }),
    });
    const queuePolicy = new SqsQueuePolicy(this, "QueuePolicy", {
      queueUrl,
      policy: policyJson([denyInsecureTransport("sqs:*", [queueArnFromName]), fromRule(queueArnFromName)]),
      // After the redrive policy: see the derivatives queue's (emulator-gaps.json, "sqs-policy-order").
      dependsOn: [redrive],
    });

    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: names.rule,
      description: "The image bucket's new (and deleted) images, by key suffix in any letter case, for the image processor",
      eventPattern: eventPattern(props.bucketName, props.formats, props.propagateDeletions),
    });
    const target = new CloudwatchEventTarget(this, "Target", {
      rule: attribute(this.rule, "name"),
      targetId: "image-processor-queue",
      arn: attribute(this.queue, "arn"),
      retryPolicy: { maximumEventAgeInSeconds: props.maxEventAgeSeconds, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: deadLetterArn },
      // Events sent before the queue admits the rule would be refused and dead-lettered.
      dependsOn: [queuePolicy],
    });

    const consume = new IamRolePolicy(this, "ConsumePolicy", {
      name: names.consumePolicy,
      role: props.processor.role.id,
      policy: policyJson([
        {
          // What Lambda's event source mapping does on the function's behalf; nothing else of the queue.
          sid: "ConsumeUploadEvents",
          effect: "Allow",
          actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          resources: [queueArnFromName],
        },
      ]),
    });
    this.eventSourceMapping = new LambdaEventSourceMapping(this, "QueueEvents", {
      eventSourceArn: attribute(this.queue, "arn"),
      functionName: props.processor.functionArn,
      batchSize: settings.batchSize,
      scalingConfig: { maximumConcurrency: settings.maximumConcurrency },
      // Only the failed events of a batch return to the queue.
      functionResponseTypes: ["ReportBatchItemFailures"],
      // Lambda checks the role's queue permissions when the mapping is created.
      dependsOn: [consume],
    });
    this.deliveryPath = [target, this.eventSourceMapping];

    this.alarms = catalogAlarms(this, EVENT_QUEUE_ALARMS, {
      names: names.alarms,
      watched: { queueName: names.queue, deadLetterQueueName: names.deadLetterQueue, ruleName: names.rule },
      limits: settings,
      actions: props.alarmActions,
    });
    counted.countAll(this);
  }
}
