import { backfillAction } from "../../../cli/commands/backfill";
import { PROCESSOR_VERSION } from "../../../functions/image-processor/core/outcome";

describe("backfillAction", () => {
  const current = { Sequencer: "0055AED6DCD90281E5", ProcessorVersion: PROCESSOR_VERSION, VersionId: "v2" };
  const older = { ...current, ProcessorVersion: "0.1.0" };
  /** As the original CloudFormation design's function wrote it: no sequencer, version or processor version. */
  const legacy = {};
  const adopted = { Sequencer: "0".repeat(32), ProcessorVersion: "0.1.0", VersionId: "v2" };

  it.each([
    ["no item anywhere", undefined, undefined, false, { kind: "backfill" }],
    ["its own item, current", current, undefined, true, { kind: "recorded" }],
    ["its own item, older, without --reprocess", older, undefined, false, { kind: "recorded" }],
    ["its own item, older, with --reprocess", older, undefined, true, { kind: "reprocess", sequencer: older.Sequencer }],
    ["a legacy item, without --reprocess", undefined, legacy, false, { kind: "recorded", legacy: true }],
    ["a legacy item, with --reprocess", undefined, legacy, true, { kind: "adopt" }],
    ["its own item beside a legacy one", current, legacy, true, { kind: "recorded" }],
    [
      "an item adopted for this version by an older processor, with --reprocess",
      undefined,
      adopted,
      true,
      { kind: "adopt", sequencer: adopted.Sequencer },
    ],
    [
      "an item adopted for this version by this processor",
      undefined,
      { ...adopted, ProcessorVersion: PROCESSOR_VERSION },
      true,
      { kind: "recorded" },
    ],
    ["an item adopted for an earlier version of the key", undefined, { ...adopted, VersionId: "v1" }, true, { kind: "backfill" }],
  ])("%s", (_, own, legacyItem, reprocess, expected) => {
    expect(backfillAction(own, legacyItem, "v2", reprocess)).toEqual(expected);
  });
});
