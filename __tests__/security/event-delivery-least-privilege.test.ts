// EventBridge delivery's grants, by IAM simulation (@cloud-copilot/iam-simulate) of the synthesized
// policies rendered with a concrete account, region and environment: the processor's grant on the
// event queue, the queues' policies (only the uploads rule may send), and the key's grant to EventBridge.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type Call, WORLD, evaluateCall, renderPolicy, violations } from "../helpers/iam";
import { onlyResource, resourceExactlyNamed, synthStack } from "../helpers/synth";

const { account, region, keyId } = WORLD;
const stack = synthStack({ environment: "dev", region, eventDelivery: "eventbridge" });
const names = {
  queue: `arn:aws:sqs:${region}:${account}:ImageProcessor-Events-dev`,
  deadLetters: `arn:aws:sqs:${region}:${account}:ImageProcessor-Events-DLQ-dev`,
  failedInvocations: `arn:aws:sqs:${region}:${account}:ImageProcessor-DLQ-dev`,
  rule: `arn:aws:events:${region}:${account}:rule/ImageProcessor-Uploads-dev`,
  otherRule: `arn:aws:events:${region}:${account}:rule/SomeoneElsesRule`,
  key: `arn:aws:kms:${region}:${account}:key/${keyId}`,
};
const keyPolicy = () => renderPolicy(stack, onlyResource(stack, "aws_kms_key").policy);
const policyOf = (type: string, name: string) => {
  const [, resource] = Object.entries(stack.tf.resource[type]).find(([address]) => address === name)!;
  return renderPolicy(stack, (resource as { policy: string }).policy);
};

/** A request to a resource whose own policy decides (the caller holds no identity policy): a service principal's. */
async function asService(service: string, action: string, resource: string, resourcePolicy: object, context: Record<string, string>) {
  const result = await runSimulation(
    {
      request: { principal: service, action, resource: { resource, accountId: account }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

describe("the processor's grant on the event queue, by IAM simulation", () => {
  const role = `arn:aws:iam::${account}:role/ImageProcessor-dev`;
  const grant = () =>
    renderPolicy(stack, resourceExactlyNamed(stack, "aws_iam_role_policy", "name", "ImageProcessorPolicy-events-dev")[1].policy);
  const NEEDED: Call[] = [
    // What Lambda's event source mapping does with the function's role.
    { action: "sqs:ReceiveMessage", resource: names.queue },
    { action: "sqs:DeleteMessage", resource: names.queue },
    { action: "sqs:ChangeMessageVisibility", resource: names.queue },
    { action: "sqs:GetQueueAttributes", resource: names.queue },
  ];
  const FORBIDDEN: Call[] = [
    { action: "sqs:SendMessage", resource: names.queue }, // the processor never feeds its own queue
    { action: "sqs:PurgeQueue", resource: names.queue },
    { action: "sqs:SetQueueAttributes", resource: names.queue },
    { action: "sqs:ReceiveMessage", resource: names.deadLetters }, // dead letters are the operators'
    { action: "sqs:DeleteMessage", resource: names.deadLetters },
    { action: "sqs:ReceiveMessage", resource: `arn:aws:sqs:${region}:${account}:another-queue` },
  ];
  const evaluate = (policy: object) => (call: Call) => evaluateCall(role, policy, call, { arn: names.key, policy: keyPolicy() });

  it("allows what the event source mapping does and nothing else", async () => {
    expect(await violations(evaluate(grant()), NEEDED, FORBIDDEN, "event source mapping")).toEqual([]);
  });

  it("is caught when the grant is widened to any queue", async () => {
    const widened = grant();
    widened.Statement[0].Resource = ["*"];

    expect(await violations(evaluate(widened), NEEDED, FORBIDDEN, "event source mapping")).toEqual([
      `sqs:ReceiveMessage on ${names.deadLetters} is Allowed`,
      `sqs:DeleteMessage on ${names.deadLetters} is Allowed`,
      `sqs:ReceiveMessage on arn:aws:sqs:${region}:${account}:another-queue is Allowed`,
    ]);
  });
});

describe.each([
  ["event queue", "events", names.queue],
  ["event dead-letter queue", "events_dead_letter", names.deadLetters],
])("the %s's policy, by IAM simulation", (_name, address, queue) => {
  const policy = () => policyOf("aws_sqs_queue_policy", address);
  const tls = { "aws:SecureTransport": "true" };

  it("lets the uploads rule send, and no other rule", async () => {
    const rule = await asService("events.amazonaws.com", "sqs:SendMessage", queue, policy(), { ...tls, "aws:SourceArn": names.rule });
    const other = await asService("events.amazonaws.com", "sqs:SendMessage", queue, policy(), { ...tls, "aws:SourceArn": names.otherRule });

    expect([rule, other]).toEqual(["Allowed", "ImplicitlyDenied"]);
  });

  it("refuses the rule without TLS", async () => {
    expect(
      await asService("events.amazonaws.com", "sqs:SendMessage", queue, policy(), {
        "aws:SecureTransport": "false",
        "aws:SourceArn": names.rule,
      }),
    ).toBe("ExplicitlyDenied");
  });

  it("is caught when the rule's condition is removed (any rule of any account could send)", async () => {
    const loosened = policy();
    delete loosened.Statement.find((s: { Sid: string }) => s.Sid === "AllowTheUploadsRuleToSend").Condition;

    expect(await asService("events.amazonaws.com", "sqs:SendMessage", queue, loosened, { ...tls, "aws:SourceArn": names.otherRule })).toBe(
      "Allowed",
    );
  });
});

describe("the pipeline key's grant to EventBridge, by IAM simulation", () => {
  it.each(["kms:GenerateDataKey", "kms:Decrypt"])(
    "lets EventBridge %s with the key as AWS documents for an encrypted queue target, whatever the request carries (the queues admit the uploads rule alone)",
    async (action) => {
      // No AWS page says EventBridge puts the rule's ARN into the KMS request: a condition on it could drop every event.
      const bare = await asService("events.amazonaws.com", action, names.key, keyPolicy(), {});
      const rule = await asService("events.amazonaws.com", action, names.key, keyPolicy(), { "aws:SourceArn": names.rule });
      const otherRuleAtTheQueue = await asService(
        "events.amazonaws.com",
        "sqs:SendMessage",
        names.queue,
        policyOf("aws_sqs_queue_policy", "events"),
        { "aws:SecureTransport": "true", "aws:SourceArn": names.otherRule },
      );

      expect([bare, rule]).toEqual(["Allowed", "Allowed"]);
      expect(otherRuleAtTheQueue).toBe("ImplicitlyDenied");
    },
  );

  it("gives EventBridge nothing in a stack with S3 notifications", () => {
    const notifications = synthStack({ environment: "dev", region });
    const statements = renderPolicy(notifications, onlyResource(notifications, "aws_kms_key").policy).Statement;

    expect(statements.map((s) => s.Sid)).not.toContain("AllowTheUploadsRuleToSendToEncryptedQueues");
    expect(JSON.stringify(statements)).not.toContain("events.amazonaws.com");
  });
});
