import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import postgres from "postgres";
import { DATABASE_URL_FILE, SOURCE_URL_FILE, SUPPORT_STATE } from "./support/env";
import { expect, test } from "./support/test";

/**
 * An admin sets a postgres sync up in the browser against the test server's second database
 * (e2e/support/source-db.ts), runs it, edits it, disables it and deletes it.
 */
const uid = () => Math.random().toString(36).slice(2, 8);

async function noSeriousA11yIssues(page: Page, where: string) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    // Only violations are read, so axe need not collect and serialise every passing node.
    .options({ resultTypes: ["violations"] })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    ),
    `${where}: axe`,
  ).toEqual([]);
}
const scrollWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

test("an admin creates a postgres sync in the wizard, runs it, edits, disables and deletes it", async ({ page, seed }) => {
  // One long journey: 3–4 minutes on this shared 2-core machine under a load of ~25, far less idle.
  test.setTimeout(360_000);
  const source = new URL(fs.readFileSync(SOURCE_URL_FILE, "utf8"));
  const integration = await seed.integration("wizard");
  const name = `Shop source ${uid()}`;
  const schema = `wh_wiz_${uid()}`;

  await page.goto(`/integrations/${integration._id}`);
  await page.getByRole("link", { name: "New sync" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/syncs/new\\?integration=${integration._id}`));
  await expect(page.getByLabel("Integration", { exact: true })).toHaveValue(integration._id);
  await page.getByLabel("Sync name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByRole("radio", { name: /PostgreSQL database/ })).toBeChecked();
  await page.getByRole("button", { name: "Next" }).click();

  // Connection: a wrong password is refused in plain words and blocks the way on.
  await page.getByLabel("Host", { exact: true }).fill(source.hostname);
  await page.getByLabel("Port", { exact: true }).fill(source.port);
  await page.getByLabel("Database", { exact: true }).fill(source.pathname.slice(1));
  await page.getByLabel("User", { exact: true }).fill(decodeURIComponent(source.username));
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Test connection" }).click();
  const checks = page.getByRole("list", { name: "Connection checks" });
  await expect(checks.locator('[data-check="credentials"]')).toHaveAttribute("data-state", "failed");
  await expect(checks).toContainText(`The password for user ${decodeURIComponent(source.username)} was refused.`);
  await expect(checks).not.toContainText("not-the-password");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The connection test failed" })).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(decodeURIComponent(source.password));
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("Every check passed.")).toBeVisible();
  await expect(checks.locator('[data-state="passed"]')).toHaveCount(4);
  await page.getByRole("button", { name: "Next" }).click();

  // Discovery lists the source's tables with their keys and suggested cursor columns.
  const tables = page.getByRole("list", { name: "Tables" });
  await expect(tables.locator("[data-table]")).toHaveCount(4);
  await expect(tables).toContainText("customers");
  await expect(tables).toContainText("~500 rows");
  await page.getByLabel("Sync table customers", { exact: true }).check();
  await page.getByLabel("Sync table orders", { exact: true }).check();
  await expect(page.getByLabel("Key column of customers", { exact: true })).toHaveValue("id");
  await expect(page.getByLabel("Cursor column of customers", { exact: true })).toHaveValue("updated_at");
  await expect(page.getByLabel("Cursor column of orders", { exact: true })).toHaveValue("modified_at");
  // A primary key of two columns is offered whole, and picked.
  await page.getByLabel("Sync table order_lines", { exact: true }).check();
  const lineKey = page.getByLabel("Key column of order_lines", { exact: true });
  await expect(lineKey).toHaveValue(JSON.stringify(["order_id", "line"]));
  await expect(lineKey.locator("option:checked")).toHaveText("order_id + line — primary key");
  await page.getByLabel("Sync table notes", { exact: true }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Each picked table needs a key column" })).toBeVisible();
  await page.getByLabel("Sync table notes", { exact: true }).uncheck();

  // The step that has the most on it fits a phone and reads well to assistive tech.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  await noSeriousA11yIssues(page, "wizard tables step");
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByLabel("Warehouse schema", { exact: true }).fill(schema);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByLabel("Run this sync on a schedule", { exact: true })).not.toBeChecked();
  await page.getByRole("button", { name: "Next" }).click();

  await expect(page.getByText("Password: set")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(decodeURIComponent(source.password) + "@");
  await page.getByRole("button", { name: "Create sync" }).click();
  await expect(page).toHaveURL(/\/syncs\/[0-9a-f]{24}$/);
  const syncId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // The configuration shows what was set up; the credentials only as "set".
  const config = page.locator("section", { has: page.getByRole("heading", { name: "Configuration", exact: true }) });
  await expect(config).toContainText("PostgreSQL");
  await expect(config).toContainText("The app's own database");
  await expect(page.getByRole("list", { name: "Configured tables" })).toContainText("cursor updated_at");
  const view = await seed.api.get(`/v1/syncs/${syncId}`);
  expect(await view.text()).not.toContain(decodeURIComponent(source.password) + "@");

  await page.getByRole("button", { name: `Run ${name}` }).click();
  await expect
    .poll(async () => (await seed.latestJobs(integration._id)).find((j) => j._syncId === syncId)?.status, { timeout: 30_000 })
    .toBe("completed");
  await expect(page.locator("h1").getByText("Completed")).toBeVisible();
  const warehouse = postgres(fs.readFileSync(DATABASE_URL_FILE, "utf8"), { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await warehouse.unsafe<{ n: number }[]>(`select count(*)::int as n from ${schema}.customers`);
    expect(n).toBe(500);
    const [{ lines }] = await warehouse.unsafe<{ lines: number }[]>(`select count(*)::int as lines from ${schema}.order_lines`);
    expect(lines).toBe(120);
    await expect(page.getByRole("list", { name: "Configured tables" })).toContainText("key order_id + line");

    // Edit: rename, and drop a table through discovery with the stored credentials.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.getByLabel("Sync name", { exact: true }).fill(`${name} renamed`);
    await page.getByRole("button", { name: "Change tables" }).click();
    await expect(page.getByLabel("Sync table orders", { exact: true })).toBeChecked();
    await page.getByLabel("Sync table orders", { exact: true }).uncheck();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText(`Saved ${name} renamed`)).toBeVisible();
    await expect(page.locator("h1")).toContainText(`${name} renamed`);
    await expect(page.getByRole("list", { name: "Configured tables" })).not.toContainText("orders");
    const edited = await (await seed.api.get(`/v1/syncs/${syncId}`)).json();
    expect(edited).toMatchObject({
      name: `${name} renamed`,
      tables: ["customers", "order_lines"],
      source: {
        type: "postgres",
        hasCredentials: true,
        tables: [{ name: "customers" }, { name: "order_lines", primaryKey: ["order_id", "line"] }],
      },
    });

    // From the keyboard: the focus stays on the button, which now offers the way back.
    await page.getByRole("button", { name: "Disable" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByText(`${name} renamed is disabled`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Enable" })).toBeFocused();
    expect((await (await seed.api.get(`/v1/syncs/${syncId}`)).json()).disabled).toBe(true);

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("job history, errors, checkpoints and schedule");
    await expect(dialog).toContainText(`The warehouse tables in schema ${schema} are kept untouched.`);
    await dialog.getByRole("button", { name: "Delete sync" }).click();
    await expect(page).toHaveURL(new RegExp(`/integrations/${integration._id}$`));
    expect((await seed.api.get(`/v1/syncs/${syncId}`)).status()).toBe(404);
    // Back to the deleted sync's page: it says the sync is gone instead of showing it from the cache with its buttons.
    await page.goBack();
    await expect(page.getByText("This sync does not exist (any more)")).toBeVisible();
    await expect(page.getByRole("button", { name: `Run ${name} renamed` })).toHaveCount(0);
    const [{ kept }] = await warehouse.unsafe<{ kept: number }[]>(`select count(*)::int as kept from ${schema}.customers`);
    expect(kept).toBe(500);
  } finally {
    await warehouse.end({ timeout: 5 });
  }
});

test("a support user sees the configuration but no control to change it", async ({ browser, seed }) => {
  const integration = await seed.integration("wizard-support");
  const sync = await seed.sync(integration._id, [{ name: "customers", rows: 10 }]);
  const context = await browser.newContext({ storageState: SUPPORT_STATE });
  const page = await context.newPage();
  try {
    await page.goto(`/syncs/${sync._id}`);
    await expect(page.getByRole("list", { name: "Configured tables" })).toContainText("customers");
    for (const label of ["Edit", "Disable", "Delete"]) await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
    await page.goto(`/integrations/${integration._id}`);
    await expect(page.getByRole("heading", { name: integration.name })).toBeVisible();
    for (const label of ["Rename", "Delete"]) await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
    await page.goto("/syncs/new");
    await expect(page.getByText("Only admins can create syncs")).toBeVisible();
  } finally {
    await context.close();
  }
});

test("an admin renames an integration and deletes it with its syncs", async ({ page, seed }) => {
  const integration = await seed.integration("wizard-int");
  await seed.sync(integration._id, [{ name: "customers", rows: 10 }]);
  await page.goto(`/integrations/${integration._id}`);
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  const renamed = `${integration.name} renamed`;
  await page.getByRole("dialog").getByLabel("Name", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.locator("h1")).toHaveText(renamed);

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("and its 1 sync, with their job history, errors, checkpoints and schedules");
  await expect(dialog).toContainText("Warehouse tables the syncs loaded are kept untouched.");
  await dialog.getByRole("button", { name: "Delete integration" }).click();
  await expect(page).toHaveURL(/\/$/);
  expect((await seed.api.get(`/v1/integrations/${integration._id}`)).status()).toBe(404);
});

test("the wizard shows the API's validation message at the field, and creates a sample sync", async ({ page, seed }) => {
  const integration = await seed.integration("wizard-sample");
  await page.goto("/syncs/new");
  await page.getByLabel("Integration", { exact: true }).selectOption(integration._id);
  await page.getByLabel("Sync name", { exact: true }).fill(`Sample ${uid()}`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("radio", { name: /Sample data/ }).check();
  await page.getByLabel("Rows", { exact: true }).fill("200");
  await page.getByLabel("Change rate", { exact: true }).fill("2");
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Next" }).click(); // destination, schedule, review
  await page.getByRole("button", { name: "Create sync" }).click();

  // Back on the source step, with the API's words under the field at fault.
  const changeRate = page.getByLabel("Change rate", { exact: true });
  await expect(changeRate).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#sample-0-changeRate-error")).toContainText("<=1");
  await changeRate.fill("0.1");
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Create sync" }).click();
  await expect(page).toHaveURL(/\/syncs\/[0-9a-f]{24}$/);
  await expect(page.getByRole("list", { name: "Configured tables" })).toContainText("change rate 0.1");
});

test("a refused Next marks every missing field of the step and focuses the first; a fixed field's message goes at once", async ({
  page,
  seed,
}) => {
  const integration = await seed.integration("wizard-invalid");
  await page.goto("/syncs/new");
  await page.getByLabel("Integration", { exact: true }).selectOption("__new");
  await page.getByRole("button", { name: "Next" }).click();
  const integrationName = page.getByLabel("New integration name");
  const syncName = page.getByLabel("Sync name", { exact: true });
  // Both at once (it was one per press, in an alert tied to neither field).
  await expect(integrationName).toHaveAttribute("aria-invalid", "true");
  await expect(integrationName).toHaveAccessibleDescription("Name the new integration.");
  await expect(syncName).toHaveAttribute("aria-invalid", "true");
  await expect(syncName).toHaveAccessibleDescription("Give the sync a name.");
  await expect(integrationName).toBeFocused();
  await integrationName.fill("Not created");
  await expect(integrationName).not.toHaveAttribute("aria-invalid");
  await expect(syncName).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Integration", { exact: true }).selectOption(integration._id);
  await syncName.fill(`Cron ${uid()}`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("radio", { name: /Sample data/ }).check();
  for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Next" }).click(); // destination, schedule
  await page.getByLabel("Run this sync on a schedule").check();
  const cron = page.getByLabel("Cron expression");
  await cron.fill("every hour");
  await page.getByRole("button", { name: "Next" }).click();
  const stale = page.getByRole("alert").filter({ hasText: "The cron expression is not valid." });
  await expect(stale).toBeVisible();
  await expect(cron).toBeFocused();
  // Fixed: the alert goes with the problem, not on the next press.
  await cron.fill("*/30 * * * *");
  await expect(stale).toHaveCount(0);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByRole("button", { name: "Create sync" })).toBeVisible();
  // The daily preset reads as daily on the review (it was "At 02:00").
  await page.getByRole("button", { name: "Back", exact: true }).click();
  await page.getByText("Daily", { exact: true }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/^Every day at 02:00 \(/)).toBeVisible();
});

test("changing a table's key in Edit warns that it needs a full resync, and the saved toast offers one", async ({ page, seed }) => {
  const integration = await seed.integration("wizard-rekey");
  const created = await seed.api.post("/v1/syncs", {
    data: {
      _integrationId: integration._id,
      name: `Rekey ${uid()}`,
      source: {
        type: "postgres",
        url: fs.readFileSync(SOURCE_URL_FILE, "utf8"),
        schema: "public",
        tables: [{ name: "customers", primaryKey: "id", cursorColumn: "updated_at" }],
      },
      destination: { type: "postgres", schema: `wh_rekey_${uid()}` },
    },
  });
  expect(created.status()).toBe(201);
  const sync = (await created.json()) as { _id: string; name: string };

  await page.goto(`/syncs/${sync._id}`);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("button", { name: "Change tables" }).click();
  const key = page.getByLabel("Key column of customers", { exact: true });
  await expect(key).toHaveValue("id");
  const warning = page.getByTestId("key-change-warning");
  await expect(warning).toHaveCount(0);
  await key.selectOption("email");
  // Said before saving (it saved silently, and the next run failed with PRIMARY_KEY_CHANGED).
  await expect(warning).toContainText("The key of customers changes from id to email");
  await expect(warning).toContainText("run a Full resync");
  await page.getByRole("button", { name: "Save changes" }).click();
  const saved = page.locator("[data-sonner-toast]").filter({ hasText: `Saved ${sync.name}` });
  await expect(saved).toContainText("Run a Full resync of customers to rebuild it on the new key");
  await saved.getByRole("button", { name: "Full resync" }).click();
  await expect(page.getByText(`Full resync of 1 table queued for ${sync.name}`)).toBeVisible();
});

test("a pasted connection URL and a typed password stay hidden until shown, and the URL still connects", async ({ page, seed }) => {
  const source = new URL(fs.readFileSync(SOURCE_URL_FILE, "utf8"));
  const integration = await seed.integration("wizard-secret");
  await page.goto(`/syncs/new?integration=${integration._id}`);
  await page.getByLabel("Sync name", { exact: true }).fill(`Secret ${uid()}`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();

  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Connection URL" }).click();
  const url = page.getByLabel("Connection URL", { exact: true });
  await url.fill(source.toString());
  // Dots on the screen: the browser does not draw the value of a password box.
  await expect(url).toHaveAttribute("type", "password");
  const show = page.getByRole("button", { name: "Show connection url" });
  await expect(show).toHaveAttribute("aria-pressed", "false");
  await show.click();
  await expect(url).toHaveAttribute("type", "text");
  await expect(url).toHaveValue(source.toString());
  await page.getByRole("button", { name: "Hide connection url" }).click();
  await expect(url).toHaveAttribute("type", "password");

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("Every check passed.")).toBeVisible();
  await noSeriousA11yIssues(page, "connection step with a hidden URL");
});

test("a table without a primary key can be keyed on several columns ticked together", async ({ page, seed }) => {
  const source = new URL(fs.readFileSync(SOURCE_URL_FILE, "utf8"));
  const integration = await seed.integration("wizard-composite");
  await page.goto(`/syncs/new?integration=${integration._id}`);
  await page.getByLabel("Sync name", { exact: true }).fill(`Notes ${uid()}`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Connection URL" }).click();
  await page.getByLabel("Connection URL", { exact: true }).fill(source.toString());
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("Every check passed.")).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByLabel("Sync table notes", { exact: true }).check();
  await page.getByLabel("Key column of notes", { exact: true }).selectOption({ label: "Several columns together…" });
  const columns = page.getByRole("group", { name: /Key columns of notes/ });
  await expect(columns).toContainText("0 of at most 8");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("Tick the columns that together identify a row")).toBeVisible();
  await page.getByLabel("Key column body of notes", { exact: true }).check();
  await page.getByLabel("Key column id of notes", { exact: true }).check();
  await expect(columns).toContainText("2 of at most 8");
  await noSeriousA11yIssues(page, "several key columns");
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByLabel("Warehouse schema", { exact: true }).fill(`wh_notes_${uid()}`);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Next" }).click();
  // In the table's column order, whatever order they were ticked in.
  await expect(page.locator("main")).toContainText("key id + body");
  await page.getByRole("button", { name: "Create sync" }).click();
  await expect(page).toHaveURL(/\/syncs\/[0-9a-f]{24}$/);
  const syncId = page.url().split("/").pop()!;
  await expect(page.getByRole("list", { name: "Configured tables" })).toContainText("key id + body");
  const view = await (await seed.api.get(`/v1/syncs/${syncId}`)).json();
  expect(view.source.tables).toEqual([expect.objectContaining({ name: "notes", primaryKey: ["id", "body"] })]);
});
