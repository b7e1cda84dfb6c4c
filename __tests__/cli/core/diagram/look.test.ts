import { wrapped } from "../../../../cli/core/diagram/look";

describe("edge labels wrapped so the picture stays narrow", () => {
  it("breaks a long label at spaces into lines of even length, and leaves a short one alone", () => {
    expect(wrapped("failed events after 2 retries")).toBe("failed events\nafter 2 retries");
    expect(wrapped("ObjectCreated, ObjectRemoved, LifecycleExpiration")).toBe("ObjectCreated,\nObjectRemoved,\nLifecycleExpiration");
    expect(wrapped("sends rendition requests")).toBe("sends rendition\nrequests");
    expect(wrapped("batches of 10")).toBe("batches of 10");
  });
});
