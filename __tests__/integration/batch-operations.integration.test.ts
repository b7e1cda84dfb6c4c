// S3 Batch Operations for large backfills. Real: the processor's bundle on real objects in moto,
// with invocations in the documented schema 2.0 (URL-encoded keys, version ids) and each result
// code; the command's listing, manifest and report reading against moto's S3. Emulated: moto has
// no S3 Batch Operations, so the CreateJob request the command sends is captured at a loopback S3
// Control endpoint (this file's) and checked field by field against the API reference's request
// shape; the completion report is written here in the format the S3 User Guide documents.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { batchOperationsEvent, image } from "../fixtures";
import { type CliHarness, provisionForCli } from "./cli-harness";
import { type Invoke, scanTable, upload } from "./harness";

const JOB_ID = "f3cc4f60-61f6-4a2b-8a21-d07600c373ce";

/** A loopback S3 Control endpoint that records each request and answers CreateJob as S3 Control does. */
async function loopbackS3Control() {
  const requests: { method: string; path: string; headers: Record<string, unknown>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>${JOB_ID}</JobId></CreateJobResult>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { requests, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** The text of every element at a path of the request's XML (a/b/c), in document order. */
const at = (xml: string, path: string): string[] => {
  const names = path.split("/");
  let scopes = [xml];
  for (const name of names) {
    scopes = scopes.flatMap((scope) => [...scope.matchAll(new RegExp(`<${name}(?: [^>]*)?>([\\s\\S]*?)</${name}>`, "g"))].map((m) => m[1]));
  }
  return scopes;
};

describe("S3 Batch Operations backfill against the emulator", () => {
  let h: CliHarness;
  let invoke: Invoke;
  const jobsBucket = "image-batch-jobs-dev-123456789012";
  const roleArn = "arn:aws:iam::123456789012:role/ImageProcessor-BatchOperations-dev";

  beforeAll(async () => {
    h = await provisionForCli();
    invoke = await h.startFunction();
    await h.s3.send(new CreateBucketCommand({ Bucket: jobsBucket }));
    // The stack's outputs with the Batch Operations part's (batchOperations: true).
    const outputs = JSON.parse(require("node:fs").readFileSync(h.outputsFile, "utf8"));
    const output = (value: string) => ({ sensitive: false, type: "string", value });
    writeFileSync(
      h.outputsFile,
      JSON.stringify({ ...outputs, BatchJobsBucketName: output(jobsBucket), BatchOperationsRoleArn: output(roleArn) }),
    );
  });
  afterAll(() => h?.close());

  it("records each task's real object version through the bundle, answering Succeeded, TemporaryFailure or PermanentFailure per task", async () => {
    // Arrange: real objects; one was recorded from its real upload event first.
    const tom = await h.s3.send(
      new PutObjectCommand({ Bucket: h.bucket, Key: "batch/Tom & Jerry.JPG", Body: image("baseline-exif.jpg"), ContentType: "image/jpeg" }),
    );
    const plain = await h.s3.send(
      new PutObjectCommand({ Bucket: h.bucket, Key: "batch/plain.png", Body: image("plain.png"), ContentType: "image/png" }),
    );
    const uploaded = await upload(h, "batch/already.jpg", image("baseline-exif.jpg"), "image/jpeg");
    await invoke(uploaded.event);
    const event = batchOperationsEvent(
      { s3Key: "batch/Tom+%26+Jerry.JPG", s3VersionId: tom.VersionId, s3Bucket: h.bucket },
      { s3Key: "batch/already.jpg", s3VersionId: uploaded.versionId, s3Bucket: h.bucket },
      { s3Key: "batch/notes.txt", s3Bucket: h.bucket },
      { s3Key: "batch/%E0%A4%A", s3Bucket: h.bucket },
    );

    // Act
    const response = await invoke(event);

    // Assert
    expect(response).toMatchObject({
      invocationSchemaVersion: "2.0",
      treatMissingKeysAs: "PermanentFailure",
      invocationId: event.invocationId,
    });
    expect(response.results.map((r: any) => [r.resultCode, r.resultString])).toEqual([
      ["Succeeded", "processed"],
      ["Succeeded", "processed (already recorded: stale)"],
      ["Succeeded", "skipped: the key does not end in an image suffix of the configured formats"],
      ["PermanentFailure", "s3Key is not valid URL encoding"],
    ]);
    const items = await scanTable(h);
    const tomItem = items.find((i) => i.ObjectKey === "batch/Tom & Jerry.JPG");
    expect(tomItem).toMatchObject({ VersionId: tom.VersionId, Status: "processed", Sequencer: "0".repeat(32) });
    // The real upload's item stands, with its own sequencer.
    expect(items.find((i) => i.ObjectKey === "batch/already.jpg").Sequencer).not.toBe("0".repeat(32));

    // Act: DynamoDB throttles every call (through the fault proxy) past the SDK's retries.
    h.proxy.setFaults({ rate: 1, services: ["dynamodb"], seed: 1 });
    const throttled = await invoke(batchOperationsEvent({ s3Key: "batch/plain.png", s3VersionId: plain.VersionId, s3Bucket: h.bucket }));
    h.proxy.setFaults({ rate: 0, services: [], seed: 1 });

    // Assert: S3 is asked to retry the task.
    expect(throttled.results[0]).toMatchObject({
      resultCode: "TemporaryFailure",
      resultString: expect.stringMatching(/^ThrottlingException/),
    });
  });

  it("writes the images' manifest and sends a CreateJob request of the documented shape to S3 Control", async () => {
    // Arrange
    const control = await loopbackS3Control();

    // Act
    const result = await h.cli(["backfill", "batch", "--outputs", h.outputsFile, "--prefix", "batch/", "--json"], {
      env: { AWS_ENDPOINT_URL_S3_CONTROL: control.endpoint },
    });
    control.close();

    // Assert: the job, and how to follow it.
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ jobId: JOB_ID, objects: 3, summary: `image-pipeline report batch-job ${JOB_ID}` });
    // The request (API reference, CreateJob: POST /v20180820/jobs, x-amz-account-id, CreateJobRequest).
    expect(control.requests).toHaveLength(1);
    const [request] = control.requests;
    expect([request.method, request.path, request.headers["x-amz-account-id"]]).toEqual(["POST", "/v20180820/jobs", "123456789012"]);
    const xml = request.body;
    expect(xml).toMatch(/^(<\?xml[^>]*>)?<CreateJobRequest xmlns="http:\/\/awss3control\.amazonaws\.com\/doc\/2018-08-20\/">/);
    const fields = {
      ConfirmationRequired: at(xml, "ConfirmationRequired"),
      FunctionArn: at(xml, "Operation/LambdaInvoke/FunctionArn"),
      InvocationSchemaVersion: at(xml, "Operation/LambdaInvoke/InvocationSchemaVersion"),
      ManifestFormat: at(xml, "Manifest/Spec/Format"),
      ManifestFields: at(xml, "Manifest/Spec/Fields/member"),
      ManifestArn: at(xml, "Manifest/Location/ObjectArn"),
      ReportBucket: at(xml, "Report/Bucket"),
      ReportFormat: at(xml, "Report/Format"),
      ReportEnabled: at(xml, "Report/Enabled"),
      ReportPrefix: at(xml, "Report/Prefix"),
      ReportScope: at(xml, "Report/ReportScope"),
      RoleArn: at(xml, "RoleArn"),
    };
    expect(fields).toEqual({
      ConfirmationRequired: ["false"],
      FunctionArn: [h.functionArn],
      InvocationSchemaVersion: ["2.0"],
      ManifestFormat: ["S3BatchOperations_CSV_20180820"],
      ManifestFields: ["Bucket", "Key", "VersionId"],
      ManifestArn: [expect.stringMatching(new RegExp(`^arn:aws:s3:::${jobsBucket}/manifests/backfill-.*\\.csv$`))],
      ReportBucket: [`arn:aws:s3:::${jobsBucket}`],
      ReportFormat: ["Report_CSV_20180820"],
      ReportEnabled: ["true"],
      ReportPrefix: ["reports"],
      ReportScope: ["AllTasks"],
      RoleArn: [roleArn],
    });
    expect(at(xml, "ClientRequestToken")[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(xml, "Priority")).toEqual(["10"]);
    // The manifest it wrote: the images under the prefix with their version ids, keys URL-encoded; its ETag in the request.
    const key = fields.ManifestArn[0].split(`${jobsBucket}/`)[1];
    const manifest = await h.s3.send(new GetObjectCommand({ Bucket: jobsBucket, Key: key }));
    const lines = (await manifest.Body!.transformToString()).trim().split("\n").sort();
    expect(lines.map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      `${h.bucket},batch/Tom+%26+Jerry.JPG`,
      `${h.bucket},batch/already.jpg`,
      `${h.bucket},batch/plain.png`,
    ]);
    expect(lines.every((l) => l.split(",")[2].length > 0)).toBe(true);
    expect(at(xml, "Manifest/Location/ETag")).toEqual([manifest.ETag!.replace(/"/g, "")]);
  });

  it("prints the CreateJob request with --dry-run, and sends nothing", async () => {
    const control = await loopbackS3Control();

    const result = await h.cli(["backfill", "batch", "--outputs", h.outputsFile, "--dry-run"], {
      env: { AWS_ENDPOINT_URL_S3_CONTROL: control.endpoint },
    });
    // The flag of earlier releases: the same request, and one line saying what replaces it.
    const deprecated = await h.cli(["backfill", "--outputs", h.outputsFile, "--engine", "batch-operations", "--dry-run"], {
      env: { AWS_ENDPOINT_URL_S3_CONTROL: control.endpoint },
    });
    control.close();

    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).createJob).toMatchObject({
      Operation: { LambdaInvoke: { InvocationSchemaVersion: "2.0" } },
      RoleArn: roleArn,
    });
    expect(control.requests).toEqual([]);
    expect(deprecated.code).toBe(0);
    expect(deprecated.stderr).toBe(
      "image-pipeline: `backfill --engine batch-operations` is deprecated and goes in the next release: use `backfill batch`\n",
    );
    // The same request but for what each run makes its own: the idempotency token, and the manifest's key (a timestamp).
    const own = (printed: string) => {
      const { createJob, ...rest } = JSON.parse(printed);
      return { ...rest, createJob: { ...createJob, ClientRequestToken: "(own)", Manifest: { ...createJob.Manifest, Location: "(own)" } } };
    };
    expect(own(deprecated.stdout)).toEqual(own(result.stdout));
  });

  it("summarises a completion report in the documented format: succeeded by outcome, failed by reason", async () => {
    // Arrange: a report as S3 writes it (S3 User Guide, "S3 Batch Operations completion reports").
    const results = `reports/job-${JOB_ID}/results`;
    const succeeded = [
      `${h.bucket},batch/a.jpg,v1,succeeded,200,,processed`,
      `${h.bucket},batch/b.jpg,v1,succeeded,200,,processed`,
      `${h.bucket},batch/c.jpg,v1,succeeded,200,,"rejected: not a jpeg, png image (text)"`,
      `${h.bucket},batch/d.jpg,v1,succeeded,200,,processed (already recorded: stale)`,
    ].join("\n");
    const failed = [
      `${h.bucket},batch/%E0%A4%A,,failed,200,PermanentFailure,s3Key is not valid URL encoding`,
      `${h.bucket},batch/e.jpg,v2,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""Task timed out after 30.00 seconds""}"`,
      `${h.bucket},batch/f.jpg,v2,failed,200,PermanentFailure,"Lambda returned function error: {""errorMessage"":""Task timed out after 30.00 seconds""}"`,
    ].join("\n");
    const put = (Key: string, Body: string) => h.s3.send(new PutObjectCommand({ Bucket: jobsBucket, Key, Body }));
    await put(`${results}/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv`, succeeded);
    await put(`${results}/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv`, failed);
    await put(
      `reports/job-${JOB_ID}/manifest.json`,
      JSON.stringify({
        Format: "Report_CSV_20180820",
        ReportCreationDate: "2026-12-02T17:48:39.725Z",
        Results: [
          {
            TaskExecutionStatus: "succeeded",
            Bucket: jobsBucket,
            MD5Checksum: "83b1c4cbe93fc893f54053697e10fd6e",
            Key: `${results}/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv`,
          },
          {
            TaskExecutionStatus: "failed",
            Bucket: jobsBucket,
            MD5Checksum: "22ee037f3515975f7719699e5c416eaa",
            Key: `${results}/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv`,
          },
        ],
        ReportSchema: "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage",
      }),
    );

    // Act, and the same through the flag of earlier releases
    const result = await h.cli(["report", "batch-job", JOB_ID, "--outputs", h.outputsFile, "--json"]);
    const deprecated = await h.cli(["report", "--outputs", h.outputsFile, "--batch-job", JOB_ID, "--json"]);

    // Assert: failures make the exit code 1, so a pipeline's step fails on them.
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      jobId: JOB_ID,
      succeeded: 4,
      failed: 3,
      succeededByOutcome: [
        { outcome: "processed", tasks: 2 },
        { outcome: "processed (already recorded)", tasks: 1 },
        { outcome: "rejected", tasks: 1 },
      ],
      failedByReason: [
        { reason: 'Lambda returned function error: {"errorMessage":"Task timed out after 30.00 seconds"}', tasks: 2 },
        { reason: "s3Key is not valid URL encoding", tasks: 1 },
      ],
    });
    expect([deprecated.code, deprecated.stdout]).toEqual([result.code, result.stdout]);
    expect(deprecated.stderr).toBe(
      "image-pipeline: `report --batch-job <id>` is deprecated and goes in the next release: use `report batch-job <id>`\n",
    );
  });
});
