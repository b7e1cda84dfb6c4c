/**
 * Unit suite (`npm run test:unit`): every test that loads the framework once per flavor, cdktf and
 * CDK Terrain (cdktn); the rest (the functions' code, the CLI's pure parts) once, with cdktf.
 */
const { cpus } = require("node:os");
const base = require("./jest.base.config");
const { FRAMEWORKS, SOURCE_FRAMEWORK, jestModuleNameMapper } = require("./scripts/frameworks.cjs");
const { frameworkFreeTests } = require("./scripts/framework-free-tests.cjs");

const unit = {
  ...base,
  roots: ["<rootDir>/__tests__"],
  // Integration tests need the emulator (`npm run test:integration`); package tests need the
  // built library (`npm run test:package`); benchmarks run under `npm run bench`.
  testPathIgnorePatterns: [
    "/node_modules/",
    "<rootDir>/__tests__/integration/",
    "<rootDir>/__tests__/package/",
    "<rootDir>/__tests__/bench/",
    "<rootDir>/__tests__/deploy/",
    "<rootDir>/__tests__/differential/",
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  // At least two workers, so the two flavors run side by side even on a two-core machine (jest's
  // default there is one).
  maxWorkers: Math.max(2, cpus().length - 1),
  // `npx jest --selectProjects cdktn` runs one flavor.
  projects: Object.keys(FRAMEWORKS).map((framework) => ({
    ...unit,
    displayName: framework,
    // The sources import cdktf; this flavor loads its own framework in their place, and the app
    // that main.test.ts synthesizes in a child process is built for it (CDK_FRAMEWORK).
    moduleNameMapper: jestModuleNameMapper(framework),
    setupFiles: ["<rootDir>/__tests__/framework-flavor.js"],
    globals: { CDK_FRAMEWORK: framework },
    ...(framework === SOURCE_FRAMEWORK
      ? {}
      : {
          testPathIgnorePatterns: [
            ...unit.testPathIgnorePatterns,
            ...frameworkFreeTests(__dirname, "__tests__").map((file) => `<rootDir>/${file}$`),
          ],
        }),
  })),
};
