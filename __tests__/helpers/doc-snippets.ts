// The TypeScript snippets of the README and docs/, made into modules a consumer's tsc can check
// against the installed package (the package suite's tarball test), so a snippet that names a prop,
// a class or an export the package no longer has fails a test instead of a reader.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface DocSnippet {
  /** Where it is: `docs/library.md#3` (the file and the snippet's position in it, from 1). */
  readonly where: string;
  readonly code: string;
}

/** Every ```ts / ```typescript block of the README and the pages under docs/. */
export function docSnippets(root: string): DocSnippet[] {
  const pages = [
    "README.md",
    ...readdirSync(join(root, "docs"))
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  return pages.flatMap((page) =>
    [...readFileSync(join(root, page), "utf8").matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((match, i) => ({
      where: `${page}#${i + 1}`,
      code: match[1],
    })),
  );
}

/**
 * Where the classes a snippet uses without importing them come from: the package's own exports, and
 * the framework's and provider's names the pages use. Snippets are fragments (a reader's stack is
 * `stack`, or `this` inside one), so they get these imports and a scope in which those names exist.
 */
const FRAMEWORK_NAMES: Record<string, string> = {
  App: "cdktf",
  TerraformStack: "cdktf",
  TerraformVariable: "cdktf",
  TerraformOutput: "cdktf",
  Testing: "cdktf",
  AwsProvider: "@cdktf/provider-aws/lib/provider",
  DynamodbTable: "@cdktf/provider-aws/lib/dynamodb-table",
  KmsKey: "@cdktf/provider-aws/lib/kms-key",
  S3Bucket: "@cdktf/provider-aws/lib/s3-bucket",
  S3BucketNotification: "@cdktf/provider-aws/lib/s3-bucket-notification",
  SqsQueue: "@cdktf/provider-aws/lib/sqs-queue",
};

/** The names the package's entry point exports, read from its declarations. */
export function packageExports(declarations: string): string[] {
  return [...declarations.matchAll(/export \{([^}]*)\}/g)].flatMap((match) =>
    match[1]
      .split(",")
      .map((name) => name.trim().replace(/^type\s+/, ""))
      .filter(Boolean),
  );
}

/** `snippet` as a module: its own imports first, then imports of what it uses but does not import, then its code in a stack's scope. */
export function snippetModule(snippet: DocSnippet, packageName: string, exported: string[]): string {
  const lines = snippet.code.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  const body = lines.filter((line) => !line.startsWith("import ")).join("\n");
  const imported = new Set(
    imports.flatMap(
      (line) =>
        /\{([^}]*)\}/
          .exec(line)?.[1]
          .split(",")
          .map((name) => name.trim()) ?? [],
    ),
  );
  const used = (name: string) => !imported.has(name) && new RegExp(`\\b${name}\\b`).test(body);
  const sources = new Map<string, string[]>();
  // App and TerraformStack type the scope declared below, so every module imports them.
  const declaredBelow = new Set(["App", "TerraformStack"]);
  for (const [name, from] of [...exported.map((name) => [name, packageName] as const), ...Object.entries(FRAMEWORK_NAMES)]) {
    if ((used(name) || declaredBelow.has(name)) && !imported.has(name)) sources.set(from, [...(sources.get(from) ?? []), name]);
  }
  return [
    `// ${snippet.where}`,
    ...imports,
    ...[...sources].map(([from, names]) => `import { ${names.join(", ")} } from "${from}";`),
    "declare const app: App;",
    "declare const stack: TerraformStack;",
    "declare function expect(value: unknown): { toHaveResourceWithProperties(type: unknown, properties: object): void };",
    "export function snippet(this: TerraformStack): void {",
    body,
    "}",
    "",
  ].join("\n");
}
