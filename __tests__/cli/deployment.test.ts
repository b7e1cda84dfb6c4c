import { deploymentFromOutputs, instanceOfFunction, outputValues } from "../../cli/deployment";
import { resourceNames } from "../../constructs/naming/names";

describe("naming the deployment from its outputs", () => {
  const stack = {
    S3BucketName: "image-storage-bucket-dev-123456789012",
    DynamoDBTableName: "ImageMetadata-dev",
    LambdaFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:ImageProcessor-dev",
    DeadLetterQueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/ImageProcessor-DLQ-dev",
  };

  it("reads terraform output -json, a cdktf outputs file and plain values alike", () => {
    const terraform = Object.fromEntries(Object.entries(stack).map(([k, v]) => [k, { sensitive: false, type: "string", value: v }]));

    expect(outputValues(terraform)).toEqual(stack);
    expect(outputValues({ "image-processing-dev": stack })).toEqual(stack);
    expect(outputValues(stack)).toEqual(stack);
  });

  it("takes the stacks' names and the module's snake_case names, with the alarms of the instance its function names", () => {
    const module = {
      s3_bucket_name: "blue-image-storage-bucket-dev-123456789012",
      dynamodb_table_name: "blue-ImageMetadata-dev",
      lambda_function_arn: "arn:aws:lambda:eu-west-1:123456789012:function:blue-ImageProcessor-dev",
      dead_letter_queue_url: "https://sqs.eu-west-1.amazonaws.com/123456789012/blue-ImageProcessor-DLQ-dev",
    };

    const fromStack = deploymentFromOutputs(stack, "file");
    const fromModule = deploymentFromOutputs(module, "file");

    expect(fromStack).toMatchObject({ bucket: stack.S3BucketName, functionName: "ImageProcessor-dev", timeIndex: "UploadDateIndex" });
    expect(fromModule).toMatchObject({ table: "blue-ImageMetadata-dev", functionName: "blue-ImageProcessor-dev" });
    expect(fromModule.alarmNames).toEqual(Object.values(resourceNames("dev", "blue-").alarms));
    expect(instanceOfFunction("something-else")).toBeUndefined();
  });

  it("names every missing output under both of its names", () => {
    expect(() => deploymentFromOutputs({ S3BucketName: "b" }, "outputs file x.json")).toThrow(
      "outputs file x.json lacks the outputs dynamodb_table_name (or DynamoDBTableName), lambda_function_arn (or LambdaFunctionArn), dead_letter_queue_url (or DeadLetterQueueUrl)",
    );
  });
});
