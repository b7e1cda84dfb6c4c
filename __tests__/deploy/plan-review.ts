// `image-pipeline diagram --plan` and `cost --plan` over the real plans of the deploy suite's release
// target (examples/two-instances: blue with derivatives, green with EventBridge delivery).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/run-cli";

export interface PlanReview {
  readonly mermaid: string;
  readonly svg: string;
  readonly cost: any;
  readonly exitCodes: number[];
}

/** The diagram (Mermaid and SVG) and the cost difference of one `terraform show -json` plan, as the commands print them. */
export async function reviewPlan(plan: unknown, dir: string, name: string): Promise<PlanReview> {
  const file = join(dir, `${name}.plan.json`);
  writeFileSync(file, JSON.stringify(plan));
  const mermaid = await runCli(["diagram", "--plan", file, "--format", "mermaid"]);
  const svg = await runCli(["diagram", "--plan", file, "--format", "svg"]);
  const cost = await runCli(["cost", "--plan", file, "--uploads-per-day", "100000", "--region", "us-east-1", "--json"]);
  return {
    mermaid: mermaid.stdout,
    svg: svg.stdout,
    cost: cost.code === 0 ? JSON.parse(cost.stdout) : cost.stderr,
    exitCodes: [mermaid.code, svg.code, cost.code],
  };
}
