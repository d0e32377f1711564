import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./support/test";

/** Runs axe (WCAG 2.1 A/AA) and fails on serious or critical violations; saves a screenshot either way. */
async function audit(page: Page, testInfo: TestInfo, name: string) {
  fs.mkdirSync("test-results/screenshots", { recursive: true });
  const shot = await page.screenshot({ fullPage: true, path: `test-results/screenshots/${name}.png` });
  await testInfo.attach(`${name}.png`, { body: shot, contentType: "image/png" });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(report, `${name}: accessibility violations`).toEqual([]);
}

test("every page passes axe with no serious or critical violations", async ({ page, seed, browser }, testInfo) => {
  const integration = await seed.integration("a11y");
  const sync = await seed.sync(integration._id, [
    { name: "customers", rows: 500, badRecordRate: 0.02 },
    { name: "ledger", rows: 100, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 20 } },
  ]);
  await seed.sync(integration._id, [{ name: "products", rows: 50 }], { name: "Never run sync" });
  const jobId = await seed.run(sync._id);
  await seed.waitForJob(jobId);

  await page.goto("/");
  await expect(page.getByTestId("overview-integration").filter({ hasText: integration.name })).toBeVisible();
  await expect(page.getByTestId("failure-row").first()).toBeVisible();
  await audit(page, testInfo, "overview");

  await page.goto(`/integrations/${integration._id}`);
  await expect(page.getByTestId("sync-row")).toHaveCount(2);
  await audit(page, testInfo, "integration");

  await page.goto(`/syncs/${sync._id}`);
  await expect(page.getByTestId("history-row")).toHaveCount(1);
  await expect(page.getByTestId("sync-table-row")).toHaveCount(2);
  await audit(page, testInfo, "sync");

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId("table-job-row")).toHaveCount(2);
  await audit(page, testInfo, "job");

  await page.goto(`/jobs/${jobId}/errors`);
  await expect(page.getByTestId("error-row").first()).toBeVisible();
  await page.getByRole("button", { name: "Show error details" }).first().click();
  await audit(page, testInfo, "errors");

  await page.goto("/settings");
  await expect(page.getByTestId("api-key-row").first()).toBeVisible();
  await audit(page, testInfo, "settings");

  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByRole("dialog", { name: "Create API key" })).toBeVisible();
  await audit(page, testInfo, "settings-create-key");
  await page.keyboard.press("Escape");

  await page.goto("/api-docs");
  await page.locator("details summary").first().click();
  await audit(page, testInfo, "api-docs");

  await page.goto("/jobs/ffffffffffffffffffffffff");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await audit(page, testInfo, "not-found");

  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signIn = await anonymous.newPage();
  await signIn.goto("/");
  await expect(signIn.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await audit(signIn, testInfo, "sign-in");
  await anonymous.close();
});

test("the main flow works from the keyboard with a visible focus ring", async ({ page, seed }) => {
  const integration = await seed.integration("keyboard");
  const sync = await seed.sync(integration._id, [{ name: "items", rows: 50 }], { name: "Keyboard sync" });
  await page.goto(`/integrations/${integration._id}`);
  const run = page.getByRole("button", { name: `Run ${sync.name}` });
  await page.keyboard.press("Tab"); // keyboard modality, so focus-visible applies
  await run.focus();
  const outline = await run.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page.getByText(/Run queued/)).toBeVisible();
  await expect(page.getByTestId("sync-row").locator('[data-status="completed"]')).toBeVisible({ timeout: 60_000 });
});
