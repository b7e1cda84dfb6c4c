/** Differential suite: the processor's image reading against libvips (sharp), on a generated corpus. */
const unit = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ["<rootDir>/__tests__/differential"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 600_000,
};
