import { SUPPORT_STATE } from "./support/env";
import { expect, test } from "./support/test";

test("an admin reads who changed a sync on the audit page, filtered to that sync", async ({ page, seed }) => {
  const integration = await seed.integration("audit");
  const sync = await seed.sync(integration._id, [{ name: "orders", rows: 10 }], { name: "Audit before" });
  const renamed = await seed.api.patch(`/v1/syncs/${sync._id}`, {
    data: {
      name: "Audit after",
      source: {
        type: "postgres",
        url: "postgres://reader:Never-Shown-1@db.example.com/shop",
        tables: [{ name: "orders", primaryKey: "id" }],
      },
    },
  });
  expect(renamed.status()).toBe(200);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.getByLabel("Object id").fill(sync._id);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("sync.update");
  await expect(rows.nth(0)).toContainText("admin-token");
  await expect(rows.nth(0)).toContainText("Audit before");
  await expect(rows.nth(0)).toContainText("Audit after");
  await expect(rows.nth(0)).toContainText("source.url: changed (value not recorded)");
  await expect(rows.nth(1)).toContainText("sync.create");
  await expect(page.getByText("Never-Shown-1")).toHaveCount(0);

  await page.getByLabel("Action").selectOption("sync.create");
  await expect(rows).toHaveCount(1);
});

test.describe("support users", () => {
  test.use({ storageState: SUPPORT_STATE });
  test("have no audit link and are told the page is for admins", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Overview" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
    await page.goto("/audit");
    await expect(page.getByText("Only admins can read the audit log")).toBeVisible();
  });
});
