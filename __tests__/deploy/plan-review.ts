// `image-pipeline diagram --plan` and `cost --plan` over the real plans of the deploy suite's release
// target (examples/two-instances: blue with derivatives, green with EventBridge delivery).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/run-cli";

export interface PlanReview {
  readonly mermaid: string;
  readonly svg: string;
  readonly cost: any;
  /** `cost --plan --by-resource`: the change by Terraform address, as printed. */
  readonly costByResource: string;
  readonly exitCodes: number[];
  /** `rotation_period_in_days` of each key in the plan's prior state (the emulator's gap shows there). */
  readonly priorKeyRotationPeriods: unknown[];
}

/** Every resource of a module tree in `terraform show -json`'s values, its child modules' included. */
const resourcesOf = (module: any): any[] => [...(module?.resources ?? []), ...(module?.child_modules ?? []).flatMap(resourcesOf)];

/** The diagram (Mermaid and SVG) and the cost difference of one `terraform show -json` plan, as the commands print them. */
export async function reviewPlan(plan: unknown, dir: string, name: string): Promise<PlanReview> {
  const file = join(dir, `${name}.plan.json`);
  writeFileSync(file, JSON.stringify(plan));
  const mermaid = await runCli(["diagram", "--plan", file, "--format", "mermaid"]);
  const svg = await runCli(["diagram", "--plan", file, "--format", "svg"]);
  const cost = await runCli(["cost", "--plan", file, "--uploads-per-day", "100000", "--region", "us-east-1", "--json"]);
  const byResource = await runCli(["cost", "--plan", file, "--uploads-per-day", "100000", "--region", "us-east-1", "--by-resource"]);
  return {
    mermaid: mermaid.stdout,
    svg: svg.stdout,
    cost: cost.code === 0 ? JSON.parse(cost.stdout) : cost.stderr,
    costByResource: byResource.stdout,
    exitCodes: [mermaid.code, svg.code, cost.code, byResource.code],
    priorKeyRotationPeriods: resourcesOf((plan as any).prior_state?.values?.root_module)
      .filter((r) => r.type === "aws_kms_key")
      .map((r) => r.values.rotation_period_in_days),
  };
}
