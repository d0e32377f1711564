import fs from "node:fs";
import { createRequire } from "node:module";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { ADMIN_STATE } from "./support/env";
import { expect as baseExpect, test } from "./support/test";

// Pages on a busy 2-core machine can take longer than the default 20 s to settle.
const expect = baseExpect.configure({ timeout: 45_000 });

/** A phone: 390 × 844 CSS pixels, touch, as in an iPhone 14. */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1440, height: 900 } };

/**
 * The minified build of the axe-core that @axe-core/playwright itself loads (same version, same
 * rules): half the size of its default unminified source, so injecting it into a page costs half.
 */
const AXE_SOURCE = fs.readFileSync(createRequire(require.resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js"), "utf8");

/** No sideways scrolling of the page itself, and axe finds nothing serious or critical. */
async function check(page: Page, testInfo: TestInfo, name: string, phone: boolean) {
  const label = `${name}-${phone ? "phone" : "desktop"}`;
  fs.mkdirSync("test-results/screenshots", { recursive: true });
  // One image pixel per CSS pixel (the phone's 2× device pixels would make 4× the pixels to encode).
  const shot = await page.screenshot({ fullPage: true, scale: "css", path: `test-results/screenshots/${label}.png` });
  await testInfo.attach(`${label}.png`, { body: shot, contentType: "image/png" });
  if (phone) {
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(width, `${name}: page width at 390 px`).toBeLessThanOrEqual(390);
  }
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    // Only violations are read, so axe need not collect and serialise every passing node.
    .options({ resultTypes: ["violations"] })
    // axe.run() in the page itself. The default runs axe.runPartial(), which serialises every node
    // of every rule (resultTypes is applied only afterwards), then finishes in a second, blank page:
    // about twice the time per page here, for the same findings on every page checked (compared
    // page by page); it exists for cross-origin iframes, and these pages have no frames.
    .setLegacyMode()
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join("\n  ")}`,
    ),
    `${label}: accessibility violations`,
  ).toEqual([]);
}

for (const [device, options] of [
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const) {
  test(`every page fits and passes axe on a ${device}`, async ({ browser, seed }, testInfo) => {
    // Many pages, each with an axe run: minutes on a busy 2-core machine.
    test.setTimeout(600_000);
    const phone = device === "phone";
    const integration = await seed.integration("mobile");
    const sync = await seed.sync(
      integration._id,
      [
        { name: "customers_with_a_rather_long_table_name", rows: 400, badRecordRate: 0.02 },
        {
          name: "ledger",
          rows: 100,
          failWith: { code: "SOURCE_REFUSED", message: "the source refused the export of this table after twenty rows", afterRows: 20 },
        },
      ],
      { name: "A sync with a fairly long name to see how it wraps" },
    );
    await seed.sync(integration._id, [{ name: "products", rows: 20 }], { name: "Never run" });
    const jobId = await seed.run(sync._id);
    await seed.waitForJob(jobId);

    const context = await browser.newContext({ ...options, storageState: ADMIN_STATE });
    const page = await context.newPage();

    await page.goto("/");
    await expect(page.getByTestId("failure-row").first()).toBeVisible();
    await check(page, testInfo, "overview", phone);
    if (phone) {
      // The header keeps Sign out one tap away.
      await page.getByRole("button", { name: "Menu" }).click();
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      await check(page, testInfo, "overview-menu", phone);
      await page.keyboard.press("Escape");
    }

    await page.goto(`/integrations/${integration._id}`);
    await expect(page.getByTestId("sync-row")).toHaveCount(2);
    await check(page, testInfo, "integration", phone);

    await page.getByRole("button", { name: /^Integration:/ }).click();
    await expect(page.getByRole("combobox", { name: "Search integrations" })).toBeFocused();
    await check(page, testInfo, "switcher", phone);
    await page.keyboard.press("Escape");

    await page.goto(`/syncs/${sync._id}`);
    await expect(page.getByTestId("sync-table-row")).toHaveCount(2);
    await expect(page.getByTestId("history-row")).toHaveCount(1);
    await check(page, testInfo, "sync", phone);

    await page.goto(`/jobs/${jobId}`);
    await expect(page.getByTestId("table-job-row")).toHaveCount(2);
    await check(page, testInfo, "job", phone);

    await page.goto(`/jobs/${jobId}/errors`);
    await expect(page.getByTestId("error-row").first()).toBeVisible();
    await check(page, testInfo, "errors", phone);

    await page.goto("/settings");
    await expect(page.getByTestId("api-key-row").first()).toBeVisible();
    await check(page, testInfo, "settings", phone);

    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
    await page.locator("details summary").first().click();
    await check(page, testInfo, "api-docs", phone);

    // The new-sync wizard, where it exists.
    const wizard = await page.goto("/syncs/new");
    if (wizard?.status() === 200) {
      await expect(page.locator("main h1")).toBeVisible();
      await check(page, testInfo, "new-sync", phone);
    }
    await context.close();

    const anonymous = await browser.newContext({ ...options, storageState: { cookies: [], origins: [] } });
    const signIn = await anonymous.newPage();
    await signIn.goto("/");
    await expect(signIn.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await check(signIn, testInfo, "sign-in", phone);
    await anonymous.close();
  });
}
