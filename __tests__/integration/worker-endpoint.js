// Each jest worker of the integration suite talks to its own moto server (MOTO_ENDPOINTS, one per
// worker, started by scripts/run-integration.mjs): its files reset the emulator's state.
const endpoints = (process.env.MOTO_ENDPOINTS ?? "").split(",").filter(Boolean);
if (endpoints.length > 1) process.env.MOTO_ENDPOINT = endpoints[(Number(process.env.JEST_WORKER_ID ?? 1) - 1) % endpoints.length];
