import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DerivativeEntry, ItemState } from "../core/plan";
import type { DerivativesStore, FinalOutcome, ItemWrite } from "../ports";

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";

/**
 * The metadata table, as the derivatives function sees it: it reads an item and adds to it,
 * always on the condition that the item still records the version the renditions were made of.
 */
export class DynamoDbDerivativesStore implements DerivativesStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  async get(imageId: string): Promise<ItemState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { ImageId: imageId },
        ConsistentRead: true,
        ProjectionExpression:
          "#status, Sequencer, Width, Height, FileSize, DetectedFormat, Progressive, BitDepth, ColorModel, HasAlpha, Derivatives, DerivativesStatus",
        ExpressionAttributeNames: { "#status": "Status" },
      }),
    );
    return Item as ItemState | undefined;
  }

  recordDerivatives(
    imageId: string,
    sequencer: string,
    entries: Readonly<Record<string, DerivativeEntry>>,
    mapExists: boolean,
  ): Promise<ItemWrite> {
    // One SET per rendition keeps the entries of other renditions (another request's, or
    // ones made with settings since removed); the map is created first if the item has none.
    // The write that fits the item as it was read goes first: the other only if it changed since,
    // so a first rendering waits for one write, not a failed condition and then another.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":sequencer": sequencer, ":processed": "processed", ":now": new Date().toISOString() };
    const sets = Object.entries(entries).map(([name, entry], index) => {
      names[`#r${index}`] = name;
      values[`:r${index}`] = entry;
      return `Derivatives.#r${index} = :r${index}`;
    });
    const addEntries = {
      UpdateExpression: `SET ${sets.join(", ")}, DerivativesStatus = :written, DerivativesAt = :now REMOVE DerivativesReason`,
      ExpressionAttributeNames: { ...names, "#status": "Status" },
      ExpressionAttributeValues: { ...values, ":written": "written" },
      ConditionExpression: "Sequencer = :sequencer AND #status = :processed AND attribute_exists(Derivatives)",
    };
    const createMap = {
      UpdateExpression: "SET Derivatives = :map, DerivativesStatus = :written, DerivativesAt = :now REMOVE DerivativesReason",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: {
        ":sequencer": sequencer,
        ":processed": "processed",
        ":now": values[":now"],
        ":map": entries,
        ":written": "written",
      },
      ConditionExpression: "Sequencer = :sequencer AND #status = :processed AND attribute_not_exists(Derivatives)",
    };
    const [first, second] = mapExists ? [addEntries, createMap] : [createMap, addEntries];
    return this.update(imageId, first, () => this.update(imageId, second));
  }

  recordFailure(imageId: string, sequencer: string, outcome: FinalOutcome, reason: string): Promise<ItemWrite> {
    return this.update(imageId, {
      UpdateExpression: "SET DerivativesStatus = :outcome, DerivativesReason = :reason, DerivativesAt = :now",
      ExpressionAttributeValues: { ":sequencer": sequencer, ":outcome": outcome, ":reason": reason, ":now": new Date().toISOString() },
      ConditionExpression: "Sequencer = :sequencer",
    });
  }

  /** A conditional update; when its condition fails, `orElse` (if given) is tried once, else the write is stale. */
  private async update(
    imageId: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName" | "Key">,
    orElse?: () => Promise<ItemWrite>,
  ): Promise<ItemWrite> {
    try {
      await this.documents.send(new UpdateCommand({ TableName: this.tableName, Key: { ImageId: imageId }, ...input }));
      return "written";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return orElse ? orElse() : "stale";
    }
  }
}
