import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import { architectureOf } from "../../../../cli/core/diagram/architecture";
import { toDot } from "../../../../cli/core/diagram/dot";
import { toMermaid } from "../../../../cli/core/diagram/mermaid";
import { EXAMPLE_RENDITIONS } from "../../../../constructs";
import { edgeList, nodeLabelled, parseFlowchart } from "../../../helpers/mermaid";
import { synthStack } from "../../../helpers/synth";
import type { EnvironmentStackProps } from "../../../../constructs/shipping/environment-stack";
import { ALARM_COUNTS } from "../../../../constructs/naming/alarm-catalog";

/** The diagram of a synthesized configuration, read back from the Mermaid the command prints. */
function drawn(props: Partial<EnvironmentStackProps> = {}) {
  const diagram = architectureOf(fromSynthesized(synthStack(props).tf));
  return { diagram, chart: parseFlowchart(toMermaid(diagram, "test")), edges: edgeList(parseFlowchart(toMermaid(diagram, "test"))) };
}

describe("architecture diagram of a synthesized stack", () => {
  it("draws the default path: uploads, bucket, notification, processor, table, topic, dead letters, alarms, the key's uses", () => {
    // Arrange, Act
    const { chart, edges } = drawn();

    // Assert
    expect(edges).toEqual(
      expect.arrayContaining([
        "Uploads PUT by your applications → S3 bucket image-storage-bucket-dev-<account>: images",
        "S3 bucket image-storage-bucket-dev-<account> → Lambda function ImageProcessor-dev: ObjectCreated, ObjectRemoved, LifecycleExpiration",
        "Lambda function ImageProcessor-dev → DynamoDB table ImageMetadata-dev: records metadata",
        "Lambda function ImageProcessor-dev → SNS topic ImageProcessingNotifications-dev: publishes notices",
        "Lambda function ImageProcessor-dev ⇢ SQS queue ImageProcessor-DLQ-dev: failed events after 2 retries",
        "Lambda function ImageProcessor-dev → CloudWatch log group /aws/lambda/ImageProcessor-dev: logs",
        `CloudWatch alarms (${ALARM_COUNTS.processor}) → SNS topic ImageProcessingNotifications-dev: alarm and OK`,
        // The processor reads the image its event names (granted through IAM; no argument shows it).
        "S3 bucket image-storage-bucket-dev-<account> → Lambda function ImageProcessor-dev: reads the image",
      ]),
    );
    // The key lists what it encrypts rather than drawing an edge across the flow to each.
    const key = nodeLabelled(chart, /^KMS key\nalias\/image-processing-dev\n/);
    expect(key.label.split("\n").slice(2)).toEqual([
      "encrypts:",
      "• /aws/lambda/ImageProcessor-dev",
      "• ImageMetadata-dev",
      "• ImageProcessingNotifications-dev",
      "• ImageProcessor-DLQ-dev",
    ]);
    expect(chart.edges.filter((e) => e.from === key.ref || e.to === key.ref)).toEqual([]);
    // The dev stack turns data protection off: no access-log bucket, no derivatives, no EventBridge.
    expect(chart.nodes.map((n) => n.label).filter((l) => /logs-dev|Derivatives|EventBridge/.test(l))).toEqual([]);
    expect(nodeLabelled(chart, /^Lambda function\nImageProcessor-dev$/).groups).toEqual(["Processing"]);
  });

  it("draws prod's access logging into its own bucket", () => {
    const { chart, edges } = drawn({ environment: "prod", notificationEmail: "ops@example.com" });

    expect(edges).toContain("S3 bucket image-storage-bucket-prod-<account> → S3 bucket image-storage-logs-prod-<account>: access logs");
    expect(edges).toContain("SNS topic ImageProcessingNotifications-prod → email subscriber ops@example.com: email");
    expect(nodeLabelled(chart, /image-storage-logs-prod/).groups).toEqual(["Storage"]);
  });

  it("draws the derivatives part: queue, function, bucket and their failure path, only when renditions are asked for", () => {
    const { chart, edges } = drawn({ derivatives: EXAMPLE_RENDITIONS });

    expect(edges).toEqual(
      expect.arrayContaining([
        "Lambda function ImageProcessor-dev → SQS queue ImageDerivatives-dev: sends rendition requests",
        "SQS queue ImageDerivatives-dev → Lambda function ImageDerivatives-dev: batches of 4",
        "SQS queue ImageDerivatives-dev ⇢ SQS queue ImageDerivatives-DLQ-dev: after 3 receives",
        "Lambda function ImageDerivatives-dev → S3 bucket image-derivatives-dev-<account>: writes renditions",
        "Lambda function ImageDerivatives-dev → DynamoDB table ImageMetadata-dev: records metadata",
        "S3 bucket image-storage-bucket-dev-<account> → Lambda function ImageDerivatives-dev: reads originals",
      ]),
    );
    for (const part of [/^Lambda function\nImageDerivatives-dev$/, /^SQS queue\nImageDerivatives-DLQ-dev$/, /image-derivatives-dev/]) {
      expect(nodeLabelled(chart, part).groups).toEqual(["Derivatives"]);
    }
    expect(chart.nodes.find((n) => n.label.startsWith("CloudWatch alarms"))!.label).toBe(
      `CloudWatch alarms (${ALARM_COUNTS.processor + ALARM_COUNTS.derivatives})`,
    );
  });

  it("draws EventBridge delivery instead of the notification, and the Batch Operations role and bucket", () => {
    const { edges } = drawn({ eventDelivery: "eventbridge", batchOperations: true });

    expect(edges).toEqual(
      expect.arrayContaining([
        "S3 bucket image-storage-bucket-dev-<account> → EventBridge rule (default bus) ImageProcessor-Uploads-dev: S3 events via EventBridge",
        "EventBridge rule (default bus) ImageProcessor-Uploads-dev → SQS queue ImageProcessor-Events-dev: matching events",
        "EventBridge rule (default bus) ImageProcessor-Uploads-dev ⇢ SQS queue ImageProcessor-Events-DLQ-dev: undeliverable events",
        "SQS queue ImageProcessor-Events-dev → Lambda function ImageProcessor-dev: batches of 10",
        "SQS queue ImageProcessor-Events-dev ⇢ SQS queue ImageProcessor-Events-DLQ-dev: after 5 receives",
        "IAM role for S3 Batch Operations ImageProcessor-BatchOperations-dev → Lambda function ImageProcessor-dev: invokes, one object a task",
        "IAM role for S3 Batch Operations ImageProcessor-BatchOperations-dev → S3 bucket image-batch-jobs-dev-<account>: reads manifests, writes reports",
        "S3 bucket image-storage-bucket-dev-<account> → Lambda function ImageProcessor-dev: reads the image",
      ]),
    );
    expect(edges.filter((e) => e.includes("ObjectCreated"))).toEqual([]);
    // The backfill enters from beside the flow: Graphviz ranks the role under the function it invokes.
    const { diagram } = drawn({ eventDelivery: "eventbridge", batchOperations: true });
    expect(toDot(diagram, "t")).toMatch(/ n\d+ -> n\d+ \[label="invokes, one\\nobject a task", [^\]]*, dir=back\];/);
  });

  it("draws a bucket it does not own as such, its events through EventBridge", () => {
    const { chart, edges } = drawn({ eventDelivery: "eventbridge", existingBucket: { name: "media-uploads" } });

    expect(edges).toEqual(
      expect.arrayContaining([
        "Uploads PUT by your applications → S3 bucket (not managed here) media-uploads: images",
        "S3 bucket (not managed here) media-uploads → EventBridge rule (default bus) ImageProcessor-Uploads-dev: S3 events via EventBridge",
      ]),
    );
    expect(chart.nodes.filter((n) => n.label.startsWith("S3 bucket")).map((n) => n.label)).toEqual([
      "S3 bucket (not managed here)\nmedia-uploads",
    ]);
  });

  it("draws the originals' read where no argument shows it: from the buckets whose events reach the processor, only with derivatives", () => {
    // Arrange, Act: the derivatives function is given no bucket; each request names one, and IAM grants the read.
    const throughEventBridge = drawn({
      eventDelivery: "eventbridge",
      existingBucket: { name: "media-uploads" },
      derivatives: EXAMPLE_RENDITIONS,
    });
    const plain = drawn();

    // Assert
    expect(throughEventBridge.edges.filter((e) => e.endsWith(": reads originals"))).toEqual([
      "S3 bucket (not managed here) media-uploads → Lambda function ImageDerivatives-dev: reads originals",
    ]);
    expect(plain.edges.filter((e) => e.endsWith(": reads originals"))).toEqual([]);
    // Beside the flow in Graphviz's ranking: the function stays after the queue that feeds it.
    expect(toDot(throughEventBridge.diagram, "t")).toMatch(/ -> \w+ \[label="reads originals", [^\]]*constraint=false\];/);
  });

  it("lists the key's uses in the key's node instead of drawing an edge across the flow to each", () => {
    const { diagram } = drawn();
    const dot = toDot(diagram, "t");
    const key = dot.split("\n").find((l) => l.includes("KMS key"))!;
    const keyRef = key.trim().split(" ")[0];

    expect(key).toMatch(
      /encrypts.*• \/aws\/lambda\/ImageProcessor-dev.*• ImageMetadata-dev.*• ImageProcessingNotifications-dev.*• ImageProcessor-DLQ-dev/,
    );
    // Only the invisible edges that place the key under the flow.
    const drawnEdges = dot.split("\n").filter((l) => / -> /.test(l) && !l.includes("style=invis"));
    expect(drawnEdges.filter((l) => l.trim().startsWith(`${keyRef} -> `) || l.includes(`-> ${keyRef} `))).toEqual([]);
  });

  it("draws what lives in the account inside one boundary named by its region, uploads and subscribers outside it", () => {
    const { diagram } = drawn({ environment: "prod", notificationEmail: "ops@example.com" });
    const lines = toDot(diagram, "t").split("\n");
    const [start, end] = [lines.indexOf("  subgraph cluster_account {"), lines.lastIndexOf("  }")];
    const declaredAt = (pattern: RegExp) => lines.findIndex((l) => / \[label=/.test(l) && !/ -> /.test(l) && pattern.test(l));
    const inside = (pattern: RegExp) => declaredAt(pattern) > start && declaredAt(pattern) < end;

    expect(lines[start + 1]).toContain('label="AWS account · region eu-west-1"');
    expect([/Uploads/, /email subscriber/].map(inside)).toEqual([false, false]);
    expect([/ImageProcessor-prod/, /image-storage-logs-prod/, /KMS key/, /CloudWatch alarms/].map(inside)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it("renders the same configuration to the same DOT and Mermaid, node ids by order alone", () => {
    const [a, b] = [drawn(), drawn()];

    expect(toDot(a.diagram, "t")).toBe(toDot(b.diagram, "t"));
    expect(toDot(a.diagram, "t")).not.toMatch(/aws_|\/work\/|\/tmp\//);
    expect(toMermaid(a.diagram, "t")).toBe(toMermaid(b.diagram, "t"));
  });
});
