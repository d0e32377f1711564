import { expect, test } from "./support/test";

test("cancel stops a throttled run and the UI shows it canceling, then canceled", async ({ page, seed }) => {
  const integration = await seed.integration("cancel");
  const sync = await seed.sync(integration._id, [{ name: "events", rows: 200_000, rowsPerSecond: 400 }], { name: "Slow events" });
  await page.goto(`/integrations/${integration._id}`);
  const row = page.getByTestId("sync-row").filter({ hasText: sync.name });

  await row.getByRole("button", { name: `Run ${sync.name}` }).click();
  await expect(row.locator('[data-status="running"]')).toBeVisible({ timeout: 15_000 });
  await row.getByRole("button", { name: `Cancel the running job of ${sync.name}` }).click();
  // Feedback is immediate: the toast and a disabled "Canceling…" (or already canceled).
  await expect(page.getByText(/Cancel requested/)).toBeVisible();
  await expect(row.locator('[data-status="canceling"], [data-status="canceled"]')).toBeVisible();
  await expect(row.locator('[data-status="canceled"]')).toBeVisible({ timeout: 20_000 });
  await expect(row.getByRole("button", { name: `Run ${sync.name}` })).toBeEnabled();

  await row.getByRole("link", { name: /canceled, open job/ }).click();
  await expect(page.locator('[data-testid="table-job-row"][data-status="canceled"]')).toHaveCount(1);
  await expect(page.getByText("user:admin@e2e.test").first()).toBeVisible();
});
