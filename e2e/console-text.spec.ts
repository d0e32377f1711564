import { expect, test } from "./support/test";

test("a job created moments ago reads “just now”, also when the browser's clock is behind the server's", async ({ page, seed }) => {
  const integration = await seed.integration("just now");
  const sync = await seed.sync(integration._id, [{ name: "orders", rows: 10 }]);
  const jobId = await seed.run(sync._id);
  // Live updates carry the server's time, which can be ahead of the browser's (here by 30 s): it
  // read "in 28 seconds" — a past event as a future one.
  await page.clock.setSystemTime(Date.now() - 30_000);
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByText("Created just now", { exact: true })).toBeVisible();
});

test("a one-table sync says “1 table”, and a failed job whose table left the sync says so instead of “Re-run 0”", async ({
  page,
  seed,
}) => {
  const integration = await seed.integration("rerun removed");
  const sync = await seed.sync(integration._id, [
    { name: "orders", rows: 20 },
    { name: "refunds", rows: 20, failWith: { code: "SOURCE_REFUSED", message: "refused by the test source", afterRows: 5 } },
  ]);
  const jobId = await seed.run(sync._id);
  expect((await seed.waitForJob(jobId)).status).toBe("failed");
  const patched = await seed.api.patch(`/v1/syncs/${sync._id}`, {
    data: { source: { type: "sample", seed: 1, tables: [{ name: "orders", rows: 20 }] } },
  });
  expect(patched.status()).toBe(200);

  await page.goto(`/syncs/${sync._id}`);
  await expect(page.getByText("1 table", { exact: true })).toBeVisible();

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId("rerun-removed")).toHaveText("refunds is no longer part of this sync, so there is nothing to re-run.");
  await expect(page.getByRole("button", { name: /^Re-run/ })).toHaveCount(0);
});
