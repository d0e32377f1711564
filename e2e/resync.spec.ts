import { expect, test } from "./support/test";

test("full resync asks for confirmation and starts a resync job", async ({ page, seed }) => {
  const integration = await seed.integration("resync");
  const sync = await seed.sync(integration._id, [{ name: "products", rows: 300 }], { name: "Catalog" });
  await page.goto(`/integrations/${integration._id}`);
  const row = page.getByTestId("sync-row").filter({ hasText: sync.name });

  // Backing out of the dialog starts nothing.
  await row.getByRole("button", { name: `Full resync of ${sync.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Full resync of ${sync.name}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await seed.latestJobs(integration._id)).toEqual([]);

  await row.getByRole("button", { name: `Full resync of ${sync.name}` }).click();
  await dialog.getByRole("button", { name: "Start full resync" }).click();
  await expect(page.getByText(/Full resync queued for Catalog/)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Resync", { exact: true })).toBeVisible();
  await expect(row.locator('[data-status="completed"]')).toBeVisible({ timeout: 60_000 });
  const [latest] = await seed.latestJobs(integration._id);
  expect(latest.runType).toBe("resync");
});

test("a table subset can be re-run from the sync page, starting from the failed ones", async ({ page, seed }) => {
  const integration = await seed.integration("subset");
  const sync = await seed.sync(integration._id, [
    { name: "good", rows: 200 },
    { name: "flaky", rows: 200, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 50 } },
  ]);
  await seed.waitForJob(await seed.run(sync._id));

  await page.goto(`/syncs/${sync._id}`);
  await page.getByRole("button", { name: "Select failed of last run (1)" }).click();
  await expect(page.getByRole("checkbox", { name: "flaky" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "good" })).not.toBeChecked();
  await page.getByRole("button", { name: "Run selected (1)" }).click();
  await expect(page.getByText(/Run of 1 table queued/)).toBeVisible();
  await expect
    .poll(async () => {
      const [job] = await seed.latestJobs(integration._id);
      return job ? (await seed.family(job._id)).tables.map((t) => t.tableName) : [];
    })
    .toEqual(["flaky"]);
});
