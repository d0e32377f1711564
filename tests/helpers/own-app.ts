import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../lib/runtime/embedded-postgres";

export type OwnApp = { server: ChildProcess; port: number; base: string; stop: (signal?: NodeJS.Signals) => Promise<void> };

/**
 * `npm start`'s entry in a process of its own, for tests that stop its database or change how it
 * runs (the shared server must stay as it is for the other files). Resolves once /readyz answers.
 */
export async function startOwnApp(env: Record<string, string>): Promise<OwnApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "lib/bin/start.ts"], {
    env: { ...process.env, PORT: String(port), DEMO_DATA: "false", LOG_LEVEL: "error", RATE_LIMIT_PER_MINUTE: "1000000", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 240_000; // includes a production build when sources changed
  for (;;) {
    if (server.exitCode !== null) throw new Error(`app server exited with ${server.exitCode}`);
    if (Date.now() > deadline) throw new Error("app server did not start");
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    if (ready?.ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill(signal);
    await new Promise((r) => server.once("exit", r));
  };
  return { server, port, base, stop };
}
