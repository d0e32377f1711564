import fs from "node:fs";
import { expect, test } from "./support/test";

test("admin runs a sync, watches it complete live, and digs into a table's errors", async ({ page, seed }) => {
  const integration = await seed.integration("journey");
  const sync = await seed.sync(
    integration._id,
    [
      { name: "customers", rows: 4000, badRecordRate: 0.005, rowsPerSecond: 1500 },
      { name: "orders", rows: 2000, badRecordRate: 0.005, rowsPerSecond: 1000 },
    ],
    { name: "Shop to warehouse" },
  );

  await page.goto(`/integrations/${integration._id}`);
  const row = page.getByTestId("sync-row").filter({ hasText: sync.name });
  await expect(row).toContainText("Never run");
  // A marker on window survives only if nothing reloads the page.
  await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

  await row.getByRole("button", { name: `Run ${sync.name}` }).click();
  await expect(page.getByText(/Run queued for Shop to warehouse/)).toBeVisible();
  await expect(row.locator('[data-status="running"]')).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole("button", { name: /Cancel the running job/ })).toBeVisible();
  await expect(row.locator('[data-status="completed"]')).toBeVisible({ timeout: 60_000 });
  await expect(row.getByRole("button", { name: `Run ${sync.name}` })).toBeEnabled();
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  // The family: every table finished, none still "running".
  await row.getByRole("link", { name: /completed, open job/ }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f]{24}$/);
  const jobId = page.url().split("/").pop()!;
  const tables = page.getByTestId("table-job-row");
  await expect(tables).toHaveCount(2);
  await expect(page.locator('[data-testid="table-job-row"][data-status="completed"]')).toHaveCount(2);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

  const family = await seed.family(jobId);
  const customers = family.tables.find((t) => t.tableName === "customers")!;
  expect(customers.numErrors).toBeGreaterThan(0);

  // A table's errors, then narrower filters that land in the URL.
  await tables
    .filter({ hasText: "customers" })
    .getByRole("link", { name: `${customers.numErrors} errors in customers` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}/errors\\?child=${customers._id}`));
  await expect(page.getByTestId("error-row")).toHaveCount(customers.numErrors);
  await expect(page.getByRole("button", { name: "Remove filter table: customers" })).toBeVisible();

  await page.getByRole("searchbox", { name: "Search error messages" }).fill("rejected");
  await expect(page).toHaveURL(/q=rejected/);
  await page.getByRole("button", { name: /^NOT_NULL_VIOLATION/ }).click();
  await expect(page).toHaveURL(/code=NOT_NULL_VIOLATION/);
  await expect(page.getByText(`${customers.numErrors} matching errors`)).toBeVisible();

  // Copy one error's details.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page
    .getByTestId("error-row")
    .first()
    .getByRole("button", { name: /^Copy error/ })
    .click();
  await expect(page.getByText("Error details copied")).toBeVisible();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toMatchObject({ tableName: "customers", code: "NOT_NULL_VIOLATION", _parentSyncJobId: jobId });

  // Export exactly the filtered errors.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: /Export CSV/ }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`sync-job-${jobId}-errors.csv`);
  const csv = fs
    .readFileSync(await download.path(), "utf8")
    .trim()
    .split("\r\n");
  expect(csv[0]).toBe(
    "_id,occurredAt,tableName,code,stage,scope,source,message,recordKey,_childSyncJobId,_parentSyncJobId,flowExecutionGroupId,datasetName,_datasetId",
  );
  expect(csv).toHaveLength(customers.numErrors + 1);
  for (const line of csv.slice(1)) {
    expect(line).toContain(",customers,NOT_NULL_VIOLATION,");
    expect(line).toContain(customers._id);
  }
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});
