import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { MetadataItem } from "../core/outcome";
import type { DeletedItem, MetadataStore, SaveOptions, SaveResult } from "../ports";

/** The facts a decision may leave out (core/outcome.ts buildItem); a rewrite removes the ones the new decision lacks. */
const FACT_ATTRIBUTES = [
  "ContentType",
  "DetectedFormat",
  "Width",
  "Height",
  "ETag",
  "Reason",
  "Orientation",
  "DisplayWidth",
  "DisplayHeight",
  "Progressive",
  "Interlaced",
  "BitDepth",
  "ColorModel",
  "HasAlpha",
  "HasIccProfile",
  "Animated",
  "TakenAt",
  "CameraMake",
  "CameraModel",
  "HasGps",
  "GpsLatitude",
  "GpsLongitude",
] as const;

/** What a deleted image's item no longer keeps: where and when it was taken, and with what. */
const PERSONAL_FACTS = ["GpsLatitude", "GpsLongitude", "HasGps", "TakenAt", "CameraMake", "CameraModel"] as const;

const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

/**
 * The metadata table. Writes are conditional on the S3 sequencer, so a redelivered event
 * changes nothing and an older event never overwrites a newer one.
 */
export class DynamoDbMetadataStore implements MetadataStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async save(item: MetadataItem, notify: boolean, options: SaveOptions = {}): Promise<SaveResult> {
    const replace = options.replaceOtherProcessorVersion === true || options.adoptLegacyItem === true;
    if (replace) {
      const rewritten = await this.rewriteFacts(item, notify);
      if (rewritten) return rewritten;
    }
    const conditions = [
      "attribute_not_exists(ImageId)",
      "Sequencer < :sequencer",
      ...(options.adoptLegacyItem ? ["attribute_not_exists(ProcessorVersion)"] : []),
      // The tombstone a deletion wrote with this very sequencer, as it raced the undelete.
      ...(options.restore ? ["(Sequencer = :sequencer AND #status = :deleted)"] : []),
    ];
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: notify ? { ...item, NotificationPending: true } : item,
          ConditionExpression: conditions.join(" OR "),
          ...(options.restore
            ? {
                ExpressionAttributeNames: { "#status": "Status" },
                ExpressionAttributeValues: { ":sequencer": item.Sequencer, ":deleted": "deleted" },
              }
            : { ExpressionAttributeValues: { ":sequencer": item.Sequencer } }),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { outcome: "written", notificationPending: notify };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = error.Item;
      const storedSequencer = stored?.Sequencer?.S;
      if (storedSequencer !== undefined && storedSequencer > item.Sequencer) {
        return { outcome: "stale", notificationPending: false };
      }
      const pending = stored?.NotificationPending?.BOOL === true;
      return pending
        ? { outcome: "duplicate", notificationPending: true, stored: unmarshall(stored!) as MetadataItem }
        : { outcome: "duplicate", notificationPending: false };
    }
  }

  /**
   * The same version recorded by other code: its facts are written again in place (those the new
   * decision lacks removed), and what the derivatives function recorded (Derivatives,
   * DerivativesStatus, ...) is kept, so a reprocess re-renders nothing. Undefined when the stored
   * item is not that (none, another version, or this code's own): the conditional put decides.
   */
  private async rewriteFacts(item: MetadataItem, notify: boolean): Promise<SaveResult | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":sequencer": item.Sequencer, ":version": item.ProcessorVersion };
    const sets = Object.entries(notify ? { ...item, NotificationPending: true } : item)
      .filter(([name]) => name !== "ImageId")
      .map(([name, value], i) => {
        names[`#a${i}`] = name;
        values[`:a${i}`] = value;
        return `#a${i} = :a${i}`;
      });
    const removed = FACT_ATTRIBUTES.filter((name) => !(name in item)).map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    try {
      const { Attributes: old } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { ImageId: item.ImageId },
          UpdateExpression: `SET ${sets.join(", ")}${removed.length > 0 ? ` REMOVE ${removed.join(", ")}` : ""}`,
          ConditionExpression: "Sequencer = :sequencer AND ProcessorVersion <> :version",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_OLD",
        }),
      );
      return {
        outcome: "written",
        notificationPending: notify,
        renditionsKept: item.Status === "processed" && old?.DerivativesStatus !== undefined,
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  async markDeleted(tombstone: DeletedItem, createTombstone: boolean): Promise<"written" | "stale" | "unrecorded"> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { ImageId: tombstone.ImageId },
          UpdateExpression:
            "SET #status = :deleted, DeletedAt = :at, Sequencer = :sequencer, BucketName = :bucket, ObjectKey = :key, VersionId = :version " +
            `REMOVE ${PERSONAL_FACTS.join(", ")}, NotificationPending`,
          ConditionExpression: createTombstone
            ? "attribute_not_exists(ImageId) OR Sequencer < :sequencer"
            : "attribute_exists(ImageId) AND Sequencer < :sequencer",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: {
            ":deleted": "deleted",
            ":at": tombstone.DeletedAt,
            ":sequencer": tombstone.Sequencer,
            ":bucket": tombstone.BucketName,
            ":key": tombstone.ObjectKey,
            ":version": tombstone.VersionId,
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "written";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return error.Item === undefined ? "unrecorded" : "stale";
    }
  }

  async isTombstone(imageId: string, sequencer: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { ImageId: imageId },
          // Sets what is there already: only the condition's answer is wanted (the role has no GetItem).
          UpdateExpression: "SET #status = :deleted",
          ConditionExpression: "#status = :deleted AND Sequencer <= :sequencer",
          ExpressionAttributeNames: { "#status": "Status" },
          ExpressionAttributeValues: { ":deleted": "deleted", ":sequencer": sequencer },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async markNotified(item: MetadataItem): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { ImageId: item.ImageId },
          UpdateExpression: "REMOVE NotificationPending SET NotifiedAt = :now",
          // A newer event may have replaced the item meanwhile; its own notice is its business.
          ConditionExpression: "Sequencer = :sequencer",
          ExpressionAttributeValues: { ":sequencer": item.Sequencer, ":now": new Date().toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
