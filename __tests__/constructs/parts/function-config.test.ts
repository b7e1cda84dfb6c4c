import { PROCESSOR_RUNTIME } from "../../../constructs/parts/function-config";

describe("the processor's test runtime", () => {
  it("is the Node major of the function's Lambda runtime (the `node` devDependency puts it on npm scripts' PATH)", () => {
    const runtimeMajor = /^nodejs(\d+)\.x$/.exec(PROCESSOR_RUNTIME)?.[1];

    expect(runtimeMajor).toBeDefined();
    expect(process.versions.node.split(".")[0]).toBe(runtimeMajor);
  });
});
