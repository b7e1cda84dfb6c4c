// The two frameworks this project builds for, and the one place that maps between them.
//
// The sources import what a cdktf user knows ("cdktf", "@cdktf/provider-aws/lib/..."). The cdktn
// flavor is the same code with those module names swapped at build time: in the app's and the
// library's emitted files (rewriteImports), in jest (moduleNameMapper) and in tsc (tsconfig.cdktn.json's
// paths, checked against this table by a unit test). CommonJS, so jest's config can require it too.
"use strict";

/**
 * Each flavor's packages: its core library, its prebuilt AWS provider, its command, and the npm
 * package of this library built for it. The cdktf package's peer dependencies are package.json's own.
 */
const FRAMEWORKS = Object.freeze({
  cdktf: Object.freeze({
    core: "cdktf",
    providerAws: "@cdktf/provider-aws",
    cli: "cdktf-cli",
    command: "cdktf",
    packageName: "cdktf-image-processing",
  }),
  cdktn: Object.freeze({
    core: "cdktn",
    providerAws: "@cdktn/provider-aws",
    cli: "cdktn-cli",
    command: "cdktn",
    packageName: "cdktn-image-processing",
    // cdktn 0.24's own range for constructs; the provider's major that is generated for cdktn 0.24.
    peerDependencies: Object.freeze({
      "@cdktn/provider-aws": ">=25.0.0 <26.0.0",
      cdktn: ">=0.24.0 <0.25.0",
      constructs: ">=10.6.0 <10.8.0",
    }),
  }),
});

/** The flavor the sources are written against. */
const SOURCE_FRAMEWORK = "cdktf";

/** The flavor named by CDK_FRAMEWORK (default cdktf); anything else is refused with the allowed values. */
function frameworkFrom(value = process.env.CDK_FRAMEWORK) {
  const name = value === undefined || value === "" ? SOURCE_FRAMEWORK : value;
  if (!Object.hasOwn(FRAMEWORKS, name)) {
    throw new Error(`CDK_FRAMEWORK must be one of ${Object.keys(FRAMEWORKS).join(", ")}; got "${name}"`);
  }
  return name;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const source = FRAMEWORKS[SOURCE_FRAMEWORK];
// A module name where require(), import ... from, import() or export ... from take one: either
// package, or a path inside it ("cdktf/lib/testing/adapters/jest"). Other strings are left alone
// (the ManagedBy tag says "cdktf" in both flavors, so moving to cdktn changes no resource).
const SPECIFIER = new RegExp(
  `(\\brequire\\(\\s*|\\bfrom\\s*|\\bimport\\(\\s*|\\bimport\\s+)(["'])(${escapeRegExp(source.core)}|${escapeRegExp(source.providerAws)})(/[^"'\\s]*)?\\2`,
  "g",
);

/** `text` (emitted JavaScript or a declaration file) with the source framework's module names swapped for `framework`'s. */
function rewriteImports(text, framework) {
  const target = FRAMEWORKS[frameworkFrom(framework)];
  if (target === source) return text;
  return text.replace(
    SPECIFIER,
    (_match, keyword, quote, name, path = "") =>
      `${keyword}${quote}${name === source.core ? target.core : target.providerAws}${path}${quote}`,
  );
}

/** jest's moduleNameMapper that loads `framework` where the sources name the source framework. */
function jestModuleNameMapper(framework) {
  const target = FRAMEWORKS[frameworkFrom(framework)];
  if (target === source) return {};
  return {
    [`^${escapeRegExp(source.core)}$`]: target.core,
    [`^${escapeRegExp(source.core)}/(.*)$`]: `${target.core}/$1`,
    [`^${escapeRegExp(source.providerAws)}/(.*)$`]: `${target.providerAws}/$1`,
  };
}

module.exports = { FRAMEWORKS, SOURCE_FRAMEWORK, frameworkFrom, jestModuleNameMapper, rewriteImports };
