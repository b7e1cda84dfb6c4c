import { PROCESSOR_RUNTIME } from "../../../constructs/parts/function-config";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { type SynthesizedStack, policyDocumentOf, synthStack } from "../../helpers/synth";

describe("the processor's test runtime", () => {
  it("is the Node major of the function's Lambda runtime (the `node` devDependency puts it on npm scripts' PATH)", () => {
    const runtimeMajor = /^nodejs(\d+)\.x$/.exec(PROCESSOR_RUNTIME)?.[1];

    expect(runtimeMajor).toBeDefined();
    expect(process.versions.node.split(".")[0]).toBe(runtimeMajor);
  });
});

describe("tracing and extra role policies of both functions", () => {
  const functions = (stack: SynthesizedStack) => Object.values(stack.tf.resource.aws_lambda_function) as any[];
  const sids = (stack: SynthesizedStack) =>
    (Object.values(stack.tf.resource.aws_iam_role_policy) as any[]).flatMap((p) =>
      policyDocumentOf(p.policy).statement.map((s: any) => s.sid),
    );

  it("traces both functions by default, and with tracing off passes through, loads no Tracer and grants no X-Ray", () => {
    const on = synthStack({ derivatives: EXAMPLE_RENDITIONS });
    const off = synthStack({ derivatives: EXAMPLE_RENDITIONS, tracing: false });

    expect(functions(on).map((f) => [f.tracing_config.mode, f.environment.variables.POWERTOOLS_TRACE_ENABLED])).toEqual([
      ["Active", undefined],
      ["Active", undefined],
    ]);
    expect(functions(off).map((f) => [f.tracing_config.mode, f.environment.variables.POWERTOOLS_TRACE_ENABLED])).toEqual([
      ["PassThrough", "false"],
      ["PassThrough", "false"],
    ]);
    expect(sids(on).filter((sid: string) => sid === "WriteTraces")).toHaveLength(2);
    expect(sids(off)).not.toContain("WriteTraces");
  });

  it("attaches the given policies to both roles, one attachment per ARN, and refuses what is not a policy ARN", () => {
    const arns = ["arn:aws:iam::111122223333:policy/org-baseline", "arn:aws:iam::aws:policy/AWSLambdaVPCAccessExecutionRole"];
    const stack = synthStack({ derivatives: EXAMPLE_RENDITIONS, rolePolicyArns: arns });
    const attachments = stack.tf.resource.aws_iam_role_policy_attachment;

    expect(Object.keys(attachments).sort()).toEqual(["derivatives_extra", "processor_extra"]);
    expect(attachments.processor_extra).toMatchObject({
      for_each: `\${toset(${JSON.stringify(arns).replace(/,/g, ", ")})}`,
      policy_arn: "${each.value}",
    });
    expect(synthStack().tf.resource.aws_iam_role_policy_attachment).toBeUndefined();
    expect(() => synthStack({ rolePolicyArns: ["AdministratorAccess"] })).toThrow(
      /rolePolicyArns must be a list of at most 10 policy ARNs, each an IAM policy ARN/,
    );
  });
});
