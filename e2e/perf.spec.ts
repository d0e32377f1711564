import fs from "node:fs";
import type { Page } from "@playwright/test";
import { seedBulkOverview } from "./support/bulk";
import { expect, test } from "./support/test";

/**
 * Records (does not assert) how long pages take to show their data, in a real browser against the
 * production build: from navigation start to the rows being on screen. Figures go to
 * test-results/perf*.json so runs can be compared; docs/benchmarks.md keeps the latest.
 */
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeToRows(page: Page, url: string, selector: string, count: number) {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number), [selector, count] as const, { timeout: 60_000, polling: "raf" });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      rowsVisibleMs: Math.round(performance.now()),
      ttfbMs: Math.round(nav.responseStart),
      domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
      transferKb: Math.round(nav.transferSize / 1024),
    };
  });
}

const summarize = (runs: Record<string, number>[]) => ({ medianRowsVisibleMs: median(runs.map((r) => r.rowsVisibleMs)), runs });

function record(file: string, figures: Record<string, unknown>) {
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync(`test-results/${file}`, `${JSON.stringify({ recordedAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
}

test("records render time of the home overview with 200 integrations × 10 syncs", async ({ page }) => {
  test.setTimeout(180_000);
  const bulk = await seedBulkOverview({ tag: `perf${Date.now().toString(36)}`, integrations: 200, syncsEach: 10 });
  try {
    const api: number[] = [];
    const home: Record<string, number>[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = Date.now();
      const res = await page.request.get("/v1/overview");
      expect(res.status()).toBe(200);
      const body = await res.json();
      api.push(Date.now() - t0);
      expect(body.totals.numSyncs).toBeGreaterThanOrEqual(2000);
      // The first visit warms the server (compiled route, connection pool); it is not counted.
      const run = await timeToRows(page, "/", '[data-testid="overview-integration"]', 200);
      if (i > 0) home.push(run);
    }
    await expect(page.getByTestId("failure-row")).toHaveCount(10);
    const figures = {
      note: "Milliseconds from navigation start until the 200 integration rows are in the DOM (production build, local server, Chromium). Recorded, not asserted.",
      overview200x10: summarize(home),
      apiOverviewMs: { median: median(api.slice(1)), runs: api },
    };
    record("perf-overview.json", figures);
    test.info().annotations.push({ type: "perf", description: `overview (200 × 10) ${figures.overview200x10.medianRowsVisibleMs} ms, GET /v1/overview ${figures.apiOverviewMs.median} ms` });
    console.log(`[perf] ${JSON.stringify({ overview200x10: figures.overview200x10.medianRowsVisibleMs, apiOverview: figures.apiOverviewMs.median })}`);
  } finally {
    await bulk.drop();
  }
});

test("records render time of an integration page and of a job page with 200 tables", async ({ page, seed }) => {
  test.setTimeout(300_000);
  const integration = await seed.integration("perf");
  const tables = Array.from({ length: 200 }, (_, i) => ({ name: `t${String(i).padStart(3, "0")}`, rows: 5 }));
  const sync = await seed.sync(integration._id, tables, { name: "Two hundred tables" });
  for (let i = 0; i < 9; i++) await seed.sync(integration._id, [{ name: "x", rows: 5 }], { name: `Small sync ${i}` });
  const jobId = await seed.run(sync._id);
  const job = await seed.waitForJob(jobId, 240_000);
  expect(job.tables).toHaveLength(200);

  const integrationPage: Record<string, number>[] = [];
  const jobPage: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    integrationPage.push(await timeToRows(page, `/integrations/${integration._id}`, '[data-testid="sync-row"]', 10));
    jobPage.push(await timeToRows(page, `/jobs/${jobId}`, '[data-testid="table-job-row"]', 200));
  }
  await expect(page.getByTestId("table-job-row")).toHaveCount(200);

  const figures = {
    note: "Milliseconds from navigation start until the rows are in the DOM (production build, local server, Chromium). Recorded, not asserted.",
    integrationPage10Syncs: summarize(integrationPage),
    jobPage200Tables: summarize(jobPage),
  };
  record("perf.json", figures);
  test.info().annotations.push({
    type: "perf",
    description: `integration page ${figures.integrationPage10Syncs.medianRowsVisibleMs} ms, job page (200 tables) ${figures.jobPage200Tables.medianRowsVisibleMs} ms`,
  });
  console.log(`[perf] ${JSON.stringify({ integration10: figures.integrationPage10Syncs.medianRowsVisibleMs, job200: figures.jobPage200Tables.medianRowsVisibleMs })}`);
});
