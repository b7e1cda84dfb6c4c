import { architectureOf } from "../../../../cli/core/diagram/architecture";
import { planActions, planConfiguration } from "../../../../cli/core/diagram/plan-marks";
import { smallPlan } from "../../../helpers/small-plan";

describe("what a plan does, marked on the diagram's nodes", () => {
  it("marks each node with the plan's action: its own, its parts' (a changed policy changes the bucket), its alarms' together", () => {
    // Arrange
    const plan = smallPlan();

    // Act
    const diagram = architectureOf(planConfiguration(plan), planActions(plan));

    // Assert
    const marks = Object.fromEntries(diagram.nodes.map((n) => [n.name ?? n.title, n.action ?? "unchanged"]));
    expect(marks).toEqual({
      "images-bucket": "update",
      Processor: "replace",
      Metadata: "update",
      "Processor-DLQ": "destroy",
      Requests: "create",
      // One alarm new, one unchanged: the alarms together change.
      "CloudWatch alarms (2)": "update",
    });
  });

  it("reads Terraform's action lists: a replacement either way round, no-op and read as nothing", () => {
    const change = (name: string, actions: string[]) => ({ mode: "managed", type: "aws_sqs_queue", name, change: { actions } });
    const plan = {
      resource_changes: [
        change("a", ["create", "delete"]),
        change("b", ["delete", "create"]),
        change("c", ["no-op"]),
        change("d", ["read"]),
        { ...change("e", ["update"]), module_address: 'module.m["x"]', index: "k" },
      ],
    };

    expect(Object.fromEntries(planActions(plan))).toEqual({
      "aws_sqs_queue.a": "replace",
      "aws_sqs_queue.b": "replace",
      'module.m["x"].aws_sqs_queue.e["k"]': "update",
    });
  });
});
