import { type ScalarTag, type CollectionTag, parse } from "yaml";

/** A CloudFormation template as JSON: the form CloudFormation takes back in an update. */
export type Template = {
  Resources?: Record<string, { Type?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties?: any }>;
  Parameters?: Record<string, unknown>;
  [section: string]: unknown;
};

/** The short forms of CloudFormation's YAML, by tag: each becomes its long, JSON form. */
const FUNCTIONS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!FindInMap": "Fn::FindInMap",
  "!GetAtt": "Fn::GetAtt",
  "!GetAZs": "Fn::GetAZs",
  "!ImportValue": "Fn::ImportValue",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!Sub": "Fn::Sub",
  "!Transform": "Fn::Transform",
  "!And": "Fn::And",
  "!Equals": "Fn::Equals",
  "!If": "Fn::If",
  "!Not": "Fn::Not",
  "!Or": "Fn::Or",
};

/** `!GetAtt Resource.Attribute` is the one short form whose scalar splits into the long form's list. */
const longForm = (tag: string, value: unknown) =>
  tag === "!GetAtt" && typeof value === "string"
    ? { "Fn::GetAtt": [value.slice(0, value.indexOf(".")), value.slice(value.indexOf(".") + 1)] }
    : { [FUNCTIONS[tag]]: value };

const TAGS: (ScalarTag | CollectionTag)[] = Object.keys(FUNCTIONS).flatMap((tag) => [
  { tag, resolve: (value: string) => longForm(tag, value) } as ScalarTag,
  { tag, collection: "seq", resolve: (seq: any) => longForm(tag, seq.toJSON()) } as CollectionTag,
  { tag, collection: "map", resolve: (map: any) => longForm(tag, map.toJSON()) } as CollectionTag,
]);

/** A template body as GetTemplate returns it, JSON or YAML (short-form functions included). */
export function parseTemplate(body: string): Template {
  const trimmed = body.trimStart();
  const parsed = trimmed.startsWith("{") ? JSON.parse(trimmed) : parse(body, { customTags: TAGS, version: "1.1" });
  if (typeof parsed !== "object" || parsed === null || typeof parsed.Resources !== "object")
    throw new Error("not a CloudFormation template (no Resources section)");
  return parsed as Template;
}

/**
 * The same template with `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain` on the given
 * resources: applied as a stack update, it changes nothing in AWS but what a stack deletion does.
 */
export function retainTemplate(template: Template, logicalIds: readonly string[]): Template {
  const copy: Template = JSON.parse(JSON.stringify(template));
  for (const id of logicalIds) {
    const resource = copy.Resources?.[id];
    if (!resource) throw new Error(`the template has no resource ${id}`);
    copy.Resources![id] = { Type: resource.Type, DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain", ...withoutPolicies(resource) };
  }
  return copy;
}

const withoutPolicies = ({ DeletionPolicy: _d, UpdateReplacePolicy: _u, Type: _t, ...rest }: Record<string, unknown>) => rest;
