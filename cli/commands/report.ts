import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { AwsClients } from "../aws";
import { lastDays } from "../core/days";
import { ITEM_STATUSES as STATUSES } from "../core/item-status";
import { render } from "../core/output";
import { type Deployment, need } from "../deployment";
import { EXIT } from "../errors";
import { type Io, line } from "../io";
import { forEachItemBetween } from "./query";

export interface ReportOptions {
  readonly days: number;
  readonly json: boolean;
  /** How many of the latest problems to list. */
  readonly latest: number;
  readonly now: Date;
}

const PROBLEMS: readonly string[] = ["rejected", "missing", "unreadable"];

/** What happened over the last days: items per day by status, the latest problems, the dead letters waiting, the alarms firing. */
export async function report(aws: AwsClients, deployment: Deployment, options: ReportOptions, io: Io): Promise<number> {
  const days = lastDays(options.days, options.now);
  const from = new Date(`${days[0]}T00:00:00Z`);
  // Counted page by page: memory holds the counts and the latest problems, not the items.
  const counts = new Map(days.map((day) => [day, Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<string, number>]));
  let problems: Record<string, any>[] = [];
  const attributes = ["UploadDate", "UploadTimestamp", "Status", "ObjectKey", "Reason"];
  await forEachItemBetween(aws, deployment, { from, to: options.now, attributes }, (page) => {
    for (const item of page) {
      const day = counts.get(item.UploadDate);
      if (day) day[item.Status] = (day[item.Status] ?? 0) + 1;
    }
    problems = [...problems, ...page.filter((item) => PROBLEMS.includes(item.Status))]
      .sort((a, b) => b.UploadTimestamp - a.UploadTimestamp)
      .slice(0, options.latest);
  });
  const perDay = days.map((day) => {
    const byStatus = counts.get(day)!;
    return { day, ...byStatus, total: STATUSES.reduce((sum, s) => sum + byStatus[s], 0) };
  });
  const latestProblems = problems.map((item) => ({
    uploaded: new Date(item.UploadTimestamp * 1000).toISOString(),
    status: item.Status,
    key: item.ObjectKey,
    reason: item.Reason ?? "",
  }));

  const queue = await need("dead-letter queue", deployment.deadLetterQueueUrl, deployment, () =>
    aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: deployment.deadLetterQueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    ),
  );
  const deadLetters = {
    waiting: Number(queue.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(queue.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
  const alarms = await alarmsInAlarm(aws, deployment);

  if (options.json) {
    line(io.stdout, JSON.stringify({ days: perDay, latestProblems, deadLetters, alarms }));
    return EXIT.ok;
  }
  line(io.stdout, `Items per day by status (last ${options.days} days, UTC) — table ${deployment.table}`);
  io.stdout.write(render(perDay, ["day", ...STATUSES, "total"], "table"));
  line(io.stdout, `\nLatest problems (${latestProblems.length})`);
  io.stdout.write(latestProblems.length ? render(latestProblems, ["uploaded", "status", "key", "reason"], "table") : "none\n");
  line(io.stdout, `\nDead-letter queue: ${deadLetters.waiting} waiting, ${deadLetters.inFlight} in flight`);
  if ("unavailable" in alarms) line(io.stdout, `Alarms: could not be read (${alarms.unavailable})`);
  else
    line(
      io.stdout,
      `Alarms in ALARM: ${alarms.firing.length ? alarms.firing.map((a) => `${a.name} (since ${a.since})`).join(", ") : "none"}`,
    );
  return EXIT.ok;
}

/** The pipeline's alarms now in ALARM; a report without them beats none, so a failure to read them is shown, not thrown. */
async function alarmsInAlarm(aws: AwsClients, deployment: Deployment) {
  if (deployment.alarmNames.length === 0)
    return { unavailable: "the alarm names are unknown: the function's name does not follow the pipeline's naming" };
  try {
    const answer = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [...deployment.alarmNames], StateValue: "ALARM" }));
    return {
      firing: (answer.MetricAlarms ?? []).map((a) => ({
        name: a.AlarmName!,
        since: a.StateUpdatedTimestamp?.toISOString() ?? "?",
        reason: a.StateReason ?? "",
      })),
    };
  } catch (error) {
    return { unavailable: `${(error as Error).name}: ${(error as Error).message.split("\n")[0]}` };
  }
}
