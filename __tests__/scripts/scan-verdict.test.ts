import { join } from "node:path";

const {
  blockAddress,
  declaredResources,
  plannedResources,
  policiesKnownAfterApply,
  scanVerdict,
} = require("../../scripts/scan-verdict.cjs");

/** A `terraform show -json` plan creating these managed resources, and reading a data source. */
const planOf = (...addresses: string[]) => ({
  resource_changes: [
    ...addresses.map((address) => ({ address, mode: "managed", change: { actions: ["create"] } })),
    { address: "data.aws_caller_identity.current", mode: "data", change: { actions: ["read"] } },
  ],
});

/** Checkov's `-o json` report on one plan, as 3.3.30 writes it with `quiet` (failed checks only, itemized). */
const checkovReport = (resources: number, failed: { id: string; resource: string }[] = [], parsingErrors: string[] = []) => ({
  check_type: "terraform_plan",
  results: {
    failed_checks: failed.map(({ id, resource }) => ({ check_id: id, check_name: `check ${id}`, resource })),
    ...(parsingErrors.length > 0 ? { parsing_errors: parsingErrors } : {}),
  },
  summary: {
    passed: 12,
    failed: failed.length,
    skipped: 0,
    parsing_errors: parsingErrors.length,
    resource_count: resources,
    checkov_version: "3.3.30",
  },
});

/** Checkov's report on the configuration's files (terraform_json): one passed check on each file named. */
const configurationReport = (files: string[], resourceCount = 0) => ({
  check_type: "terraform_json",
  results: {
    passed_checks: files.map((file) => ({
      check_id: "CKV_AWS_27",
      check_name: "check CKV_AWS_27",
      resource: "aws_sqs_queue.dead_letter",
      file_path: file,
    })),
    failed_checks: [],
  },
  summary: { passed: files.length, failed: 0, skipped: 0, parsing_errors: 0, resource_count: resourceCount, checkov_version: "3.3.30" },
});

const DECLARED = ["aws_s3_bucket.images", "aws_sqs_queue.dead_letter"];
const PLANNED = plannedResources(planOf("aws_s3_bucket.images", "aws_sqs_queue.dead_letter"));
const SKIP_LIST = ["CKV_AWS_18", "CKV_AWS_144"];

const verdictOf = (checkov: unknown, overrides: Record<string, unknown> = {}) =>
  scanVerdict({
    name: "image-processing-dev",
    declared: DECLARED,
    planned: PLANNED,
    checkov,
    skipList: SKIP_LIST,
    skipsApplied: true,
    ...overrides,
  });

describe("scanVerdict (scripts/scan-verdict.cjs): whether npm run scan passes a target", () => {
  it("passes a target whose every declared resource is planned and checked, with no failed check", () => {
    // Act
    const verdict = verdictOf(checkovReport(2));

    // Assert
    expect(verdict).toMatchObject({
      passes: true,
      problems: [],
      declared: 2,
      planned: 2,
      resources: 2,
      passed: 12,
      failed: 0,
      parsingErrors: 0,
    });
  });

  it("fails a file Checkov could not parse, as its terraform_json parser reported every stack with moved blocks (0 checks, exit 0)", () => {
    // Arrange: what Checkov 3.3.30 reported for a stack before the scan read plans.
    const checkov = checkovReport(0, [], ["/cdktf.out/stacks/image-processing-dev/cdk.tf.json"]);
    checkov.summary.passed = 0;

    // Act
    const verdict = verdictOf(checkov);

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual([
      "Checkov could not parse 1 file(s): /cdktf.out/stacks/image-processing-dev/cdk.tf.json",
      "Checkov checked 0 of the 2 planned resources",
    ]);
  });

  it("fails a file Checkov read nothing from without a parsing error: its bare summary for a file it does not take for a plan", () => {
    // Arrange: Checkov 3.3.30's whole output for a plan file that is not JSON.
    const checkov = { passed: 0, failed: 0, skipped: 0, parsing_errors: 0, resource_count: 0, checkov_version: "3.3.30" };

    // Act
    const verdict = verdictOf(checkov);

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual(["Checkov checked 0 of the 2 planned resources"]);
  });

  it("fails when Checkov checks fewer resources than the plan has", () => {
    // Act
    const verdict = verdictOf(checkovReport(1));

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual(["Checkov checked 1 of the 2 planned resources"]);
  });

  it("counts the resources Checkov checked in the plan only: a count on the configuration's report makes up no shortfall", () => {
    // Act
    const verdict = verdictOf([checkovReport(1), configurationReport(["/cdk.tf.json"], 5)]);

    // Assert
    expect(verdict.problems).toEqual(["Checkov checked 1 of the 2 planned resources"]);
  });

  it("fails a configuration file Checkov ran no check on, and passes when it checked each", () => {
    // Arrange
    const configurationFiles = ["/main.tf.json", "/modules/derivatives/main.tf.json"];

    // Act
    const oneUnread = verdictOf([checkovReport(2), configurationReport(["/main.tf.json"])], { configurationFiles });
    const bothRead = verdictOf([checkovReport(2), configurationReport(configurationFiles)], { configurationFiles });

    // Assert
    expect(oneUnread.passes).toBe(false);
    expect(oneUnread.problems).toEqual(["Checkov ran no check on /modules/derivatives/main.tf.json"]);
    expect(bothRead).toMatchObject({ passes: true, plan: { passed: 12, failed: 0 }, configuration: { passed: 2, failed: 0 } });
  });

  it("fails when a declared resource has no planned instance in any of the module's instances, naming it", () => {
    // Arrange: the EventBridge queue is counted out of both instances the scan root plans.
    const declared = ["module.image_processing.aws_s3_bucket.images", "module.image_processing.aws_sqs_queue.events"];
    const planned = plannedResources(
      planOf('module.image_processing["defaults"].aws_s3_bucket.images', 'module.image_processing["options"].aws_s3_bucket.images[0]'),
    );

    // Act
    const verdict = verdictOf(checkovReport(2), { declared, planned });

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual([
      "no planned instance of 1 declared resource(s), left unchecked: module.image_processing.aws_sqs_queue.events",
    ]);
  });

  it("fails when the plan holds a resource the configuration was not read to declare (the declared count would be short)", () => {
    // Act
    const verdict = verdictOf(checkovReport(3), { planned: [...PLANNED, "aws_sns_topic.notifications"] });

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual(["planned resources the configuration was not read to declare: aws_sns_topic.notifications"]);
  });

  it("fails on a failed check that the skip list does not name and no accepted finding covers", () => {
    // Act
    const verdict = verdictOf(checkovReport(2, [{ id: "CKV_AWS_27", resource: "aws_sqs_queue.dead_letter" }]));

    // Assert
    expect(verdict.passes).toBe(false);
    expect(verdict.problems).toEqual(["1 failed check(s)"]);
  });

  it("fails on a failed check the summary counts though the report does not itemize it", () => {
    // Arrange
    const checkov = checkovReport(2);
    checkov.summary.failed = 1;

    // Act
    const verdict = verdictOf(checkov);

    // Assert
    expect(verdict.problems).toEqual(["1 failed check(s)"]);
  });

  it("passes a failed check an accepted finding covers on its named block, in any module instance, and fails it on another block", () => {
    // Arrange
    const accepted = [{ check: "CKV_AWS_290", resources: ["aws_iam_role_policy.processor_vpc"], reason: "Lambda's own VPC permissions" }];
    const covered = 'module.image_processing["options"].aws_iam_role_policy.processor_vpc[0]';
    const other = 'module.image_processing["options"].aws_iam_role_policy.processor';
    const declared = ["module.image_processing.aws_iam_role_policy.processor_vpc", "module.image_processing.aws_iam_role_policy.processor"];
    const planned = plannedResources(planOf(covered, other));

    // Act
    const coveredOnly = verdictOf(checkovReport(2, [{ id: "CKV_AWS_290", resource: covered }]), { declared, planned, accepted });
    const both = verdictOf(
      checkovReport(2, [
        { id: "CKV_AWS_290", resource: covered },
        { id: "CKV_AWS_290", resource: other },
      ]),
      { declared, planned, accepted },
    );

    // Assert
    expect(coveredOnly).toMatchObject({ passes: true, failed: 1, accepted: 1 });
    expect(coveredOnly.failures).toEqual([expect.objectContaining({ id: "CKV_AWS_290", acceptedFor: "Lambda's own VPC permissions" })]);
    expect(both).toMatchObject({ passes: false, failed: 2, accepted: 1, problems: ["1 failed check(s)"] });
  });

  it("fails a failure the applied skip list names (Checkov ignored it), and passes it in the run without the list", () => {
    // Arrange
    const checkov = checkovReport(2, [{ id: "CKV_AWS_18", resource: "aws_s3_bucket.images" }]);

    // Act
    const applied = verdictOf(checkov);
    const withoutSkips = verdictOf(checkov, { skipsApplied: false });

    // Assert
    expect(applied.passes).toBe(false);
    expect(applied.problems).toEqual(["1 failed check(s)", "Checkov ran checks the skip list skips (CKV_AWS_18): it was not applied"]);
    expect(withoutSkips).toMatchObject({
      passes: true,
      failed: 1,
      failures: [expect.objectContaining({ id: "CKV_AWS_18", skipListed: true })],
    });
  });

  it("sums a list of reports (Checkov's output with several frameworks)", () => {
    // Act
    const verdict = verdictOf([checkovReport(1), checkovReport(1, [{ id: "CKV_AWS_27", resource: "aws_sqs_queue.dead_letter" }])]);

    // Assert
    expect(verdict).toMatchObject({ resources: 2, passed: 24, failed: 1, problems: ["1 failed check(s)"] });
  });
});

describe("what the scan counts (scripts/scan-verdict.cjs)", () => {
  it("names a planned instance by its block: count and for_each keys gone, keys holding dots and brackets whole", () => {
    // Act
    const blocks = [
      'module.image_processing["options"].module.derivatives[0].aws_sqs_queue.derivatives',
      'module.image_processing["a.b[1]"].aws_sns_topic_subscription.subscribers["https://example.com/x?y=[z]"]',
      "aws_s3_bucket.images",
    ].map(blockAddress);

    // Assert
    expect(blocks).toEqual([
      "module.image_processing.module.derivatives.aws_sqs_queue.derivatives",
      "module.image_processing.aws_sns_topic_subscription.subscribers",
      "aws_s3_bucket.images",
    ]);
  });

  it("declares the resources of a configuration and of the local modules it calls, each block once whatever its count", () => {
    // Arrange
    const configs: Record<string, unknown> = {
      root: { module: { image_processing: { source: "../dist/terraform-module", for_each: "${local.instances}" } } },
      [join("dist", "terraform-module")]: {
        resource: { aws_s3_bucket: { images: { count: "${var.n}" } }, aws_sqs_queue: { dead_letter: {} } },
        module: { derivatives: { source: "./modules/derivatives" } },
      },
      [join("dist", "terraform-module", "modules", "derivatives")]: { resource: { aws_s3_bucket: { derivatives: {} } } },
    };

    // Act
    const declared = declaredResources("root", (dir: string) => configs[dir]);

    // Assert
    expect(declared).toEqual([
      "module.image_processing.aws_s3_bucket.images",
      "module.image_processing.aws_sqs_queue.dead_letter",
      "module.image_processing.module.derivatives.aws_s3_bucket.derivatives",
    ]);
  });

  it("refuses a module from a registry: the scan reads only what is on this disk", () => {
    // Act
    const read = () => declaredResources("root", () => ({ module: { vpc: { source: "terraform-aws-modules/vpc/aws" } } }));

    // Assert
    expect(read).toThrow('module "module.vpc" comes from terraform-aws-modules/vpc/aws: the scan reads local modules only');
  });

  it("plans managed resources only: no data source, nothing being deleted", () => {
    // Arrange
    const plan = planOf("aws_s3_bucket.images");
    plan.resource_changes.push({ address: "aws_sqs_queue.old", mode: "managed", change: { actions: ["delete"] } });

    // Act
    const planned = plannedResources(plan);

    // Assert
    expect(planned).toEqual(["aws_s3_bucket.images"]);
  });

  it("names the policy documents the configuration writes that a plan leaves unknown, in modules too, and no computed or known one", () => {
    // Arrange
    const change = (address: string, afterUnknown: Record<string, boolean>) => ({
      address,
      mode: "managed",
      change: { actions: ["create"], after_unknown: afterUnknown },
    });
    const plan = {
      configuration: {
        root_module: {
          resources: [
            { address: "aws_iam_role.processor", expressions: { assume_role_policy: {} } },
            { address: "aws_sqs_queue.dead_letter", expressions: { name: {} } },
          ],
          module_calls: {
            image_processing: {
              module: { resources: [{ address: "aws_iam_role_policy.processor", expressions: { policy: {}, role: {} } }] },
            },
          },
        },
      },
      resource_changes: [
        change('module.image_processing["a"].aws_iam_role_policy.processor', { id: true, policy: true }),
        change('module.image_processing["b"].aws_iam_role_policy.processor', { id: true }),
        change("aws_iam_role.processor", { arn: true, assume_role_policy: false }),
        change("aws_sqs_queue.dead_letter", { policy: true }),
      ],
    };

    // Act
    const unknown = policiesKnownAfterApply(plan);

    // Assert
    expect(unknown).toEqual(['module.image_processing["a"].aws_iam_role_policy.processor.policy']);
  });
});
