import { expect, test } from "./support/test";

// Every page's axe audit, on desktop and on a phone, lives in mobile.spec.ts.
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
