/** Package suite: the built library, the Terraform module folder and the npm package. Run by `npm run test:package`. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/package"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 120_000,
  // The cdktn package is staged once, before any file (package/global-setup.js).
  globalSetup: "<rootDir>/__tests__/package/global-setup.js",
  // Two at a time even on a two-core machine (jest's default there is one): the release's
  // terraform test and the tarballs' installs wait on child processes more than they compute.
  maxWorkers: 2,
};
