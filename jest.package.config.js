/** Package suite: the built library, the Terraform module folder and the npm package. Run by `npm run test:package`. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/package"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 120_000,
};
