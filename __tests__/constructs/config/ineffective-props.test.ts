import { Testing, TerraformStack, TerraformVariable, Token } from "cdktf";
import { EXAMPLE_RENDITIONS, type ImageProcessingPipelineProps, PipelineConfigError, resolveConfig } from "../../../constructs";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";

const base: ImageProcessingPipelineProps = { environment: "dev" };

/** A prop given where it does nothing, the message naming it and what it needs, and the same prop where it works. */
const CASES: readonly [string, Partial<ImageProcessingPipelineProps>, string, Partial<ImageProcessingPipelineProps>][] = [
  [
    "derivativesSettings without derivatives",
    { derivativesSettings: { memorySize: 2048 } },
    "derivativesSettings has no effect without derivatives",
    { derivativesSettings: { memorySize: 2048 }, derivatives: EXAMPLE_RENDITIONS },
  ],
  [
    "derivativesSettings with no renditions",
    { derivativesSettings: { batchSize: 2 }, derivatives: [] },
    "derivativesSettings has no effect without derivatives",
    { derivativesSettings: { batchSize: 2 }, derivatives: EXAMPLE_RENDITIONS },
  ],
  [
    "derivativesCodeDir without derivatives",
    { derivativesCodeDir: "build/image-derivatives" },
    "derivativesCodeDir has no effect without derivatives",
    { derivativesCodeDir: "build/image-derivatives", derivatives: EXAMPLE_RENDITIONS },
  ],
  [
    "eventQueue with S3 notifications (the default)",
    { eventQueue: { batchSize: 5 } },
    'eventQueue has no effect without eventDelivery "eventbridge" (it is EventBridge delivery\'s queue); got eventDelivery "s3-notification"',
    { eventQueue: { batchSize: 5 }, eventDelivery: "eventbridge" },
  ],
  [
    "accessLogRetentionDays with access logging off",
    { accessLogRetentionDays: 90, accessLogging: false },
    "accessLogRetentionDays has no effect without accessLogging (there is no log bucket to keep the logs in): set accessLogging: true",
    { accessLogRetentionDays: 90, accessLogging: true },
  ],
  [
    "accessLogRetentionDays without data protection",
    { accessLogRetentionDays: 90, dataProtection: false },
    "(accessLogging follows dataProtection, which is false)",
    { accessLogRetentionDays: 90, dataProtection: false, accessLogging: true },
  ],
  [
    "emailEveryNotice without an email subscriber",
    { emailEveryNotice: true, subscriptions: [{ protocol: "https", endpoint: "https://hooks.example.com/images" }] },
    "emailEveryNotice has no effect without an email subscriber: give notificationEmail",
    { emailEveryNotice: true, subscriptions: [{ protocol: "email", endpoint: "team@example.com" }] },
  ],
  [
    "allowUnsubscribedNotifications with a subscriber",
    { allowUnsubscribedNotifications: true, notificationEmail: "ops@example.com" },
    "allowUnsubscribedNotifications has no effect here",
    { allowUnsubscribedNotifications: true },
  ],
  [
    "allowUnsubscribedNotifications without data protection",
    { allowUnsubscribedNotifications: true, dataProtection: false },
    "allowUnsubscribedNotifications has no effect here",
    { allowUnsubscribedNotifications: true, dataProtection: true },
  ],
];

describe("a prop that has no effect in its configuration", () => {
  it.each(CASES)("is refused: %s", (_, props, message) => {
    const resolve = () => resolveConfig({ ...base, ...props });

    expect(resolve).toThrow(PipelineConfigError);
    expect(resolve).toThrow(message);
  });

  it.each(CASES)("is accepted where it has its effect: %s", (_, _props, _message, effective) => {
    expect(() => resolveConfig({ ...base, ...effective })).not.toThrow();
  });

  it("fails the pipeline's constructor, naming the field", () => {
    const stack = new TerraformStack(Testing.app(), "test");

    expect(() => new ImageProcessingPipeline(stack, "Images", { ...base, eventQueue: { maximumConcurrency: 20 } })).toThrow(
      'eventQueue has no effect without eventDelivery "eventbridge"',
    );
  });

  it("is not refused when what decides its effect is known only at plan time (a variable)", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const variable = (name: string, type: string) => new TerraformVariable(stack, name, { type });
    const props: ImageProcessingPipelineProps = {
      ...base,
      eventDelivery: variable("event_delivery", "string").stringValue as ImageProcessingPipelineProps["eventDelivery"],
      eventQueue: { batchSize: 5 },
      accessLogging: Token.asAny(variable("access_logging", "bool").booleanValue) as unknown as boolean,
      accessLogRetentionDays: 90,
      notificationEmail: variable("notification_email", "string").stringValue,
      emailEveryNotice: true,
      subscriptions: variable("subscriptions", "list(object({protocol=string,endpoint=string}))")
        .listValue as unknown as ImageProcessingPipelineProps["subscriptions"],
      allowUnsubscribedNotifications: true,
      derivatives: variable("derivatives", "list(any)").listValue as unknown as ImageProcessingPipelineProps["derivatives"],
      derivativesSettings: { memorySize: 2048 },
    };

    expect(() => resolveConfig(props)).not.toThrow();
  });
});
