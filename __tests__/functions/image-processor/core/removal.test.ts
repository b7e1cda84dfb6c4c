import { currentVersion, currentVersionGone, planRemoval } from "../../../../functions/image-processor/core/removal";

const version = (versionId: string, isLatest = false) => ({ versionId, isDeleteMarker: false, isLatest });
const marker = (versionId: string, isLatest = false) => ({ versionId, isDeleteMarker: true, isLatest });
const MARKER = "ObjectRemoved:DeleteMarkerCreated";
const DELETE = "ObjectRemoved:Delete";

describe("planRemoval", () => {
  it("marks the version a delete marker hides, the newest real version after the marker, and may create its tombstone", () => {
    const versions = [marker("m2", true), version("v3"), marker("m1"), version("v1")];

    expect(planRemoval({ eventName: MARKER, versionId: "m2" }, versions)).toEqual({ mark: "v3", tombstone: true });
    expect(planRemoval({ eventName: MARKER, versionId: "m1" }, versions)).toEqual({ mark: "v1", tombstone: true });
  });

  it("marks nothing for a marker no longer listed (undeleted before its event was taken): what it hid is current again or gone", () => {
    // the marker m1 removed: v1 is current again
    expect(planRemoval({ eventName: MARKER, versionId: "m1" }, [version("v1", true)])).toEqual({ tombstone: true });
  });

  it("never marks the key's current version, whatever the event says", () => {
    // a marker listed after the current version (a new upload over it): what it hid is not current
    expect(planRemoval({ eventName: MARKER, versionId: "m1" }, [version("v2", true), marker("m1"), version("v1")])).toEqual({
      mark: "v1",
      tombstone: true,
    });
    // an unversioned object deleted and written again before the deletion's event was taken
    expect(planRemoval({ eventName: DELETE }, [version("null", true)])).toEqual({ tombstone: false });
  });

  it("marks the named version for a version deleted for good (the null version for an unversioned object), creating no tombstone", () => {
    expect(planRemoval({ eventName: DELETE, versionId: "v1" }, [])).toEqual({ mark: "v1", tombstone: false });
    expect(planRemoval({ eventName: DELETE }, [])).toEqual({ mark: "null", tombstone: false });
    // a delete marker's own id (S3's undelete): no tombstone, so no item is written for it
    expect(planRemoval({ eventName: DELETE, versionId: "m1" }, [version("v1", true)])).toEqual({ mark: "m1", tombstone: false });
  });

  it("marks nothing when a marker hides nothing", () => {
    expect(planRemoval({ eventName: MARKER, versionId: "m1" }, [marker("m1", true)])).toEqual({ tombstone: true });
  });
});

describe("currentVersion", () => {
  it("is the latest entry unless it is a delete marker", () => {
    expect(currentVersion([version("v2", true), marker("m1"), version("v1")])).toBe("v2");
    expect(currentVersion([marker("m1", true), version("v1")])).toBeUndefined();
    expect(currentVersion([])).toBeUndefined();
  });

  it("is gone when nothing, or a delete marker, is latest", () => {
    expect(currentVersionGone([])).toBe(true);
    expect(currentVersionGone([marker("m1", true), version("v1")])).toBe(true);
    expect(currentVersionGone([version("v2", true), marker("m1")])).toBe(false);
  });
});
