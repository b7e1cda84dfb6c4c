/** Emulator benchmarks, run by `npm run bench` through the integration runner (moto). */
const integration = require("./jest.integration.config");

/** @type {import('jest').Config} */
module.exports = { ...integration, roots: ["<rootDir>/__tests__/bench"], testMatch: ["**/*.bench.test.ts"] };
