// Every use AWS makes of a key policy or a resource policy (CloudWatch Logs with the pipeline key,
// alarms publishing to the encrypted topic, S3 invoking the processor, Lambda's destinations and
// queue polling as the function's role), found by walking the synthesized stacks, each evaluated
// by the IAM policy engine for its principal, action and condition context. moto enforces none of
// them; the deploy suite runs the same walk over the states Terraform applied (the module's too).
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { WORLD, concreteResources } from "../helpers/iam";
import { serviceUseViolations, serviceUses } from "../helpers/service-uses";
import { synthStack } from "../helpers/synth";

const world = { account: WORLD.account, region: WORLD.region };
const CONFIGURATIONS = {
  "dev, the default": {},
  "dev with derivatives": { derivatives: EXAMPLE_RENDITIONS },
  "prod with derivatives and a prefix": {
    environment: "prod",
    namePrefix: "blue",
    derivatives: EXAMPLE_RENDITIONS,
    notificationEmail: "ops@example.com",
  },
};

describe.each(Object.entries(CONFIGURATIONS))("every use of a key or resource policy: %s", (_, props) => {
  const resources = concreteResources(synthStack(props));

  it("finds the uses of every encrypted log group, alarm, notification, destination and queue", () => {
    // Arrange
    const groups = resources.filter((r) => r.type === "aws_cloudwatch_log_group").length;
    const alarms = resources.filter((r) => r.type === "aws_cloudwatch_metric_alarm").length;

    // Act
    const uses = serviceUses(resources, world);

    // Assert: three KMS calls and one confused-deputy check per group, two KMS calls and a publish per alarm.
    expect(uses.filter((u) => u.principal.startsWith("logs.")).length).toBe(groups * 4);
    expect(uses.filter((u) => u.principal === "cloudwatch.amazonaws.com").length).toBe(alarms * 3);
    expect(uses.filter((u) => u.action === "lambda:InvokeFunction").length).toBe(2);
    expect(uses.some((u) => u.what.includes("Lambda sends a failed event"))).toBe(true);
  });

  it("is allowed where AWS must allow it, and refused where it must refuse it", () => {
    expect(serviceUseViolations(resources, world)).toEqual([]);
  });
});

describe("the walk, broken on purpose", () => {
  const resources = concreteResources(synthStack({ derivatives: EXAMPLE_RENDITIONS }));
  const without = (sid: string) =>
    resources.map((r) => {
      if (r.type !== "aws_kms_key") return r;
      const policy = JSON.parse(r.values.policy);
      return {
        ...r,
        values: { ...r.values, policy: JSON.stringify({ ...policy, Statement: policy.Statement.filter((s: any) => s.Sid !== sid) }) },
      };
    });

  it("fails when the key no longer admits CloudWatch Logs", () => {
    expect(serviceUseViolations(without("AllowCloudWatchLogsForTheLogGroups"), world)).toContain(
      "CloudWatch Logs kms:GenerateDataKey for /aws/lambda/ImageDerivatives-dev: ImplicitlyDenied, must be Allowed",
    );
  });

  it("fails when the key no longer admits the alarms", () => {
    expect(serviceUseViolations(without("AllowCloudWatchAlarmsToPublish"), world)).toContain(
      "alarm ImageDerivatives-Errors-dev kms:GenerateDataKey with ImageProcessingNotifications-dev's key: ImplicitlyDenied, must be Allowed",
    );
  });

  it("fails when the processor may be invoked by any bucket", () => {
    const open = resources.map((r) => (r.type === "aws_lambda_permission" ? { ...r, values: { ...r.values, source_arn: undefined } } : r));
    expect(serviceUseViolations(open, world)).toContain("another bucket invokes ImageProcessor-dev: Allowed, must be denied");
  });
});
