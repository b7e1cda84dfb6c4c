/** Deploy suite: real Terraform against the moto server that `npm run test:deploy` starts. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/deploy"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 1_200_000,
  // The deploy test uses the suite's moto; the adoption and upgrade tests each start their own, so the three run side by side.
  maxWorkers: 3,
};
