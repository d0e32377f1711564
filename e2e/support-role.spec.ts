import { ADMIN_STATE, SUPPORT_STATE } from "./support/env";
import { expect, test } from "./support/test";

test.use({ storageState: SUPPORT_STATE });

test("support users read everything but see no write buttons, and forged writes are refused", async ({ page, seed }) => {
  const integration = await seed.integration("support");
  const sync = await seed.sync(integration._id, [
    { name: "accounts", rows: 300, badRecordRate: 0.01 },
    { name: "ledger", rows: 100, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 20 } },
  ]);
  const jobId = await seed.run(sync._id);
  await seed.waitForJob(jobId);
  // Filter chips such as "Running 0" or "Canceled 0" are not write buttons; "Run", "Run selected (1)" are.
  const writeButton = /^(Run( |$)|Full resync|Resync( |$)|Cancel( |$)|Re-run|Create API key|Revoke|Add user)/;

  await page.goto(`/integrations/${integration._id}`);
  await expect(page.getByTestId("sync-row")).toHaveCount(1);
  await expect(page.locator('[data-status="failed"]')).toBeVisible();
  await expect(page.getByRole("button", { name: writeButton })).toHaveCount(0);

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId("table-job-row")).toHaveCount(2);
  await expect(page.getByRole("button", { name: writeButton })).toHaveCount(0);

  await page.goto(`/jobs/${jobId}/errors`);
  await expect(page.getByTestId("error-row").first()).toBeVisible();
  await expect(page.getByRole("link", { name: /Export CSV/ })).toBeVisible();

  await page.goto(`/syncs/${sync._id}`);
  await expect(page.getByTestId("history-row")).toHaveCount(1);
  await expect(page.getByRole("button", { name: writeButton })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);

  await page.goto("/settings");
  await expect(page.getByText("Only admins can manage API keys and users.")).toBeVisible();
  await expect(page.getByRole("button", { name: writeButton })).toHaveCount(0);

  // The server is the real guard: a write with the support session and its valid CSRF token is refused.
  const me = await (await page.request.get("/api/auth/me")).json();
  expect(me).toMatchObject({ email: "support@e2e.test", role: "support" });
  const forged = await page.request.post(`/v1/syncs/${sync._id}/run`, { headers: { "x-csrf-token": me.csrfToken }, data: {} });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).errors[0].code).toBe("insufficient_scope");
  const cancel = await page.request.put(`/v1/syncJobs/${jobId}/cancel`, { headers: { "x-csrf-token": me.csrfToken } });
  expect(cancel.status()).toBe(403);
});

test("a session write without the CSRF header is refused", async ({ browser, seed }) => {
  const integration = await seed.integration("csrf");
  const sync = await seed.sync(integration._id, [{ name: "t", rows: 10 }]);
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  const res = await admin.request.post(`/v1/syncs/${sync._id}/run`, { data: {} });
  expect(res.status()).toBe(403);
  expect((await res.json()).errors[0].code).toBe("csrf_failed");
  expect(await seed.latestJobs(integration._id)).toEqual([]);
  await admin.close();
});
