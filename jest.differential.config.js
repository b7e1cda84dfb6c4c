/** Differential suite: the processor's image reading against libvips (sharp), on a generated corpus. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/differential"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 600_000,
};
