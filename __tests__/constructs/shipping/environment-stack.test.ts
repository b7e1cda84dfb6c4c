import { EXPECTED_OUTPUTS, synthStack } from "../../helpers/synth";

describe("EnvironmentStack", () => {
  const stateBackend = { bucket: "acme-terraform-state", region: "eu-central-1" };
  const stack = synthStack({ environment: "staging", stateBackend, tags: { CostCenter: "42" } });

  it("tags every resource through the provider's default tags", () => {
    expect(stack.tf.provider.aws).toEqual([
      {
        region: "eu-west-1",
        default_tags: [{ tags: { CostCenter: "42", Environment: "staging", Purpose: "ImageProcessing", ManagedBy: "cdktf" } }],
      },
    ]);
  });

  it("keeps state in S3 per environment, encrypted, with S3-native locking", () => {
    expect(stack.tf.terraform.backend).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        region: "eu-central-1",
        key: "image-processing/staging/terraform.tfstate",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("uses local state beside cdktf.out when no backend is given, by a path relative to the stack's folder", () => {
    expect(synthStack().tf.terraform.backend).toEqual({ local: { path: "../../../terraform.test.tfstate" } });
  });

  it("points the dashboard URL at the console of the stack's partition", () => {
    expect(stack.tf.locals?.console_host).toBe(
      '${lookup({"aws-cn" = "console.amazonaws.cn", "aws-us-gov" = "console.amazonaws-us-gov.com"}, data.aws_partition.current.partition, "console.aws.amazon.com")}',
    );
  });

  it("has the original CloudFormation design's outputs, with its names, plus the dead-letter queue URL", () => {
    expect(Object.keys(stack.tf.output).sort()).toEqual(EXPECTED_OUTPUTS);
    expect(stack.tf.output.DashboardURL.value).toMatch(
      /^https:\/\/\$\{local\.console_host\}\/cloudwatch\/home\?region=\$\{local\.[^}]+\}#dashboards:name=\$\{aws_cloudwatch_dashboard\.[^}]+\.dashboard_name\}$/,
    );
  });

  it("matches the reviewed plan (snapshot, for review of every change to the resources)", () => {
    // Asset hashes change with every processor change; the snapshot is about the infrastructure.
    const json = stack.json.replace(/assets\/([\w]+)\/[0-9A-F]{32}/g, "assets/$1/<hash>");

    expect(JSON.parse(json)).toMatchSnapshot();
  });
});

describe("EnvironmentStack with a platform team's provider and state settings", () => {
  const roleArn = "arn:aws:iam::123456789012:role/terraform-deployer";
  const team = synthStack({
    environment: "staging",
    tags: { CostCenter: "42" },
    providerSettings: {
      assumeRole: [{ roleArn, sessionName: "images" }],
      allowedAccountIds: ["123456789012"],
      ignoreTags: [{ keyPrefixes: ["kubernetes.io/"] }],
    },
    stateBackend: {
      bucket: "acme-terraform-state",
      region: "eu-central-1",
      key: "teams/media/images-staging.tfstate",
      assumeRole: { roleArn: "arn:aws:iam::210987654321:role/state-writer" },
      kmsKeyId: "alias/terraform-state",
      useLockfile: false,
      dynamodbTable: "terraform-locks",
    },
  });

  it("passes the provider settings to the stack's provider, beside its region and default tags", () => {
    expect(team.tf.provider.aws).toEqual([
      {
        assume_role: [{ role_arn: roleArn, session_name: "images" }],
        allowed_account_ids: ["123456789012"],
        ignore_tags: [{ key_prefixes: ["kubernetes.io/"] }],
        region: "eu-west-1",
        default_tags: [{ tags: { CostCenter: "42", Environment: "staging", Purpose: "ImageProcessing", ManagedBy: "cdktf" } }],
      },
    ]);
  });

  it("passes the backend settings to the S3 backend, with the team's key and locking, always encrypted", () => {
    expect(team.tf.terraform.backend).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        region: "eu-central-1",
        assume_role: { role_arn: "arn:aws:iam::210987654321:role/state-writer" },
        kms_key_id: "alias/terraform-state",
        dynamodb_table: "terraform-locks",
        key: "teams/media/images-staging.tfstate",
        encrypt: true,
        use_lockfile: false,
      },
    });
  });
});
