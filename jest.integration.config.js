/** Integration suite: needs the moto server that `npm run test:integration` starts. */
const base = require("./jest.base.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/integration"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 300_000,
  // Each file resets the emulator: two workers, each with its own server (scripts/run-integration.mjs
  // starts MOTO_SERVERS of them; integration/worker-endpoint.js gives a worker its own).
  maxWorkers: Number(process.env.MOTO_SERVERS ?? 1),
  setupFiles: ["<rootDir>/__tests__/integration/worker-endpoint.js"],
};
