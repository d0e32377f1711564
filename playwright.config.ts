import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STATE, BASE_URL } from "./e2e/support/env";

/**
 * Browser tests in Debian's Chromium against a throwaway server (e2e/support/serve.ts: embedded
 * Postgres + the real app with workers). A setup project signs in once; every test seeds its own
 * data through the API and removes it afterwards, so they could run side by side (fullyParallel);
 * they run one browser at a time by default, which is faster on a 2-core machine.
 * A test that asserts something about the whole database — the newest failure anywhere is listed
 * first — runs alone afterwards (project "chromium-alone"), when nothing else can add a failure.
 */
// Matched against the test's title: these need the whole server to themselves.
const ALONE = /a support user sees the latest failures across integrations first/;
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: true,
  // One browser at a time: with two, the fresh-clone CI run on this 2-core machine took 8.2 min instead of
  // 6.4 (the page-by-page axe checks alone went from about 1 to 3.6 min). E2E_PLAYWRIGHT_WORKERS overrides.
  workers: Number(process.env.E2E_PLAYWRIGHT_WORKERS ?? 1),
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: BASE_URL,
    viewport: { width: 1440, height: 900 },
    // Recording a trace for every test (to keep it when one fails) about doubled the browser tests'
    // time on this 2-core machine (settings + users specs: 195 s of tests with, 100 s without). In
    // CI a failed test is retried once, and that retry is traced.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
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
      grepInvert: ALONE,
      use: { storageState: ADMIN_STATE },
    },
    {
      name: "chromium-alone",
      dependencies: ["chromium"],
      testMatch: /.*\.spec\.ts/,
      testIgnore: [/perf\.spec\.ts/],
      grep: ALONE,
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
