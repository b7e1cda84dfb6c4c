/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Integration tests need the emulator (`npm run test:integration`); package tests need the
  // built library (`npm run test:package`); benchmarks run under `npm run bench`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/integration/", "<rootDir>/__tests__/package/", "<rootDir>/__tests__/bench/", "<rootDir>/__tests__/deploy/", "<rootDir>/__tests__/differential/"],
  // swc strips types only (fast); `npm run typecheck` checks them.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  globalSetup: "<rootDir>/__tests__/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/global-teardown.js",
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
};
