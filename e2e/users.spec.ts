import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { SUPPORT_STATE } from "./support/env";
import { expect, test } from "./support/test";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A user of this test's own (the fixed e2e users' passwords are shared by every spec). */
async function createUser(api: APIRequestContext, role: "admin" | "support", password: string) {
  const email = `${role}-${unique()}@users-e2e.test`;
  const res = await api.post("/v1/users", { data: { email, password, role } });
  expect(res.status(), await res.text()).toBe(201);
  return { ...((await res.json()) as { _id: string; email: string }), password };
}

async function removeUser(api: APIRequestContext, id: string) {
  const res = await api.delete(`/v1/users/${id}`);
  expect([204, 404]).toContain(res.status());
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

test("an admin changes their own password and signs in with the new one", async ({ browser, seed }) => {
  test.slow(); // five sign-ins, each a bcrypt verification
  const admin = await createUser(seed.api, "admin", "old-password-123");
  const { context, page } = await freshPage(browser);
  try {
    await signIn(page, admin.email, admin.password);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    // A second browser of the same user: the change must sign it out.
    const other = await freshPage(browser);
    await signIn(other.page, admin.email, admin.password);
    await expect(other.page.getByRole("button", { name: "Sign out" })).toBeVisible();

    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Change your password" });
    await form.getByLabel("Current password").fill("not-my-password");
    await form.getByLabel("New password", { exact: true }).fill("new-password-456");
    await form.getByLabel("Repeat new password").fill("new-password-456");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toContainText("The current password is incorrect");

    await form.getByLabel("Current password").fill(admin.password);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Password changed; your other sessions were signed out")).toBeVisible();
    await expect(form.getByLabel("Current password")).toHaveValue("");

    // This session stays; the other browser is signed out on its next request.
    await page.reload();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await other.page.goto("/settings");
    await expect(other.page).toHaveURL(/\/sign-in/);
    await other.context.close();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, admin.email, admin.password);
    await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
    await signIn(page, admin.email, "new-password-456");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  } finally {
    await context.close();
    await removeUser(seed.api, admin._id);
  }
});

test("an admin resets a support user's password, who then signs in with it; then promotes and deletes them", async ({
  page,
  browser,
  seed,
}) => {
  test.slow(); // three sign-ins and three password or role changes
  const user = await createUser(seed.api, "support", "forgotten-password-1");
  try {
    await page.goto("/settings");
    const row = page.getByTestId("user-row").filter({ hasText: user.email });
    await row.getByRole("button", { name: `Reset password of ${user.email}` }).click();
    const dialog = page.getByRole("dialog", { name: `Reset the password of ${user.email}` });
    await dialog.getByLabel("New password").fill("short");
    await dialog.getByRole("button", { name: "Set password" }).click();
    await expect(dialog.getByRole("alert")).toContainText("at least 8 characters");
    await dialog.getByLabel("New password").fill("given-by-admin-7");
    await dialog.getByRole("button", { name: "Set password" }).click();
    await expect(page.getByText(`Password of ${user.email} reset`)).toBeVisible();
    await expect(dialog).toBeHidden();

    const fresh = await freshPage(browser);
    await signIn(fresh.page, user.email, "forgotten-password-1");
    await expect(fresh.page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
    await signIn(fresh.page, user.email, "given-by-admin-7");
    await expect(fresh.page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(fresh.page.getByText("support", { exact: true })).toBeVisible();

    // Promote: the user's next page already has admin powers.
    await row.getByLabel(`Role of ${user.email}`).selectOption("admin");
    await expect(page.getByText(`${user.email} is now admin`)).toBeVisible();
    await fresh.page.goto("/settings");
    await expect(fresh.page.getByRole("button", { name: "Create API key" })).toBeVisible();

    await row.getByRole("button", { name: `Delete user ${user.email}` }).click();
    await page
      .getByRole("dialog", { name: `Delete ${user.email}?` })
      .getByRole("button", { name: "Delete user" })
      .click();
    await expect(page.getByText(`User ${user.email} deleted`)).toBeVisible();
    await expect(row).toHaveCount(0);
    await fresh.page.goto("/settings");
    await expect(fresh.page).toHaveURL(/\/sign-in/);
    await fresh.context.close();
  } finally {
    await removeUser(seed.api, user._id);
  }
});

test("an admin creates an API key with a rate limit and sees it in the list", async ({ page, playwright, baseURL, seed }) => {
  const name = `limited-${unique()}`;
  await page.goto("/settings");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Rate limit (requests per minute)").fill("120");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  const token = await shown.getByLabel("New API token").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("120/min");
  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const res = await client.get("/v1/integrations");
  expect(res.status()).toBe(200);
  expect(res.headers()["x-ratelimit-limit"]).toBe("120");
  await client.dispose();

  const keys = (await (await seed.api.get("/v1/apiKeys?limit=200")).json()) as { data: { _id: string; name: string }[] };
  const id = keys.data.find((k) => k.name === name)!._id;
  expect((await seed.api.delete(`/v1/apiKeys/${id}`)).status()).toBe(204);
});

test.describe("as support", () => {
  test.use({ storageState: SUPPORT_STATE });

  test("support sees no write control in Settings, only their own password", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByText("Only admins can manage API keys and users.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Change your password" })).toBeVisible();
    for (const name of [/Create API key/, /Revoke/, /Add user/, /Reset password/, /^Delete/]) {
      await expect(page.getByRole("button", { name })).toHaveCount(0);
    }
    await expect(page.getByRole("combobox")).toHaveCount(0);
    await expect(page.getByTestId("user-row")).toHaveCount(0);
  });
});
