import { parseRequest, requestBody } from "../../../functions/shared/derivative-request";

describe("derivatives requests", () => {
  it("read back what was sent", () => {
    const request = { bucket: "b", key: "a b+c.jpg", versionId: "v", imageId: "id", sequencer: "0A", force: true };
    expect(parseRequest(requestBody(request))).toEqual({ ok: true, request });
    const deletion = { bucket: "b", key: "gone.jpg", imageId: "id", sequencer: "0B", action: "delete" as const };
    expect(parseRequest(requestBody(deletion))).toEqual({ ok: true, request: deletion });
  });

  it.each([
    ["not json", "the message body is not JSON"],
    ["[1]", "lacks bucket, key, imageId, sequencer"],
    ['{"bucket":"b","key":"k","imageId":"i"}', "lacks sequencer"],
    ['{"bucket":"b","key":"k","imageId":"i","sequencer":"s","force":"yes"}', "force is not a boolean"],
    ['{"bucket":"b","key":"k","imageId":"i","sequencer":"s","versionId":3}', "versionId is not a string"],
    ['{"bucket":"b","key":"k","imageId":"i","sequencer":"s","action":"purge"}', 'action is not "delete"'],
  ])("refuse %s with a reason", (body, reason) => {
    const parsed = parseRequest(body);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});
