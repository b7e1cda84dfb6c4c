/** Integration suite: needs the moto server that `npm run test:integration` starts. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/integration"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 300_000,
  // One emulator, shared state: suites run one after the other.
  maxWorkers: 1,
};
