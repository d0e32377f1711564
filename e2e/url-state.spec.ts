import { ADMIN_STATE } from "./support/env";
import { expect as baseExpect, test } from "./support/test";

// Pages on a busy 2-core machine can take longer than the default 20 s to settle.
const expect = baseExpect.configure({ timeout: 45_000 });

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

test("the integration and job pages keep their filters in the URL: reload and Back keep them, a link shares them", async ({
  page,
  seed,
}) => {
  test.setTimeout(180_000);
  const integration = await seed.integration("url filters");
  const broken = await seed.sync(
    integration._id,
    [
      { name: "orders", rows: 50 },
      { name: "refunds", rows: 50, failWith: { code: "SOURCE_REFUSED", message: "refused by the test source", afterRows: 5 } },
    ],
    { name: "Alpha broken" },
  );
  const healthy = await seed.sync(integration._id, [{ name: "invoices", rows: 20 }], { name: "Beta healthy" });
  await seed.sync(integration._id, [{ name: "notes", rows: 5 }], { name: "Gamma healthy" });
  const failedJob = await seed.run(broken._id);
  expect((await seed.waitForJob(failedJob)).status).toBe("failed");
  expect((await seed.waitForJob(await seed.run(healthy._id))).status).toBe("completed");

  await page.goto(`/integrations/${integration._id}`);
  const rows = page.getByTestId("sync-row");
  await expect(rows).toHaveCount(3);
  await page
    .getByRole("group", { name: "Filter syncs by state" })
    .getByRole("button", { name: /^Never run/ })
    .click();
  await expect(page).toHaveURL(/[?&]state=never\b/);
  await expect(rows).toHaveCount(1);
  await page.getByRole("group", { name: "Filter syncs by state" }).getByRole("button", { name: /^All/ }).click();
  await expect(page).not.toHaveURL(/state=/);
  await page.getByRole("searchbox", { name: "Filter syncs by name" }).fill("healthy");
  // The list follows each key; the URL follows once typing pauses.
  await expect(rows).toHaveCount(2);
  await expect(page).toHaveURL(/[?&]q=healthy\b/);
  await page
    .getByRole("group", { name: "Filter syncs by state" })
    .getByRole("button", { name: /^Never run/ })
    .click();
  await expect(page).toHaveURL(/state=never/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Gamma healthy");

  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Filter syncs by name" })).toHaveValue("healthy");
  await expect(page.getByRole("group", { name: "Filter syncs by state" }).getByRole("button", { name: /^Never run/ })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(rows).toHaveCount(1);

  // Away and Back: the same filtered list.
  await rows.first().getByRole("link", { name: "Gamma healthy" }).click();
  await expect(page).toHaveURL(/\/syncs\/[0-9a-f]{24}$/);
  await page.goBack();
  await expect(page.getByRole("searchbox", { name: "Filter syncs by name" })).toHaveValue("healthy");
  await expect(rows).toHaveCount(1);

  // A link to the failed tables of a job, opened fresh: the job page shows only those.
  await page.goto(`/jobs/${failedJob}?status=failed`);
  const tableRows = page.getByTestId("table-job-row");
  await expect(tableRows).toHaveCount(1);
  await expect(tableRows.first()).toContainText("refunds");
  await page.getByRole("group", { name: "Filter tables by status" }).getByRole("button", { name: /^All/ }).click();
  await expect(tableRows).toHaveCount(2);
  await expect(page).not.toHaveURL(/status=/);
  await page.getByRole("searchbox", { name: "Filter tables by name" }).fill("ord");
  await expect(page).toHaveURL(/[?&]q=ord\b/);
  await page.reload();
  await expect(tableRows).toHaveCount(1);
  await expect(tableRows.first()).toContainText("orders");

  // The sync page's job history: a value that is not one of its tabs shows every job, not an error.
  await page.goto(`/syncs/${broken._id}?status=bogus`);
  await expect(page.getByTestId("history-row")).toHaveCount(1);
});

test("an admin opens a sync's audit trail from its page; the filter is in the URL", async ({ page, seed }) => {
  const integration = await seed.integration("audit link");
  const sync = await seed.sync(integration._id, [{ name: "orders", rows: 5 }], { name: "Audited" });
  expect((await seed.api.patch(`/v1/syncs/${sync._id}`, { data: { name: "Audited again" } })).status()).toBe(200);
  await page.goto(`/syncs/${sync._id}`);
  await page.getByRole("link", { name: /audit log/ }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?targetId=${sync._id}$`));
  await expect(page.getByLabel("Object id")).toHaveValue(sync._id);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Action").selectOption("sync.update");
  await expect(page).toHaveURL(/action=sync\.update/);
  await page.reload();
  await expect(page.getByLabel("Action")).toHaveValue("sync.update");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Audited again");
});

test("on a phone, audit events are stacked cards and the runs chart is drawn at the screen's width", async ({ browser, seed }) => {
  test.setTimeout(180_000);
  const integration = await seed.integration("phone layout");
  const sync = await seed.sync(integration._id, [{ name: "orders", rows: 20 }], { name: "Phone layout" });
  expect(
    (
      await seed.api.patch(`/v1/syncs/${sync._id}`, {
        data: { name: "Phone layout, renamed to something long enough to wrap on a narrow screen" },
      })
    ).status(),
  ).toBe(200);
  for (let i = 0; i < 2; i++) await seed.waitForJob(await seed.run(sync._id));

  const context = await browser.newContext({ ...PHONE, storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto(`/audit?targetId=${sync._id}`);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) {
    const box = (await row.boundingBox())!;
    // Inside the screen, no sideways scroller; what changed takes the card's whole width (it was a
    // narrow column of a sideways-scrolled table, which made rows hundreds of pixels tall).
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const changes = (await row.getByRole("cell").last().boundingBox())!;
    expect(changes.width).toBeGreaterThan(320);
  }
  await expect(rows.filter({ hasText: "sync.update" })).toBeVisible();
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);

  await page.goto(`/syncs/${sync._id}`);
  const chart = page.getByRole("img", { name: /^Last 2 runs/ });
  await expect(chart).toBeVisible();
  // One chart unit per CSS pixel: labels and dots are not squeezed to fit the phone.
  await expect
    .poll(() => chart.evaluate((svg: SVGSVGElement) => svg.viewBox.baseVal.width - Math.round(svg.getBoundingClientRect().width)))
    .toBe(0);
  await context.close();
});

test("on a phone, an error's message and its opened details are read at the screen's width, without sideways scrolling", async ({
  browser,
  seed,
}) => {
  const integration = await seed.integration("phone errors");
  const message = "the source refused the export of this table after five rows, try again later";
  const sync = await seed.sync(integration._id, [
    { name: "refunds_with_a_long_table_name", rows: 20, failWith: { code: "SOURCE_REFUSED", message, afterRows: 5 } },
  ]);
  const jobId = await seed.run(sync._id);
  expect((await seed.waitForJob(jobId)).status).toBe("failed");

  const context = await browser.newContext({ ...PHONE, storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto(`/jobs/${jobId}/errors`);
  const row = page.getByTestId("error-row").first();
  const text = row.getByText(message);
  await expect(text).toBeVisible();
  // Everything inside the 390 px screen (the message was in a column far to the right of a table scrolled sideways).
  const inside = async (locator: ReturnType<typeof page.locator>) => {
    for (const el of await locator.all()) {
      const box = (await el.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
  };
  await inside(text);
  await row.getByRole("button", { name: "Show error details" }).click();
  const details = page.locator("dl dd");
  await expect(details.first()).toBeVisible();
  await inside(details);
  await context.close();
});
