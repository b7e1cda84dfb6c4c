import { createJobRequest, manifestLine, parseS3Uri, reportManifestKey, summarizeReport } from "../../../cli/core/batch-job";
import { decodeKey } from "../../../functions/image-processor/core/s3-event";

const INPUTS = {
  accountId: "111122223333",
  partition: "aws",
  functionArn: "arn:aws:lambda:eu-west-1:111122223333:function:ImageProcessor-prod",
  roleArn: "arn:aws:iam::111122223333:role/ImageProcessor-BatchOperations-prod",
  jobsBucket: "image-batch-jobs-prod-111122223333",
  clientRequestToken: "0d7f6a1e-6a4b-4c1e-9a1f-2b3c4d5e6f70",
  description: "backfill",
};

describe("Batch Operations jobs", () => {
  it("writes manifest lines with the key URL-encoded as the processor decodes it, and the version id", () => {
    const line = manifestLine("photos", "cats/Tom & Jerry+1 ü.JPG", "v1");

    expect(line).toBe("photos,cats/Tom+%26+Jerry%2B1+%C3%BC.JPG,v1");
    expect(decodeKey(line.split(",")[1])).toBe("cats/Tom & Jerry+1 ü.JPG");
  });

  it("writes the null version as `null`, never an empty version id (Batch Operations fails those tasks)", () => {
    const nullVersion = manifestLine("photos", "a.jpg", "null");
    const unversioned = manifestLine("photos", "b.jpg");

    expect(nullVersion).toBe("photos,a.jpg,null");
    expect(unversioned).toBe("photos,b.jpg,null");
  });

  it("asks for a CSV manifest's fields, or an Inventory report's format, and a report of every task", () => {
    const csv = createJobRequest({ ...INPUTS, manifest: { kind: "csv", objectArn: "arn:aws:s3:::j/manifests/m.csv", eTag: "e" } });
    const inventory = createJobRequest({
      ...INPUTS,
      manifest: { kind: "inventory", objectArn: "arn:aws:s3:::j/inventory/manifest.json", eTag: "e" },
    });

    expect(csv.Manifest.Spec).toEqual({ Format: "S3BatchOperations_CSV_20180820", Fields: ["Bucket", "Key", "VersionId"] });
    expect(inventory.Manifest.Spec).toEqual({ Format: "S3InventoryReport_CSV_20161130" });
    expect(csv.Report).toEqual({
      Bucket: "arn:aws:s3:::image-batch-jobs-prod-111122223333",
      Format: "Report_CSV_20180820",
      Enabled: true,
      Prefix: "reports",
      ReportScope: "AllTasks",
    });
    expect(csv.Operation.LambdaInvoke).toMatchObject({ FunctionArn: INPUTS.functionArn, InvocationSchemaVersion: "2.0" });
  });

  it("reads s3:// URIs and knows where a job's report lands", () => {
    expect(parseS3Uri("s3://inv/path/to/manifest.json")).toEqual({ bucket: "inv", key: "path/to/manifest.json" });
    expect(parseS3Uri("https://inv/manifest.json")).toBeUndefined();
    expect(reportManifestKey("abc")).toBe("reports/job-abc/manifest.json");
  });

  it("counts a report's rows, quoted messages with commas included", () => {
    const summary = summarizeReport(['b,k1,,succeeded,200,,"rejected: not a jpeg, png image"\nb,k2,,failed,200,PermanentFailure,"a, b"\n']);

    expect(summary).toEqual({
      succeeded: 1,
      failed: 1,
      succeededByOutcome: [{ outcome: "rejected", tasks: 1 }],
      failedByReason: [{ reason: "a, b", tasks: 1 }],
    });
  });
});
