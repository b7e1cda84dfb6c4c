// A platform team's own cdktf app: its stack, its provider, its key and queue, and the pipeline
// composed with them by reference. `npx cdktf synth` writes cdktf.out/stacks/media; `npx cdktf deploy media`.
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { ImageProcessingPipeline, addPipelineOutputs } from "cdktf-image-processing";

class MediaStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1", defaultTags: [{ tags: { Team: "media" } }] });

    // The team's own resources: a key for everything the pipeline stores, a queue for its notices.
    const key = new KmsKey(this, "TeamKey", { description: "media team data", enableKeyRotation: true });
    const notices = new SqsQueue(this, "Notices", { name: "media-image-notices", kmsMasterKeyId: key.arn });
    const alarmTopic = new TerraformVariable(this, "alarm_topic_arn", {
      type: "string",
      description: "SNS topic (ARN) the pipeline's alarms notify",
    });

    const images = new ImageProcessingPipeline(this, "Images", {
      environment: "prod",
      namePrefix: "media",
      existingKmsKeyArn: key.arn,
      subscriptions: [{ name: "notices", protocol: "sqs", endpoint: notices.arn }],
      alarmActions: [alarmTopic.stringValue],
      readableAddresses: true,
    });

    addPipelineOutputs(this, images, "module"); // snake_case names, as the Terraform module has them
    // The statements the key's policy must hold before the first apply (the key is the team's own).
    new TerraformOutput(this, "key_policy_statements", { value: images.keyPolicyStatementsJson });
  }
}

const app = new App();
new MediaStack(app, "media");
app.synth();
