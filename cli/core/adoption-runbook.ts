import type { ResourceNames } from "../../constructs/naming/names";
import { DEFAULTS } from "../../constructs/config/defaults";

export interface RunbookInput {
  readonly stackName: string;
  readonly environment: string;
  readonly names: ResourceNames;
  readonly region: string;
  /** Where the command wrote its files (as the operator typed it). */
  readonly outDir: string;
  readonly templateFile: string;
  readonly parameters: readonly string[];
  readonly capabilities: readonly string[];
  readonly moduleName: string;
  /** The stack's current template retains every kept resource already: step 1 is done. */
  readonly alreadyRetained: boolean;
}

/** The ordered steps of the move, as Markdown; the command prints it and writes it beside the files. */
export function adoptionRunbook(r: RunbookInput): string {
  const cdktfStack = `image-processing-${r.environment}`;
  const params = r.parameters.map((p) => `ParameterKey=${p},UsePreviousValue=true`).join(" ");
  const check = `npx image-pipeline adopt-cloudformation --stack ${r.stackName} --env ${r.environment} --region ${r.region}`;
  return `# Adopting CloudFormation stack ${r.stackName} into the ${r.environment} pipeline

Nothing below deletes an object or an item. Run the steps in order; each says how to check it.

0. Back up the table (it also has point-in-time recovery):
   aws dynamodb create-backup --region ${r.region} --table-name ${r.names.table} --backup-name before-adoption

1. Retain the kept resources: update the stack with the template this command wrote.
   It changes no resource, only what deleting the stack does.${r.alreadyRetained ? "\n   (Already done: the stack retains every kept resource.)" : ""}
   aws cloudformation update-stack --region ${r.region} --stack-name ${r.stackName} \\
     --template-body file://${r.templateFile}${params ? ` \\\n     --parameters ${params}` : ""}${r.capabilities.length ? ` \\\n     --capabilities ${r.capabilities.join(" ")}` : ""}
   aws cloudformation wait stack-update-complete --region ${r.region} --stack-name ${r.stackName}

2. Confirm: run this command again. It must say "every kept resource is retained".
   ${check}

3. Delete the stack. CloudFormation deletes the old function, roles, alarms, dashboard and the
   custom resource (which empties the bucket's notifications); it keeps the bucket, its policy,
   the table, the topic and the log group. From here until step 5 new uploads are stored but not
   processed; step 6 records them.
   aws cloudformation delete-stack --region ${r.region} --stack-name ${r.stackName}
   aws cloudformation wait stack-delete-complete --region ${r.region} --stack-name ${r.stackName}

4. Plan with the import blocks. The plan must import the kept resources, update some in place and
   create the rest: no destroy, no replace ("must be replaced") of anything.
   - The cdktf app (stack ${cdktfStack}):
       npx cdktf synth
       cp ${r.outDir}/imports.cdktf.tf cdktf.out/stacks/${cdktfStack}/
       (cd cdktf.out/stacks/${cdktfStack} && terraform init && terraform plan -out adopt.tfplan)
   - Or the Terraform module, as module "${r.moduleName}" (environment = "${r.environment}", no name_prefix):
       cp ${r.outDir}/imports.module.tf <your root module>/
       terraform plan -out adopt.tfplan
   Check: terraform show -json adopt.tfplan | jq '[.resource_changes[] | select(.change.actions | index("delete"))] | length'
   must print 0.

5. Apply the reviewed plan, then remove the imports file (the resources are in the state now).
   terraform apply adopt.tfplan
   The table's ${DEFAULTS.timeIndexName} is built during the apply (DynamoDB fills it from the
   existing items); a large table takes a while, and the table stays usable throughout.

6. Rewrite the old function's items and record the uploads of the gap:
   npx image-pipeline backfill --env ${r.environment} --region ${r.region} --reprocess
   Items keep their ImageId; they gain UploadDate (YYYY-MM-DD), the image's fields and the
   processor version, and answer time-range queries from then on.

7. Check:
   npx image-pipeline report --env ${r.environment} --region ${r.region}
   npx image-pipeline query --env ${r.environment} --region ${r.region} --from <first upload day> --to <today>
`;
}
