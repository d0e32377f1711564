import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STATE, BASE_URL } from "./e2e/support/env";

/**
 * Browser tests in Debian's Chromium against a throwaway server (e2e/support/serve.ts: embedded
 * Postgres + the real app with workers). A setup project signs in once; every test seeds its own
 * data through the API and removes it afterwards.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : Number(process.env.E2E_PLAYWRIGHT_WORKERS ?? 1),
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: BASE_URL,
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      dependencies: ["setup"],
      testMatch: /.*\.spec\.ts/,
      // perf.spec.ts measures render times for docs/benchmarks.md (`npm run bench:pages`): a benchmark, not a test.
      testIgnore: process.env.E2E_PERF ? [] : [/perf\.spec\.ts/],
      use: { storageState: ADMIN_STATE },
    },
  ],
  webServer: {
    command: "npx tsx e2e/support/serve.ts",
    url: `${BASE_URL}/healthz`,
    timeout: 360_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
