import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";

/**
 * Records (does not assert) how long pages take to show their data, in a real browser against the
 * production build: from navigation start to the rows being on screen. Figures go to
 * test-results/perf.json so runs can be compared.
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

test("records render time of the home page and of a job page with 200 tables", async ({ page, seed }) => {
  test.setTimeout(300_000);
  const integration = await seed.integration("perf");
  const tables = Array.from({ length: 200 }, (_, i) => ({ name: `t${String(i).padStart(3, "0")}`, rows: 5 }));
  const sync = await seed.sync(integration._id, tables, { name: "Two hundred tables" });
  for (let i = 0; i < 9; i++) await seed.sync(integration._id, [{ name: "x", rows: 5 }], { name: `Small connector ${i}` });
  const jobId = await seed.run(sync._id);
  const job = await seed.waitForJob(jobId, 240_000);
  expect(job.tables).toHaveLength(200);

  const home: Record<string, number>[] = [];
  const integrationPage: Record<string, number>[] = [];
  const jobPage: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Home redirects to the newest integration, which is this test's.
    home.push(await timeToRows(page, "/", '[data-testid="connector-row"]', 10));
    integrationPage.push(await timeToRows(page, `/integrations/${integration._id}`, '[data-testid="connector-row"]', 10));
    jobPage.push(await timeToRows(page, `/jobs/${jobId}`, '[data-testid="table-job-row"]', 200));
  }
  await expect(page.getByTestId("table-job-row")).toHaveCount(200);

  const summarize = (runs: Record<string, number>[]) => ({
    medianRowsVisibleMs: median(runs.map((r) => r.rowsVisibleMs)),
    runs,
  });
  const figures = {
    recordedAt: new Date().toISOString(),
    note: "Milliseconds from navigation start until the rows are in the DOM (production build, local server, Chromium). Recorded, not asserted.",
    homePage10Connectors: summarize(home),
    integrationPage10Connectors: summarize(integrationPage),
    jobPage200Tables: summarize(jobPage),
  };
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync("test-results/perf.json", `${JSON.stringify(figures, null, 2)}\n`);
  test.info().annotations.push({
    type: "perf",
    description: `home ${figures.homePage10Connectors.medianRowsVisibleMs} ms, job page (200 tables) ${figures.jobPage200Tables.medianRowsVisibleMs} ms`,
  });
  console.log(`[perf] ${JSON.stringify({ home: figures.homePage10Connectors.medianRowsVisibleMs, job200: figures.jobPage200Tables.medianRowsVisibleMs })}`);
});
