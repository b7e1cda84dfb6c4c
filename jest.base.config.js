/** What every suite shares: node, swc, the run's temporary folder and the cdktf matchers. Each suite's config adds its roots. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  // swc strips types only (fast); `npm run typecheck` checks them.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  globalSetup: "<rootDir>/__tests__/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/global-teardown.js",
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
};
