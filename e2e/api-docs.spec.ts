import { expect, test } from "./support/test";

test("the API reference lists every operation with readable types and examples", async ({ page, request }) => {
  const doc = await (await request.get("/v1/openapi.json")).json();
  const count = Object.values(doc.paths as Record<string, Record<string, unknown>>).reduce((n, ops) => n + Object.keys(ops).length, 0);

  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.getByTestId("api-operation")).toHaveCount(count);

  // Open everything, then read the page as a person would.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/ & object|\[object Object\]|undefined/);
  for (const section of ["Users", "Live events", "API keys", "Sync jobs"]) {
    await expect(page.getByRole("heading", { name: section, exact: true })).toBeVisible();
  }

  const run = page.locator("details#runSync");
  await expect(run).toContainText("Example request (application/json)");
  await expect(run).toContainText('"runType": "resync"');
  await expect(run).toContainText("Example response 200");
  // A described reference reads as its name, not as an intersection.
  await expect(run.getByText("RunType", { exact: true }).first()).toBeVisible();

  const events = page.locator("details#streamEvents");
  await expect(events).toContainText("text/event-stream");
  await expect(events).toContainText("event: ready");

  const patchSync = page.locator("details#updateSync");
  await expect(patchSync).toContainText("object or null");
  await expect(patchSync).toContainText('an object with type = "sample"');
  // A summary is plain text (OpenAPI): no Markdown backticks in it; the description's render as code.
  await expect(patchSync.locator("summary").first()).toContainText("Update, rename, disable or enable a sync");
  expect(await patchSync.innerText()).not.toContain("`");
  await expect(patchSync.locator("code", { hasText: '{"disabled": true}' })).toBeVisible();

  // Long example lines scroll inside their block; the page itself does not widen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
});
