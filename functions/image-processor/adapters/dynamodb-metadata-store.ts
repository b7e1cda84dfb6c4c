import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { MetadataItem } from "../core/outcome";
import { MetadataStore, SaveOptions, SaveResult } from "../ports";

const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

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
    const conditions = [
      "attribute_not_exists(ImageId)",
      "Sequencer < :sequencer",
      ...(replace ? ["(Sequencer = :sequencer AND ProcessorVersion <> :version)"] : []),
      ...(options.adoptLegacyItem ? ["attribute_not_exists(ProcessorVersion)"] : []),
    ];
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: notify ? { ...item, NotificationPending: true } : item,
          ConditionExpression: conditions.join(" OR "),
          ExpressionAttributeValues: replace ? { ":sequencer": item.Sequencer, ":version": item.ProcessorVersion } : { ":sequencer": item.Sequencer },
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
