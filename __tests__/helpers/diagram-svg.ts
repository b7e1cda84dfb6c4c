/**
 * A picture `image-pipeline diagram` draws (SVG), read back as a reader sees it: how tall its text
 * is at a given display width, and the names on its nodes; and the names the picture should show,
 * read from a synthesized stack directly rather than through the diagram's code.
 */

const unescaped = (s: string) =>
  s
    .replace(/&#45;/g, "-")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The height of the smallest text, in pixels, when the picture is shown `shownWidth` pixels wide. */
export function smallestTextPx(svg: string, shownWidth = 1000): number {
  const width = Number(svg.match(/<svg[^>]*viewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"/)?.[1]);
  // Text drawn under a scale other than 1 would be another size than its font-size says.
  const scales = [...svg.matchAll(/scale\(([^)]*)\)/g)].map((m) => m[1]);
  if (!width || scales.some((s) => s !== "1 1")) throw new Error(`cannot measure: width ${width}, scales ${scales.join("; ")}`);
  const sizes = [...svg.matchAll(/<text[^>]*font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  if (sizes.length === 0) throw new Error("no text");
  return (Math.min(...sizes) * shownWidth) / width;
}

/** Each node of the diagram (not of its legend), as the lines of text it shows. */
export function pictureNodes(svg: string): string[][] {
  return [...svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)].map((m) =>
    [...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => unescaped(t[1])),
  );
}

/**
 * The names a picture shows of the resources it draws: each node's second line (its name as
 * deployed), the alarms by their count, and nothing of what the configuration does not manage
 * (where uploads come from, a bucket named in an EventBridge pattern).
 */
export function pictureNames(svg: string): string[] {
  return pictureNodes(svg)
    .filter(([title]) => title !== "Uploads" && !title.includes("not managed here"))
    .map(([title, name]) => (title.startsWith("CloudWatch alarms") ? title : name))
    .sort();
}

/** The deployed name of each resource a picture draws, by type: the argument that holds it. */
const NAME_ARGUMENT: Readonly<Record<string, string>> = {
  aws_s3_bucket: "bucket",
  aws_lambda_function: "function_name",
  aws_sqs_queue: "name",
  aws_sns_topic: "name",
  aws_dynamodb_table: "name",
  aws_kms_alias: "name",
  aws_cloudwatch_event_rule: "name",
  aws_cloudwatch_dashboard: "dashboard_name",
  aws_cloudwatch_log_group: "name",
};

/** The names a synthesized stack's picture should show: its resources' names (the account as `<account>`), and its alarms' count. */
export function configurationNames(tf: { resource: Record<string, Record<string, any>> }): string[] {
  const present = (type: string) => Object.entries(tf.resource[type] ?? {}).filter(([, r]) => r.count !== 0);
  const names = Object.entries(NAME_ARGUMENT).flatMap(([type, argument]) =>
    present(type)
      .map(([, r]) => r)
      .map((r) => String(r[argument]).replace(/\$\{data\.aws_caller_identity\.[^}]*\}/g, "<account>")),
  );
  const roles = present("aws_iam_role").filter(([name]) => name === "batch_operations");
  const alarms = present("aws_cloudwatch_metric_alarm").length;
  return [...names, ...roles.map(([, r]) => String(r.name)), ...(alarms > 0 ? [`CloudWatch alarms (${alarms})`] : [])].sort();
}
