import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The app server inherits this process's environment (tests/setup/global-setup.ts), and so do the
// test workers: tests/api/metrics.test.ts scrapes /metrics with it as the bearer.
process.env.METRICS_TOKEN ??= `sc_metrics_${randomBytes(12).toString("hex")}`;

const alias = { "@": path.dirname(fileURLToPath(import.meta.url)) };
const common = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  env: { NODE_ENV: "test", LOG_LEVEL: "warn" },
};

/**
 * Files that share nothing with other files and need no app server: each works in databases of
 * its own (freshDatabase, plainDatabase) or touches no database at all. They run first, one at a
 * time, while the global setup's server is still building (tests/setup/global-setup.ts): the
 * build and one test file share the 2 cores, then the "shared" files run once the server is up.
 */
const ISOLATED = [
  "tests/engine/**/*.test.ts",
  "tests/db/**/*.test.ts",
  "tests/scheduler/burst.test.ts",
  "tests/scheduler/scheduler.test.ts",
  "tests/scheduler/next-run.test.ts",
  "tests/scheduler/presets.test.ts",
  "tests/secrets.test.ts",
  "tests/ui/format.test.ts",
  "tests/ui/wizard-state.test.ts",
  "tests/ui/safe-next.test.ts",
  "tests/api/error-mapping.test.ts",
];

export default defineConfig({
  resolve: { alias },
  test: {
    // One throwaway Postgres and app server for the whole run (both projects), started once.
    globalSetup: ["tests/setup/global-setup.ts"],
    ...common,
    // Inline projects do not extend this file (`extends` would run the global setup once per project).
    projects: [
      {
        resolve: { alias },
        test: { name: "isolated", include: ISOLATED, maxWorkers: 1, sequence: { groupOrder: 1 }, ...common },
      },
      {
        resolve: { alias },
        test: {
          name: "shared",
          include: ["tests/**/*.test.ts"],
          exclude: ISOLATED,
          // These share the server, its admin key, users, sign-in counters and logs; they isolate by
          // creating their own syncs, but some count or reset what is global: one file at a time.
          // (db-outage.test.ts has a server of its own, but starting it needs the finished build.)
          maxWorkers: 1,
          // After the isolated group (vitest runs groups one after the other, lowest first).
          sequence: { groupOrder: 2 },
          setupFiles: ["tests/setup/server-ready.ts"],
          ...common,
        },
      },
    ],
  },
});
