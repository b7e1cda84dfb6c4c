// The module's reference tables as terraform-docs (0.22 and later; earlier versions write `|------|`
// separator rows) writes them with its defaults
// (`terraform-docs markdown table --output-mode inject .`: anchors, escaping, HTML, the Required
// column, sorted by name), between its markers: a team that runs terraform-docs on the released
// module gets no diff. terraform-docs is a Go binary, not on PyPI or npm, so this reproduces its
// templates (format/templates/markdown_table_*.tmpl) and its sanitizer (template/sanitizer.go)
// for what this module's variables and outputs hold (__tests__/scripts/module-readme.test.ts holds
// it to lines of terraform-docs' golden files).

export const BEGIN = "<!-- BEGIN_TF_DOCS -->";
export const END = "<!-- END_TF_DOCS -->";

/** `_` as `\_` outside code spans, but not around emphasis (`_word_`), as terraform-docs' EscapeCharacters. */
function escapeUnderscores(line) {
  let text = line;
  const keep = "\u0000KEEP\u0000";
  const cases = [
    { pattern: /^(\s*)(_+)(\s+)(.*)/g, groups: [2] },
    { pattern: /(\s+)(_+)([^\t\n\f\r _])(.*)([^\t\n\f\r _])(_+)(\s+)/g, groups: [6, 2] },
  ];
  for (const { pattern, groups } of cases) {
    const matches = [...text.matchAll(new RegExp(pattern.source, "dg"))];
    for (const match of matches) {
      for (const group of groups) {
        const [start, end] = match.indices[group];
        text = text.slice(0, start) + match[group].replaceAll("_", keep) + text.slice(end);
      }
    }
  }
  return text.replaceAll("_", "\\_").replaceAll(keep, "_");
}

/** Splits on `fence`, handing alternate segments to `plain` and `code` (terraform-docs' processSegments). */
function segments(text, fence, plain, code) {
  let inCode = text.startsWith(fence);
  return text
    .split(fence)
    .map((segment) => {
      if (segment.length === 0) return "";
      const out = inCode ? code(segment) : plain(segment);
      inCode = !inCode;
      return out;
    })
    .join("");
}

const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"`|]+/gi;

/** A description or value as a table cell: pipes and underscores escaped outside code, line breaks as <br/>, fences as <pre>. */
export function cell(text) {
  if (text === "") return "n/a";
  return segments(
    text,
    "```",
    (plain) => {
      let s = segments(
        plain,
        "`",
        (p) => p.replaceAll("|", "\\|"),
        (c) => `\`${c}\``,
      );
      s = segments(
        s,
        "`",
        (p) => p.split("\n").map(escapeUnderscores).join("\n"),
        (c) => `\`${c}\``,
      );
      s = s.trim();
      s = s.replace(/(\S*)(\r?\n)(\s*)(\w+)/g, "$1  $2$3$4");
      s = s.replaceAll("    \n", "  \n").replaceAll("  \n\n", "\n\n").replaceAll("\n  \n", "\n\n");
      s = s.replaceAll("  \n", "<br/>").replaceAll("\n", "<br/>");
      return s.replace(URL, (url) => url.replaceAll("\\", ""));
    },
    (code) => `<pre>${code.trim().replaceAll("\n", "<br/>").replaceAll("\r", "")}</pre>`,
  );
}

/** A type or default value: in backticks on one line, in a fence when it spans lines (PrintFencedCodeBlock). */
const fenced = (code) => (code.includes("\n") ? `\n\n\`\`\`\n${code}\n\`\`\`\n` : `\`${code}\``);

/** A default as terraform-docs prints it: JSON indented by two, `n/a` for a required variable. */
function defaultOf(spec) {
  if (!("default" in spec)) return "n/a";
  return cell(fenced(JSON.stringify(spec.default, null, 2)));
}

const anchor = (prefix, name) =>
  `<a name="${prefix}_${name}"></a> [${name.replaceAll("_", "\\_")}](#${`${prefix}_${name}`.replaceAll("_", "\\_")})`;

/** terraform-docs' version in a registry link: `latest` unless one exact version is required. */
function registryVersion(constraint) {
  const parts = (constraint ?? "").split(" ");
  if (parts.length === 1 && parts[0]) return /^\d/.test(parts[0]) ? parts[0] : parts[0].startsWith("=") ? parts[0].slice(1) : "latest";
  if (parts.length === 2 && parts[0] === "=") return parts[1];
  return "latest";
}

/** A section as terraform-docs' template renders it: its table, or its "No ..." line when empty. */
const section = (title, none, header, rows) => [
  `## ${title}`,
  "",
  ...(rows.length === 0 ? [`No ${none}.`] : [header, header.replace(/[^|]+/g, (h) => ` ${"-".repeat(h.trim().length)} `), ...rows]),
  "",
];

/** The block terraform-docs injects into a README, from the synthesized module (cdk.tf.json without backend). */
export function terraformDocs(module) {
  const byName = (entries) => Object.entries(entries ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const providers = byName(module.terraform.required_providers);
  const requirements = [
    ...(module.terraform.required_version ? [["terraform", module.terraform.required_version]] : []),
    ...providers.map(([name, { version }]) => [name, version]),
  ];
  const providerOf = (type) => type.split("_")[0];
  const used = [...new Set([...Object.keys(module.resource ?? {}), ...Object.keys(module.data ?? {})].map(providerOf))].sort();
  const sourceOf = (provider) => module.terraform.required_providers[provider]?.source ?? `hashicorp/${provider}`;
  const link = (mode, type, name) => {
    const provider = providerOf(type);
    const kind = mode === "managed" ? "resources" : "data-sources";
    const version = registryVersion(module.terraform.required_providers[provider]?.version);
    const short = type.slice(provider.length + 1);
    return `| [${type}.${name}](https://registry.terraform.io/providers/${sourceOf(provider)}/${version}/docs/${kind}/${short}) | ${mode === "managed" ? "resource" : "data source"} |`;
  };
  // Managed resources first, each kind by `type.name` (terraform-docs' sortResourcesByType).
  const specs = (blocks) =>
    Object.entries(blocks ?? {})
      .flatMap(([type, named]) => Object.keys(named).map((name) => [type, name]))
      .sort(([ta, na], [tb, nb]) => (`${ta}.${na}` < `${tb}.${nb}` ? -1 : 1));
  const resources = [
    ...specs(module.resource).map(([type, name]) => link("managed", type, name)),
    ...specs(module.data).map(([type, name]) => link("data", type, name)),
  ];
  const lines = [
    ...section(
      "Requirements",
      "requirements",
      "| Name | Version |",
      requirements.map(([name, version]) => `| ${anchor("requirement", name)} | ${version ?? "n/a"} |`),
    ),
    ...section(
      "Providers",
      "providers",
      "| Name | Version |",
      used.map((name) => `| ${anchor("provider", name)} | ${module.terraform.required_providers[name]?.version ?? "n/a"} |`),
    ),
    ...section(
      "Modules",
      "modules",
      "| Name | Source | Version |",
      byName(module.module).map(([name, call]) => `| ${anchor("module", name)} | ${call.source} | ${call.version ?? "n/a"} |`),
    ),
    ...section("Resources", "resources", "| Name | Type |", resources),
    ...section(
      "Inputs",
      "inputs",
      "| Name | Description | Type | Default | Required |",
      byName(module.variable).map(
        ([name, spec]) =>
          `| ${anchor("input", name)} | ${cell(spec.description ?? "")} | ${cell(fenced(spec.type ?? "any"))} | ${defaultOf(spec)} | ${"default" in spec ? "no" : "yes"} |`,
      ),
    ),
    ...section(
      "Outputs",
      "outputs",
      "| Name | Description |",
      byName(module.output).map(([name, spec]) => `| ${anchor("output", name)} | ${cell(spec.description ?? "")} |`),
    ),
  ];
  // The Required column is centred in terraform-docs' separator row.
  const text = lines
    .join("\n")
    .replace("| ---- | ----------- | ---- | ------- | -------- |", "| ---- | ----------- | ---- | ------- | :------: |");
  return [BEGIN, text.trimEnd(), END].join("\n");
}
