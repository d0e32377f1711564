import { type APIRequestContext, expect, test } from "@playwright/test";
import { computeNextRun } from "../lib/scheduler/next-run";
import { ADMIN_STATE, ADMIN_TOKEN, SUPPORT_STATE } from "./support/env";

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const uid = () => Math.random().toString(36).slice(2, 8);

const seeded: string[] = [];

/** Each test seeds its own sync over the API (with or without a schedule); removed after the test. */
async function seedSync(request: APIRequestContext, schedule?: { cron: string; timezone: string; enabled: boolean }) {
  const integration = await request.post("/v1/integrations", { headers: auth, data: { name: `e2e-sched-${uid()}` } });
  expect(integration.status()).toBe(201);
  const integrationId = (await integration.json())._id as string;
  seeded.push(integrationId);
  const sync = await request.post("/v1/syncs", {
    headers: auth,
    data: {
      _integrationId: integrationId,
      name: `Scheduled ${uid()}`,
      source: { type: "sample", seed: 1, tables: [{ name: "customers", rows: 5 }] },
      ...(schedule ? { schedule } : {}),
    },
  });
  expect(sync.status()).toBe(201);
  return (await sync.json())._id as string;
}

test.afterEach(async ({ request }) => {
  // Deleting the integration removes its syncs and their schedules.
  for (const id of seeded.splice(0)) await request.delete(`/v1/integrations/${id}`, { headers: auth });
});

test.describe("schedule editor (admin)", () => {
  test.use({ storageState: ADMIN_STATE });

  test("pick a weekly preset in a time zone, preview the next runs, save, and find it after a reload", async ({ page, request }) => {
    const syncId = await seedSync(request);
    await page.goto(`/syncs/${syncId}`);
    const editor = page.getByRole("region", { name: "Schedule" });
    await expect(editor.getByText("This sync has no schedule")).toBeVisible();

    await editor.getByText("Weekly", { exact: true }).click();
    await editor.getByLabel("Day", { exact: true }).selectOption({ label: "Wednesday" });
    await editor.getByLabel("At", { exact: true }).fill("07:45");
    const cron = editor.getByLabel("Cron expression");
    await expect(cron).toHaveValue("45 7 * * 3");
    await expect(editor.getByTestId("cron-description")).toHaveText("At 07:45, only on Wednesday");

    await editor.getByLabel("Search time zones").fill("new york");
    await editor.getByLabel("Search time zones").press("Enter");
    await expect(editor.getByLabel("Time zone", { exact: true })).toHaveValue("America/New_York");

    // Five runs, every one a Wednesday at 07:45 New York time; the first is the one croner computes.
    const runs = editor.getByRole("list", { name: "Next runs" }).locator("time");
    await expect(runs).toHaveCount(5);
    for (const text of await runs.allTextContents()) expect(text).toMatch(/^Wed, .* 07:45 (EST|EDT|GMT-[45])$/);
    const expected = computeNextRun("45 7 * * 3", "America/New_York", new Date())!.toISOString();
    await expect(runs.first()).toHaveAttribute("datetime", expected);

    await editor.getByRole("button", { name: "Create schedule" }).click();
    await expect(page.getByText(/Schedule saved/)).toBeVisible();
    await expect(editor.getByTestId("schedule-state")).toHaveText("Active");

    await page.reload();
    const reloaded = page.getByRole("region", { name: "Schedule" });
    await expect(reloaded.getByLabel("Cron expression")).toHaveValue("45 7 * * 3");
    await expect(reloaded.getByRole("radio", { name: "Weekly" })).toBeChecked();
    await expect(reloaded.getByLabel("Time zone", { exact: true })).toHaveValue("America/New_York");
    await expect(reloaded.getByTestId("schedule-next-run").locator("time")).toHaveAttribute("datetime", expected);

    const saved = await (await request.get(`/v1/syncs/${syncId}/schedule`, { headers: auth })).json();
    expect(saved).toMatchObject({ cron: "45 7 * * 3", timezone: "America/New_York", enabled: true, nextRunAt: expected });
  });

  test("explains a custom cron as it is typed, refuses an invalid one, and pauses", async ({ page, request }) => {
    const syncId = await seedSync(request, { cron: "0 */6 * * *", timezone: "UTC", enabled: true });
    await page.goto(`/syncs/${syncId}`);
    const editor = page.getByRole("region", { name: "Schedule" });
    await expect(editor.getByRole("radio", { name: "Every 6 hours" })).toBeChecked();

    const cron = editor.getByLabel("Cron expression");
    await cron.fill("61 * * * *");
    await expect(editor.getByText(/Invalid value for minute: 61/)).toBeVisible();
    await expect(cron).toHaveAttribute("aria-invalid", "true");
    await expect(editor.getByRole("button", { name: "Save schedule" })).toBeDisabled();

    await cron.fill("0 9 * * 1-5");
    await expect(editor.getByTestId("cron-description")).toHaveText("At 09:00, Monday through Friday");
    await expect(editor.getByRole("radio", { name: "Custom" })).toBeChecked();

    await editor.getByRole("switch").click();
    await editor.getByRole("button", { name: "Save schedule" }).click();
    await expect(page.getByText("Schedule saved (paused)")).toBeVisible();

    await page.reload();
    const reloaded = page.getByRole("region", { name: "Schedule" });
    await expect(reloaded.getByTestId("schedule-state")).toHaveText("Paused");
    await expect(reloaded.getByRole("switch")).toHaveAttribute("aria-checked", "false");
    await expect(reloaded.getByLabel("Cron expression")).toHaveValue("0 9 * * 1-5");
  });
});

test.describe("schedule editor (support)", () => {
  test.use({ storageState: SUPPORT_STATE });

  test("shows the schedule read-only", async ({ page, request }) => {
    const syncId = await seedSync(request, { cron: "30 2 * * *", timezone: "Europe/Berlin", enabled: true });
    await page.goto(`/syncs/${syncId}`);
    const editor = page.getByRole("region", { name: "Schedule" });
    await expect(editor.getByText("At 02:30")).toBeVisible();
    await expect(editor.getByText("Europe/Berlin", { exact: true })).toBeVisible();
    await expect(editor.getByRole("list", { name: "Next runs" }).locator("time")).toHaveCount(5);
    await expect(editor.getByLabel("Cron expression")).toHaveCount(0);
    await expect(editor.getByRole("button", { name: /save|create|remove/i })).toHaveCount(0);
  });
});
