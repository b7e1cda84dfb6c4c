/** A moto server of a test file's own, on a free loopback port: suites that would share names with another file run beside it. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): void;
}

// Shared with `npm run scan`, which plans against its own server (CommonJS, which both load).
const moto: {
  /** Starts moto_server (the pinned one in .venv, or MOTO_SERVER) and waits until it answers; its log goes to `log`. */
  startMotoServer(log: string, seconds?: number): Promise<MotoServer>;
} = require("../../scripts/moto-server.cjs");
export const { startMotoServer } = moto;
