/** Deploy suite: real Terraform against the moto server that `npm run test:deploy` starts. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/deploy"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 1_200_000,
  // Four files side by side on two cores: most of a file's time is Terraform waiting on the AWS provider's
  // fixed delays (a queue policy's, a role's), not computing. Files that use the suite's moto use names of their own.
  maxWorkers: 4,
};
