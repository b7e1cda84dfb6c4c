import { currentVersionGone, removedVersionId } from "../../../../functions/image-processor/core/removal";

const version = (versionId: string, isLatest = false) => ({ versionId, isDeleteMarker: false, isLatest });
const marker = (versionId: string, isLatest = false) => ({ versionId, isDeleteMarker: true, isLatest });

describe("removedVersionId", () => {
  it("is the version a delete marker hides: the newest real version after the marker", () => {
    const versions = [marker("m2", true), version("v3"), marker("m1"), version("v1")];

    expect(removedVersionId({ eventName: "ObjectRemoved:DeleteMarkerCreated", versionId: "m2" }, versions)).toBe("v3");
    expect(removedVersionId({ eventName: "ObjectRemoved:DeleteMarkerCreated", versionId: "m1" }, versions)).toBe("v1");
  });

  it("is the named version for a version deleted for good, and the null version for an unversioned object", () => {
    expect(removedVersionId({ eventName: "ObjectRemoved:Delete", versionId: "v1" }, [])).toBe("v1");
    expect(removedVersionId({ eventName: "ObjectRemoved:Delete" }, [])).toBe("null");
  });

  it("is none when a marker hides nothing", () => {
    expect(removedVersionId({ eventName: "ObjectRemoved:DeleteMarkerCreated", versionId: "m1" }, [marker("m1", true)])).toBeUndefined();
  });
});

describe("currentVersionGone", () => {
  it("holds when nothing, or a delete marker, is latest", () => {
    expect(currentVersionGone([])).toBe(true);
    expect(currentVersionGone([marker("m1", true), version("v1")])).toBe(true);
    expect(currentVersionGone([version("v2", true), marker("m1")])).toBe(false);
  });
});
