/** Package suite: the built library, the Terraform module folder and the npm package. Run by `npm run test:package`. */
const unit = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ["<rootDir>/__tests__/package"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 120_000,
};
