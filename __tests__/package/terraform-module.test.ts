import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ImageProcessingPipelineProps, resolveConfig } from "../../constructs";
import { MODULE_VARIABLES } from "../../constructs/shipping/module-variables";
import { PIPELINE_OUTPUTS } from "../../constructs/shipping/pipeline-outputs";
import { EXPECTED_OUTPUTS } from "../helpers/synth";

const ROOT = join(__dirname, "..", "..");

/** Every file under dir, as relative path → contents. */
function files(dir: string, base = dir): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [k, v] of files(path, base)) found.set(k, v);
    else found.set(path.slice(base.length + 1), readFileSync(path));
  }
  return found;
}

describe("the Terraform module (npm run package:module)", () => {
  const work = mkdtempSync(join(tmpdir(), "module-test-"));
  const moduleDir = join(work, "terraform-module");
  let module: any;

  beforeAll(() => {
    // Packaged straight into a temporary folder, far from the project: it must stand alone. Its
    // synthesized JSON (--json) beside it is what the assertions on the configuration read.
    execFileSync(process.execPath, ["scripts/package-module.mjs", "--out", moduleDir], { cwd: ROOT, stdio: "pipe" });
    execFileSync(process.execPath, ["scripts/package-module.mjs", "--out", join(work, "json"), "--json"], { cwd: ROOT, stdio: "pipe" });
    module = JSON.parse(readFileSync(join(work, "json", "main.tf.json"), "utf8"));
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("has no backend and no provider configuration, only provider requirements with version constraints", () => {
    expect(module.terraform.backend).toBeUndefined();
    expect(module.provider).toBeUndefined();
    expect(module.terraform.required_providers).toEqual({
      aws: { source: "hashicorp/aws", version: ">= 5.100, < 7.0" },
    });
  });

  it("refers to files only inside itself, and every one exists there", () => {
    const text = JSON.stringify(module);
    const references = [...text.matchAll(/\$\{path\.module\}\/([^"}$]+)/g)].map((m) => m[1]);

    expect(references.length).toBeGreaterThanOrEqual(1);
    expect(references.every((ref) => ref.startsWith("assets/"))).toBe(true);
    expect(references.every((ref) => existsSync(join(moduleDir, ref)))).toBe(true);
  });

  it("has no expression cdktf could not render (an `undefined` operand)", () => {
    expect(JSON.stringify(module)).not.toMatch(/\bundefined\b/);
  });

  it("contains no absolute path of the build machine", () => {
    const leaks = [...files(moduleDir)].filter(([, bytes]) => [ROOT, work, tmpdir()].some((path) => bytes.includes(path)));

    expect(leaks.map(([file]) => file)).toEqual([]);
  });

  it("declares every input with type and description, and defaults for all but the environment", () => {
    const variables = module.variable as Record<string, any>;

    expect(Object.keys(variables).sort()).toEqual(MODULE_VARIABLES.map((v) => v.name).sort());
    for (const [name, spec] of Object.entries(variables)) {
      // The lists of objects are `any`, so their validations can name an attribute the caller misspelled.
      const objectLists = name === "derivatives" || name === "subscriptions";
      expect({ name, type: spec.type, described: spec.description.length > 10 }).toEqual({
        name,
        type: objectLists
          ? "any"
          : expect.stringMatching(
              /^(string|number|bool|list\(string\)|map\(string\)|list\(object\(\{ name = string, .*\}\)\)|map\(object\(\{ protocol = string, endpoint = string \}\)\))$/,
            ),
        described: true,
      });
      // Optional inputs whose "none" is null have a null default.
      if (name !== "environment") expect({ name, hasDefault: "default" in spec }).toEqual({ name, hasDefault: true });
    }
    expect(variables.environment.default).toBeUndefined();
  });

  it("names its outputs in snake_case, the stacks' (original CloudFormation design's) outputs among them under a documented mapping", () => {
    const outputs = Object.keys(module.output);

    expect(outputs.every((name) => /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name))).toBe(true);
    expect(outputs.sort()).toEqual(PIPELINE_OUTPUTS.map((o) => o.moduleName).sort());
    expect(PIPELINE_OUTPUTS.flatMap((o) => (o.stackName && !o.optIn ? [o.stackName] : [])).sort()).toEqual(EXPECTED_OUTPUTS);
    // An opt-in part's outputs are null without it: the child module counted out.
    for (const o of PIPELINE_OUTPUTS.filter((o) => o.optIn === "derivatives"))
      expect(module.output[o.moduleName].value).toMatch(/^\$\{try\(module\.derivatives\[0\]\.\w+, null\)\}$/);
    // Batch Operations' are its counted resources', null when batch_operations is false.
    for (const o of PIPELINE_OUTPUTS.filter((o) => o.optIn === "batchOperations" || o.optIn === "eventDelivery"))
      expect(module.output[o.moduleName].value).toMatch(/^\$\{one\(aws_(s3_bucket|iam_role|sqs_queue)\.\w+\[\*\]\.\w+\)\}$/);
    // The given bucket's name, else the module's own bucket's (counted out for existing_bucket_name).
    expect(module.output.s3_bucket_name.value).toMatch(
      /^\$\{coalesce\(var\.existing_bucket_name, one\(aws_s3_bucket\.\w+\[\*\]\.bucket\)\)\}$/,
    );
    expect(Object.values(module.output).every((o: any) => o.description)).toBe(true);
  });

  it("merges var.tags onto every resource that takes tags", () => {
    const taggable = [
      "aws_s3_bucket",
      "aws_dynamodb_table",
      "aws_lambda_function",
      "aws_iam_role",
      "aws_sns_topic",
      "aws_sqs_queue",
      "aws_kms_key",
      "aws_cloudwatch_log_group",
      "aws_cloudwatch_metric_alarm",
    ];
    const resources = taggable.flatMap((type) => Object.values(module.resource[type] ?? {}) as any[]);

    expect(resources.length).toBeGreaterThan(taggable.length);
    for (const resource of resources)
      expect(String(resource.tags)).toMatch(/^\$\{(merge\(var\.tags, \{"Purpose" = "\w+"\}\)|var\.tags)\}$/);
  });

  it("ships a README whose tables match the module, identical to the committed docs/terraform-module.md", () => {
    const readme = readFileSync(join(moduleDir, "README.md"), "utf8");

    // terraform-docs' rows: each input and output by its anchor.
    for (const name of Object.keys(module.variable)) expect(readme).toContain(`| <a name="input_${name}"></a> [`);
    for (const name of Object.keys(module.output)) expect(readme).toContain(`| <a name="output_${name}"></a> [`);
    expect(readme).toBe(readFileSync(join(ROOT, "docs", "terraform-module.md"), "utf8"));
  });

  describe("validation, evaluated by Terraform itself", () => {
    // Bad values, each refused by the construct at synth and by the module's validation.
    const cases: [keyof ImageProcessingPipelineProps, string, unknown][] = [
      ["environment", "environment", "Prod_1"],
      ["notificationEmail", "notification_email", "not-an-email"],
      ["memorySize", "memory_size", 64],
      ["timeoutSeconds", "timeout_seconds", 901],
      ["logRetentionDays", "log_retention_days", 31],
      ["maxRetryAttempts", "max_retry_attempts", 3],
      ["maxEventAgeSeconds", "max_event_age_seconds", 30],
      ["readWindowBytes", "read_window_bytes", 100],
      ["deadLetterRetentionDays", "dead_letter_retention_days", 15],
      ["noncurrentVersionExpirationDays", "noncurrent_version_expiration_days", 0],
      ["rolePermissionsBoundaryArn", "role_permissions_boundary_arn", "Boundary"],
      ["maxReadGets", "max_read_gets", 0],
      ["formats", "formats", ["jpeg", "bmp"]],
      ["namePrefix", "name_prefix", "Blue_"],
      ["bucketKmsKeyArn", "bucket_kms_key_arn", "my-key"],
      ["inventoryKmsKeyArn", "inventory_kms_key_arn", "my-key"],
    ];
    const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });

    /** `terraform plan` of a root module holding only the module's variable blocks (its released variables.tf). */
    function plan(values: Record<string, unknown>) {
      const dir = mkdtempSync(join(work, "vars-"));
      cpSync(join(moduleDir, "variables.tf"), join(dir, "variables.tf"));
      // Nobody to alert is refused on its own (below); the other cases are about other variables.
      writeFileSync(join(dir, "values.auto.tfvars.json"), JSON.stringify({ allow_unsubscribed_notifications: true, ...values }));
      const cliConfig = join(dir, "terraformrc");
      writeFileSync(cliConfig, "");
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: cliConfig };
      execFileSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
      return spawnSync("terraform", ["plan", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
    }

    it("needs the terraform CLI (offline: no providers are downloaded for a variables-only module)", () => {
      expect(terraform.error).toBeUndefined();
      expect(terraform.stdout).toMatch(/^Terraform v1\.\d+/);
    });

    // "Nobody to alert" is a precondition of the topic, which these plans of the variables alone do not
    // reach: the module's own terraform test refuses it (validation.tftest.hcl).

    it("accepts the defaults and a valid environment", () => {
      const result = plan({ environment: "dev" });

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    });

    it.each(cases)("refuses %s (%s) = %p like the construct does", (field, _variable, value) => {
      expect(() => resolveConfig({ environment: "dev", [field]: value } as ImageProcessingPipelineProps)).toThrow(field);
    });

    it("protects the data by a flag, whatever the environment is named: force_destroy only with data_protection = false, which prod refuses", () => {
      const forced = plan({ environment: "production", force_destroy: true });
      const unprotectedProd = plan({ environment: "prod", data_protection: false });

      expect(() => resolveConfig({ environment: "prod", forceDestroy: true })).toThrow("forceDestroy");
      expect(forced.status).not.toBe(0);
      expect(forced.stderr.replace(/\s+/g, " ")).toContain("Invalid force_destroy: true only with data_protection = false");
      expect(unprotectedProd.status).not.toBe(0);
      expect(unprotectedProd.stderr.replace(/\s+/g, " ")).toContain('Invalid data_protection: must be true for the "prod" environment');
      expect(plan({ environment: "production", force_destroy: true, data_protection: false }).status).toBe(0);
    });

    it("limits name_prefix and environment together to what the bucket name leaves, as the construct does", () => {
      const longest = { environment: "e".repeat(24), name_prefix: "abcd" };
      const tooLong = { ...longest, name_prefix: "abcde" };

      expect(plan(longest).status).toBe(0);
      expect(() => resolveConfig({ environment: longest.environment, namePrefix: longest.name_prefix })).not.toThrow();
      const refused = plan(tooLong);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr.replace(/\s+/g, " ")).toContain("with its hyphen and the environment at most 29 characters");
      expect(() => resolveConfig({ environment: tooLong.environment, namePrefix: tooLong.name_prefix })).toThrow(
        "at most 29 characters together",
      );
      expect(plan({ environment: "dev", name_prefix: "Blue_" }).stderr).toContain("Invalid name_prefix: must be empty, or lowercase");
    });

    it("refuses max_read_bytes below read_window_bytes, as the construct refuses maxReadBytes below readWindowBytes", () => {
      const result = plan({ environment: "dev", max_read_bytes: 32768 });

      expect(() => resolveConfig({ environment: "dev", maxReadBytes: 32768 })).toThrow("maxReadBytes must be at least readWindowBytes");
      expect(result.status).not.toBe(0);
      expect(result.stderr.replace(/\s+/g, " ")).toContain(
        "Invalid max_read_bytes: must be an integer from 1024 to 16777216, and at least read_window_bytes.",
      );
    });

    it.each([
      [
        [{ name: "Thumb", width: 100 }],
        "each name must be unique and 1 to 32 lowercase letters",
        "derivatives[0].name must be 1 to 32 lowercase letters",
      ],
      [
        [
          { name: "t", width: 100 },
          { name: "t", height: 50 },
        ],
        "each name must be unique",
        "is used twice",
      ],
      [[{ name: "t" }], "each rendition needs a width, a height or both", "must have a width, a height or both"],
      [[{ name: "t", width: 9000 }], "integers from 16 to 8192", "width must be an integer from 16 to 8192"],
      [
        [{ name: "t", width: 100, fit: "cover" }],
        'cover needs both width and height (derivatives[0]: fit = "cover")',
        'fit "cover" needs both width and height',
      ],
      [
        [
          { name: "ok", width: 100 },
          { name: "t", width: 100, fit: "fill" },
        ],
        'fit must be one of inside, cover, and cover needs both width and height (derivatives[1]: fit = "fill")',
        "derivatives[1].fit",
      ],
      [[{ name: "t", width: 9000, height: 20 }], "(derivatives[0]: width = 9000, height = 20)", "width must be an integer from 16 to 8192"],
      [
        [{ name: "t", width: 100, format: "gif" }],
        "format must be one of webp, avif, jpeg, png",
        "format must be one of webp, avif, jpeg, png",
      ],
      [[{ name: "t", width: 100, quality: 0 }], "quality must be an integer from 1 to 100", "quality must be an integer from 1 to 100"],
      [Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, width: 100 })), "at most 10 renditions", "at most 10 renditions"],
    ])("refuses derivatives = %j, as the construct refuses them", (derivatives, moduleWords, constructWords) => {
      const result = plan({ environment: "dev", derivatives });

      expect(result.status).not.toBe(0);
      const message = result.stderr.replace(/\s+/g, " ");
      expect(message).toContain("Invalid derivatives: ");
      expect(message).toContain(moduleWords);
      expect(() => resolveConfig({ environment: "dev", derivatives } as ImageProcessingPipelineProps)).toThrow(constructWords);
    });

    it("refuses derivatives given as one object instead of a list with one error, in words", () => {
      const result = plan({ environment: "dev", derivatives: { name: "thumbnail", width: 320 } });

      expect(result.status).not.toBe(0);
      expect(result.stderr.match(/Error: /g)).toHaveLength(1);
      expect(result.stderr.replace(/\s+/g, " ")).toContain(
        'Invalid derivatives: must be a list of at most 10 renditions, [{ name = "thumbnail", width = 320 }, ...], not one object or a map.',
      );
    });

    it("accepts the example renditions, optional attributes left out", () => {
      const result = plan({
        environment: "dev",
        derivatives: [
          { name: "thumbnail", width: 320, height: 320, fit: "cover", quality: 75 },
          { name: "large", width: 1920 },
        ],
      });

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    });

    it("refuses every one of those values in one plan, naming each variable", () => {
      // Terraform skips a validation that reads another invalid variable: name_prefix's reads environment.
      const independent = cases.filter(([, variable]) => variable !== "name_prefix");
      const values = Object.fromEntries([["environment", "dev"], ...independent.map(([, variable, value]) => [variable, value])]);

      const result = plan(values);

      expect(result.status).not.toBe(0);
      for (const [, variable] of independent) expect(result.stderr).toContain(`Invalid ${variable}: must be`);
    });
  });
});
