import { expect, test } from "./support/test";

test("an admin creates an API key (token shown once), uses it, and revokes it", async ({ page, playwright, baseURL }) => {
  const name = `ci-${Date.now().toString(36)}`;
  await page.goto("/settings");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: /sync:write/ }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  const token = await shown.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^sc_/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await shown.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await shown.getByRole("button", { name: "Done" }).click();

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("sync:write");
  await expect(row).toContainText("Active");

  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await client.get("/v1/integrations")).status()).toBe(200);

  await row.getByRole("button", { name: `Revoke API key ${name}` }).click();
  await page
    .getByRole("dialog", { name: `Revoke "${name}"?` })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(page.getByText(`API key "${name}" revoked`)).toBeVisible();
  await expect(row).toContainText("Revoked");
  expect((await client.get("/v1/integrations")).status()).toBe(401);
  await client.dispose();
});

test("an admin adds a support user, who can then sign in", async ({ page, browser }) => {
  const email = `support-${Date.now().toString(36)}@e2e.test`;
  await page.goto("/settings");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /at least 8 characters/ })).toBeVisible();
  await page.getByLabel("Initial password").fill("a-long-password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText(`User ${email} created`)).toBeVisible();
  await expect(page.getByRole("cell", { name: email, exact: true })).toBeVisible();

  const fresh = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const p = await fresh.newPage();
  await p.goto("/sign-in");
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill("a-long-password");
  await p.getByRole("button", { name: "Sign in" }).click();
  await expect(p.getByText("support", { exact: true })).toBeVisible();
  await p.getByRole("button", { name: "Sign out" }).click();
  await expect(p).toHaveURL(/\/sign-in/);
  await fresh.close();
});

test("without the live stream the dashboard falls back to polling and still shows the outcome", async ({ page, seed }) => {
  await page.route("**/v1/events**", (route) => route.abort());
  const integration = await seed.integration("polling");
  const sync = await seed.sync(integration._id, [{ name: "items", rows: 1500, rowsPerSecond: 1000 }], { name: "Polled sync" });
  await page.goto(`/integrations/${integration._id}`);
  await expect(page.locator('[data-live="polling"]')).toBeVisible();
  await page.getByRole("button", { name: `Run ${sync.name}` }).click();
  const row = page.getByTestId("sync-row").filter({ hasText: sync.name });
  await expect(row.locator('[data-status="running"]')).toBeVisible({ timeout: 15_000 });
  await expect(row.locator('[data-status="completed"]')).toBeVisible({ timeout: 30_000 });
});
