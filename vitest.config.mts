import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The app server inherits this process's environment (tests/setup/global-setup.ts), and so do the
// test workers: tests/api/metrics.test.ts scrapes /metrics with it as the bearer.
process.env.METRICS_TOKEN ??= `sc_metrics_${randomBytes(12).toString("hex")}`;

export default defineConfig({
  resolve: { alias: { "@": path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files share one server and database; they isolate by creating their own syncs.
    fileParallelism: false,
    env: { NODE_ENV: "test", LOG_LEVEL: "warn" },
  },
});
