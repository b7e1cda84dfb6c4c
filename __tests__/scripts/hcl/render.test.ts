// The module's HCL (scripts/hcl/): Terraform's JSON syntax written as native syntax, generic over
// the configuration. The package suite plans the rendered module beside the JSON one.
import { Testing } from "cdktf";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";

const { expression, literal, renderBlocks } = require("../../../scripts/hcl/render.cjs");
const { layOut } = require("../../../scripts/hcl/layout.cjs");
const { hclFiles } = require("../../../scripts/hcl/index.cjs");
const { providerBlocks } = { providerBlocks: () => require("../../../scripts/hcl/provider-blocks.json") };

const SCHEMA = {
  resource: { aws_s3_bucket_versioning: { versioning_configuration: {} }, aws_lambda_function: { environment: {}, vpc_config: {} } },
  data: {},
};
const meta = (path: string) => ({ "//": { metadata: { path, uniqueId: "x" } } });

describe("templates and expressions", () => {
  it("writes a lone interpolation as its bare expression and anything else as a quoted template", () => {
    expect(expression("${var.tags}")).toBe("var.tags");
    expect(expression('arn:${data.aws_partition.current.partition}:s3:::${coalesce(var.a, "b")}/*')).toBe(
      '"arn:${data.aws_partition.current.partition}:s3:::${coalesce(var.a, "b")}/*"',
    );
    expect(expression('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });

  it("keeps braces and strings inside an interpolation whole (a for expression, a nested template)", () => {
    expect(expression("${{ for key, val in var.m: tostring(key) => val }}")).toBe("{ for key, val in var.m: tostring(key) => val }");
    expect(expression('x-${join("}", [for s in var.l : "${s}}"])}')).toBe('"x-${join("}", [for s in var.l : "${s}}"])}"');
  });

  it("keeps a template's escapes, and escapes interpolation where Terraform takes a string literally", () => {
    expect(expression("$${not.this}")).toBe('"$${not.this}"');
    expect(literal("a ${b} %{c}")).toBe('"a $${b} %%{c}"');
    expect(literal({ list: [1, true, null], "with space": "x" })).toBe('{\n  list = [1, true, null]\n  "with space" = "x"\n}');
  });
});

describe("JSON documents inside strings", () => {
  it("writes a policy as jsonencode of an HCL object, its interpolations as expressions", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:${data.p.partition}:s3:::${var.b}/*", Principal: "${var.p}" },
      ],
    });

    const hcl = expression(policy);

    expect(hcl).toMatch(/^jsonencode\(\{\n {2}Version = "2012-10-17"\n {2}Statement = \[/);
    expect(hcl).toContain('Resource = "arn:${data.p.partition}:s3:::${var.b}/*"');
    expect(hcl).toContain("Principal = var.p");
    expect(hcl).toContain('Action = ["s3:GetObject"]');
  });

  it("takes an interpolation that stands for a whole value as the value it encodes", () => {
    expect(expression('{"Resource":${jsonencode(var.arns)},"Count":${var.n}}')).toBe(
      "jsonencode({\n  Resource = var.arns\n  Count = var.n\n})",
    );
  });

  it("leaves strings that are not JSON documents, or hold directives, as templates", () => {
    expect(expression("{not json ${var.x}}")).toBe('"{not json ${var.x}}"');
    expect(expression('["%{ if var.x }a%{ endif }"]')).toBe('"[\\"%{ if var.x }a%{ endif }\\"]"');
  });
});

describe("blocks", () => {
  it("writes what the provider's schema calls a block as a block, and attributes (maps too) as attributes", () => {
    const [versioning] = renderBlocks(
      { resource: { aws_s3_bucket_versioning: { v: { bucket: "b", versioning_configuration: { status: "Enabled" } } } } },
      SCHEMA,
    );
    const [fn] = renderBlocks(
      { resource: { aws_lambda_function: { f: { environment: { variables: { A: "1" } }, tags: { A: "1" } } } } },
      SCHEMA,
    );

    expect(versioning.text).toContain('versioning_configuration {\n    status = "Enabled"\n  }');
    expect(fn.text).toContain('environment {\n    variables = {\n      A = "1"\n    }\n  }');
    expect(fn.text).toContain('tags = {\n    A = "1"\n  }');
  });

  it("writes meta-arguments first, dynamic blocks, lifecycle and depends_on last, and no cdktf metadata", () => {
    const [fn] = renderBlocks(
      {
        resource: {
          aws_lambda_function: {
            f: {
              ...meta("m/Pipeline/Processor/Function"),
              count: "${var.on ? 1 : 0}",
              depends_on: ["aws_iam_role.r"],
              dynamic: { vpc_config: { for_each: "${var.ids}", content: { subnet_ids: "${var.ids}" } } },
              function_name: "f",
              lifecycle: { ignore_changes: ["tags"] },
            },
          },
        },
      },
      SCHEMA,
    );

    expect(fn.text).not.toContain("//");
    expect(fn.text).toBe(
      [
        'resource "aws_lambda_function" "f" {',
        "  count = var.on ? 1 : 0",
        "",
        '  function_name = "f"',
        "",
        '  dynamic "vpc_config" {',
        "    for_each = var.ids",
        "    content {",
        "      subnet_ids = var.ids",
        "    }",
        "  }",
        "",
        "  lifecycle {",
        "    ignore_changes = [tags]",
        "  }",
        "  depends_on = [aws_iam_role.r]",
        "}",
      ].join("\n"),
    );
  });

  it("fails on a resource type the extract lacks, saying how to add it", () => {
    expect(() => renderBlocks({ resource: { aws_new_thing: { x: {} } } }, SCHEMA)).toThrow(/aws_new_thing.*provider-blocks\.mjs --update/);
  });
});

describe("the layout", () => {
  const blocks = renderBlocks(
    {
      locals: { body: "${var.x}", shared: "${var.y}" },
      resource: {
        aws_s3_bucket_versioning: { images: { ...meta("m/Pipeline/Store/Versioning"), bucket: "${local.shared}" } },
        aws_lambda_function: {
          processor: { ...meta("m/Pipeline/Processor/Function"), function_name: "${local.body}-${local.shared}" },
          other: { ...meta("m/Pipeline/SomethingNew/Function") },
        },
      },
    },
    SCHEMA,
  );

  it("puts a resource in its part's file, an unknown part in main.tf, and a local beside its only reader", () => {
    const files = Object.fromEntries(Object.entries(layOut(blocks)).map(([file, bs]: [string, any]) => [file, bs.map((b: any) => b.name)]));

    expect(files).toEqual({ "main.tf": ["other", "shared"], "storage.tf": ["images"], "processor.tf": ["processor", "body"] });
  });
});

describe("the module stack as HCL", () => {
  let files: Record<string, string>;
  let module: any;
  beforeAll(async () => {
    module = JSON.parse(Testing.synth(new ImageProcessingModuleStack(Testing.app(), "module")));
    delete module.terraform.backend;
    files = await hclFiles(module, providerBlocks());
  }, 60_000);

  it("declares every resource, variable, output and moved block of the JSON exactly once, with no cdktf metadata", () => {
    const text = Object.values(files).join("\n");
    const declared = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m.slice(1).join("."));
    const resources = Object.entries(module.resource).flatMap(([type, rs]: [string, any]) => Object.keys(rs).map((n) => `${type}.${n}`));

    expect(declared(/^resource "(\w+)" "(\w+)"/gm).sort()).toEqual(resources.sort());
    expect(declared(/^variable "(\w+)"/gm).sort()).toEqual(Object.keys(module.variable).sort());
    expect(declared(/^output "(\w+)"/gm).sort()).toEqual(Object.keys(module.output).sort());
    expect(text.match(/^moved \{/gm)).toHaveLength(module.moved.length);
    expect(text).not.toMatch(/"\/\/"|uniqueId/);
  });

  it("writes versions, variables, outputs and moved blocks in their own files, and the policies as jsonencode", () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["versions.tf", "variables.tf", "outputs.tf", "moved.tf", "iam.tf", "monitoring.tf"]),
    );
    expect(files["versions.tf"]).toMatch(/^terraform \{/m);
    expect(files["iam.tf"]).toMatch(/policy = jsonencode\(\{\n\s+Version = "2012-10-17"/);
    expect(files["iam.tf"]).not.toMatch(/"\{\\"Version/);
  });
});
