import fs from "node:fs";
import { beforeAll, inject } from "vitest";

/**
 * Setup file of the "shared" project: its files talk to the app server, which the global setup
 * starts without waiting (it may still be building). Each file waits here until the server
 * answers; once it does, this returns at once.
 */
beforeAll(async () => {
  if (process.env.TEST_NO_SERVER) return;
  const file = inject("serverStateFile");
  const deadline = Date.now() + 930_000;
  for (;;) {
    const state = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (state === "ready") return;
    if (state.startsWith("failed")) throw new Error(`the test app server is not available: ${state}`);
    if (Date.now() > deadline) throw new Error("the test app server did not start in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}, 940_000);
