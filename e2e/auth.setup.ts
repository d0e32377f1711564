import fs from "node:fs";
import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE, ADMIN_USER, AUTH_DIR, SUPPORT_STATE, SUPPORT_USER } from "./support/env";

setup.beforeAll(() => fs.mkdirSync(AUTH_DIR, { recursive: true }));

setup("an unknown password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  // Nothing filled in: said in words, with the cursor where the email goes.
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter your" })).toHaveText("Enter your email and password.");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.getByLabel("Email").fill(ADMIN_USER.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
  // Back on the password, to type it again.
  await expect(page.getByLabel("Password")).toBeFocused();
});

setup("admin signs in and is sent back to the page they asked for", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings/);
  await page.getByLabel("Email").fill(ADMIN_USER.email);
  await page.getByLabel("Password").fill(ADMIN_USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name === "sc_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  await page.context().storageState({ path: ADMIN_STATE });
});

setup("support signs in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(SUPPORT_USER.email);
  await page.getByLabel("Password").fill(SUPPORT_USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("support", { exact: true })).toBeVisible();
  await page.context().storageState({ path: SUPPORT_STATE });
});
