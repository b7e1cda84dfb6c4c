import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBServiceException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { DynamoDbMetadataStore } from "../../../../functions/image-processor/adapters/dynamodb-metadata-store";
import type { MetadataItem } from "../../../../functions/image-processor/core/outcome";

const item = { ImageId: "id", Sequencer: "0B", Status: "rejected" } as MetadataItem;

const conditionFailed = (stored?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {}, Item: stored as any });

describe("DynamoDbMetadataStore", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const store = new DynamoDbMetadataStore(new DynamoDBClient({ region: "eu-west-1" }), "ImageMetadata-test");
  beforeEach(() => dynamo.reset());

  it("writes conditionally on the sequencer, marking a pending notification", async () => {
    dynamo.on(PutCommand).resolves({});

    expect(await store.save(item, true)).toEqual({ outcome: "written", notificationPending: true });
    expect(dynamo.commandCalls(PutCommand)[0].args[0].input).toMatchObject({
      TableName: "ImageMetadata-test",
      Item: { ...item, NotificationPending: true },
      ConditionExpression: "attribute_not_exists(ImageId) OR Sequencer < :sequencer",
      ExpressionAttributeValues: { ":sequencer": "0B" },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
  });

  it("reports a redelivery as a duplicate, with any notification still pending", async () => {
    dynamo.on(PutCommand).rejects(conditionFailed({ Sequencer: { S: "0B" }, NotificationPending: { BOOL: true } }));

    expect(await store.save(item, true)).toEqual({
      outcome: "duplicate",
      notificationPending: true,
      stored: { Sequencer: "0B", NotificationPending: true },
    });
  });

  it("restores over the version's own tombstone of the same sequencer (the deletion that raced the undelete)", async () => {
    dynamo.on(PutCommand).resolves({});

    await store.save({ ...item, Status: "processed" }, false, { restore: true });

    expect(dynamo.commandCalls(PutCommand)[0].args[0].input).toMatchObject({
      ConditionExpression: "attribute_not_exists(ImageId) OR Sequencer < :sequencer OR (Sequencer = :sequencer AND #status = :deleted)",
      ExpressionAttributeNames: { "#status": "Status" },
      ExpressionAttributeValues: { ":sequencer": "0B", ":deleted": "deleted" },
    });
  });

  it("marks a version deleted for good only when it is recorded: an id with no item (a delete marker's) gets none", async () => {
    const deleted = { ImageId: "id", BucketName: "b", ObjectKey: "k", VersionId: "m1", Sequencer: "0C", DeletedAt: "2026-12-07T00:00:00Z" };
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed())
      .rejectsOnce(conditionFailed({ Sequencer: { S: "0D" } }));

    expect(await store.markDeleted(deleted, false)).toBe("unrecorded");
    expect(await store.markDeleted(deleted, false)).toBe("stale");
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ConditionExpression).toBe(
      "attribute_exists(ImageId) AND Sequencer < :sequencer",
    );
  });

  it("asks whether a version's item is a tombstone with a write that changes nothing, never a read", async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());

    expect(await store.isTombstone("id", "0C")).toBe(true);
    expect(await store.isTombstone("id", "0C")).toBe(false);
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { ImageId: "id" },
      UpdateExpression: "SET #status = :deleted",
      ConditionExpression: "#status = :deleted AND Sequencer <= :sequencer",
      ExpressionAttributeValues: { ":deleted": "deleted", ":sequencer": "0C" },
    });
  });

  it("reports an older event as stale", async () => {
    dynamo.on(PutCommand).rejects(conditionFailed({ Sequencer: { S: "0C" } }));

    expect(await store.save(item, true)).toEqual({ outcome: "stale", notificationPending: false });
  });

  it("throws throttling so the event is retried", async () => {
    const throttled = new DynamoDBServiceException({
      name: "ProvisionedThroughputExceededException",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
    dynamo.on(PutCommand).rejects(throttled);

    await expect(store.save(item, false)).rejects.toBe(throttled);
  });

  it("clears the pending mark only on the same event's item, and tolerates a newer one", async () => {
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    await expect(store.markNotified(item)).resolves.toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { ImageId: "id" },
      ConditionExpression: "Sequencer = :sequencer",
    });
  });

  it("throws other failures of the mark so the event is retried", async () => {
    dynamo.on(UpdateCommand).rejects(new Error("socket hang up"));

    await expect(store.markNotified(item)).rejects.toThrow("socket hang up");
  });
});
