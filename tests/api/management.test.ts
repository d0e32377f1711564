import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { checkpoints, syncJobs, syncs } from "../../db/schema";
import { integrationList, integrationSchema, syncList, syncSchema } from "../../lib/contracts/management";
import { cancelJob } from "../../lib/jobs/cancel";
import { triggerRun } from "../../lib/jobs/trigger";
import { storedSyncConfig } from "../../lib/syncs/stored-config";
import { api, waitFor } from "../helpers/api";
import { testDb } from "../helpers/fixtures";

const uid = () => randomBytes(4).toString("hex");
const SECRET = `pw_${uid()}_never_shown`;
const PG_URL = `postgres://reader:${SECRET}@127.0.0.1:5432/shop`;

const sampleSource = (tables: { name: string; rows: number; [k: string]: unknown }[] = [{ name: "customers", rows: 10 }]) => ({
  type: "sample",
  seed: 7,
  tables,
});

async function newIntegration(name = `int-${uid()}`) {
  const res = await api("POST", "/v1/integrations", { body: { name } });
  expect(res.status, res.text).toBe(201);
  return res.body as { _id: string; name: string; [k: string]: any };
}

async function newSync(integrationId: string, extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/syncs", {
    body: {
      _integrationId: integrationId,
      name: `sync-${uid()}`,
      source: sampleSource(),
      destination: { type: "postgres", schema: `wh_m_${uid()}` },
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { _id: string; [k: string]: any };
}

/** Each error is a 4xx envelope naming the field; a 5xx from input is always a bug. */
function expectError(res: { status: number; body: any; text: string }, status: number, field?: string, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(Array.isArray(res.body?.errors), res.text).toBe(true);
  const [err] = res.body.errors;
  expect(typeof err.message).toBe("string");
  expect(err.message).not.toMatch(/\n\s+at /); // no stack traces
  if (field !== undefined) expect(err.field, res.text).toBe(field);
  if (code !== undefined) expect(err.code, res.text).toBe(code);
}

describe("integrations", () => {
  it("creates, lists with sync counts, renames and deletes", async () => {
    const created = await newIntegration("  Shop  ");
    expect(integrationSchema.strict().parse(created)).toMatchObject({ name: "Shop", numSyncs: 0 });

    await newSync(created._id);
    await newSync(created._id);

    const one = await api("GET", `/v1/integrations/${created._id}`);
    expect(one.status).toBe(200);
    expect(one.body.numSyncs).toBe(2);

    const list = await api("GET", "/v1/integrations?limit=200");
    expect(list.status).toBe(200);
    integrationList.parse(list.body);
    expect(list.body.totalCount).toBeGreaterThanOrEqual(1);
    expect(list.body.data.find((i: any) => i._id === created._id)?.numSyncs).toBe(2);

    const renamed = await api("PATCH", `/v1/integrations/${created._id}`, { body: { name: "Shop EU" } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.name).toBe("Shop EU");
    expect(new Date(renamed.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt as string).getTime());

    const del = await api("DELETE", `/v1/integrations/${created._id}`);
    expect(del.status).toBe(204);
    expectError(await api("GET", `/v1/integrations/${created._id}`), 404, "_integrationId", "invalid_ref");
    const syncsLeft = await testDb().select().from(syncs).where(eq(syncs.integrationId, created._id));
    expect(syncsLeft).toHaveLength(0);
  });

  it("paginates the list", async () => {
    for (let i = 0; i < 3; i++) await newIntegration();
    const first = await api("GET", "/v1/integrations?limit=2&offset=0");
    const second = await api("GET", "/v1/integrations?limit=2&offset=2");
    expect(first.body.data).toHaveLength(2);
    expect(first.body.totalCount).toBeGreaterThanOrEqual(3);
    expect(second.body.totalCount).toBe(first.body.totalCount);
    const ids = new Set([...first.body.data, ...second.body.data].map((i: any) => i._id));
    expect(ids.size).toBe(first.body.data.length + second.body.data.length);
  });
});

describe("syncs", () => {
  it("creates a sync with a schedule and reads it back", async () => {
    const integ = await newIntegration();
    const created = await newSync(integ._id, {
      source: sampleSource([
        { name: "customers", rows: 50, changeRate: 0.02 },
        { name: "orders", rows: 20, failWith: { code: "PLATFORM_ERROR", message: "no", afterRows: 5 } },
      ]),
      schedule: { cron: "0 */4 * * *", timezone: "Europe/Berlin" },
    });
    const view = syncSchema.strict().parse(created);
    expect(view._integrationId).toBe(integ._id);
    expect(view.tables).toEqual(["customers", "orders"]);
    expect(view.disabled).toBe(false);
    expect(view.schedule).toMatchObject({ cron: "0 */4 * * *", timezone: "Europe/Berlin", enabled: true, lastRunAt: null });
    // The scheduler's rules compute the next slot: in the future, at a whole hour.
    const next = new Date(view.schedule!.nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCMinutes()).toBe(0);

    const got = await api("GET", `/v1/syncs/${created._id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
  });

  it("defaults the destination to a schema of its own", async () => {
    const integ = await newIntegration();
    const res = await api("POST", "/v1/syncs", {
      body: { _integrationId: integ._id, name: "no destination", source: sampleSource() },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.destination.type).toBe("postgres");
    expect(res.body.destination.schema).toMatch(/^wh_[0-9a-f]{8}$/);
    expect(res.body.schedule).toBeUndefined();
  });

  it("lists the syncs of one integration, paginated", async () => {
    const integ = await newIntegration();
    const other = await newIntegration();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newSync(integ._id))._id);
    await newSync(other._id);

    const page1 = await api("GET", `/v1/syncs?_integrationId=${integ._id}&limit=2`);
    expect(page1.status, page1.text).toBe(200);
    syncList.parse(page1.body);
    expect(page1.body.totalCount).toBe(3);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await api("GET", `/v1/syncs?_integrationId=${integ._id}&limit=2&offset=2`);
    expect(page2.body.data).toHaveLength(1);
    const seen = [...page1.body.data, ...page2.body.data].map((s: any) => s._id);
    expect(seen.sort()).toEqual([...ids].sort());

    const all = await api("GET", "/v1/syncs?limit=200");
    expect(all.body.totalCount).toBeGreaterThanOrEqual(4);
  });

  it("patches name, disabled, source (tables follow) and schedule", async () => {
    const integ = await newIntegration();
    const sync = await newSync(integ._id, { schedule: { cron: "*/15 * * * *" } });

    const disabled = await api("PATCH", `/v1/syncs/${sync._id}`, { body: { disabled: true, name: "renamed" } });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, name: "renamed" });
    // A disabled sync cannot be run.
    const run = await api("POST", `/v1/syncs/${sync._id}/run`, { body: {} });
    expectError(run, 422, undefined, "invalid_sync");

    const resourced = await api("PATCH", `/v1/syncs/${sync._id}`, {
      body: {
        source: sampleSource([
          { name: "invoices", rows: 3 },
          { name: "customers", rows: 10 },
        ]),
      },
    });
    expect(resourced.status, resourced.text).toBe(200);
    expect(resourced.body.tables).toEqual(["invoices", "customers"]);
    expect(resourced.body.source.tables.map((t: any) => t.name)).toEqual(["invoices", "customers"]);

    const paused = await api("PATCH", `/v1/syncs/${sync._id}`, { body: { schedule: { cron: "0 3 * * *", enabled: false } } });
    expect(paused.body.schedule).toMatchObject({ cron: "0 3 * * *", enabled: false, nextRunAt: null });

    const unscheduled = await api("PATCH", `/v1/syncs/${sync._id}`, { body: { schedule: null } });
    expect(unscheduled.status).toBe(200);
    expect(unscheduled.body.schedule).toBeUndefined();

    const reenabled = await api("PATCH", `/v1/syncs/${sync._id}`, { body: { disabled: false } });
    expect(reenabled.body).toMatchObject({ disabled: false, name: "renamed", tables: ["invoices", "customers"] });
  });

  it("drops the checkpoints a source change makes stale, and keeps the others", async () => {
    const integ = await newIntegration();
    const sync = await newSync(integ._id, {
      source: sampleSource([
        { name: "a", rows: 10 },
        { name: "b", rows: 10 },
        { name: "c", rows: 10 },
      ]),
    });
    const db = testDb();
    await db.insert(checkpoints).values(["a", "b", "c"].map((tableName) => ({ syncId: sync._id, tableName, cursor: { n: 1 } })));
    // b changes, c disappears, a is untouched.
    const res = await api("PATCH", `/v1/syncs/${sync._id}`, {
      body: {
        source: sampleSource([
          { name: "a", rows: 10 },
          { name: "b", rows: 99 },
        ]),
      },
    });
    expect(res.status, res.text).toBe(200);
    const left = await db.select().from(checkpoints).where(eq(checkpoints.syncId, sync._id));
    expect(left.map((c) => c.tableName)).toEqual(["a"]);

    // A new warehouse schema starts from nothing: every checkpoint goes.
    await api("PATCH", `/v1/syncs/${sync._id}`, { body: { destination: { type: "postgres", schema: `wh_m_${uid()}` } } });
    expect(await db.select().from(checkpoints).where(eq(checkpoints.syncId, sync._id))).toHaveLength(0);
  });

  it("refuses two syncs loading the same table into the same schema", async () => {
    const integ = await newIntegration();
    const schema = `wh_m_${uid()}`;
    await newSync(integ._id, { destination: { type: "postgres", schema } });
    const clash = await api("POST", "/v1/syncs", {
      body: { _integrationId: integ._id, name: "clash", source: sampleSource(), destination: { type: "postgres", schema } },
    });
    expectError(clash, 409, "destination.schema", "destination_conflict");
    const otherTables = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integ._id,
        name: "fine",
        source: sampleSource([{ name: "orders", rows: 1 }]),
        destination: { type: "postgres", schema },
      },
    });
    expect(otherTables.status, otherTables.text).toBe(201);
  });
});

describe("credentials are write-only", () => {
  it("never returns a postgres source's url, in any response", async () => {
    const integ = await newIntegration();
    const created = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integ._id,
        name: "from shop db",
        source: {
          type: "postgres",
          url: PG_URL,
          schema: "shop",
          tables: [{ name: "orders", primaryKey: "id", cursorColumn: "updated_at" }],
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.source).toEqual({
      type: "postgres",
      schema: "shop",
      tables: [{ name: "orders", primaryKey: "id", cursorColumn: "updated_at" }],
      hasCredentials: true,
    });
    const id = created.body._id;

    // An edit may leave the url out: the stored one is kept.
    const patched = await api("PATCH", `/v1/syncs/${id}`, {
      body: {
        source: {
          type: "postgres",
          schema: "shop",
          tables: [
            { name: "orders", primaryKey: "id" },
            { name: "items", primaryKey: "id" },
          ],
        },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.tables).toEqual(["orders", "items"]);
    // Kept sealed at rest: the row holds ciphertext, and only the server-side reader opens it.
    const [stored] = await testDb().select().from(syncs).where(eq(syncs.id, id));
    expect((stored.source as { url: string }).url).toMatch(/^sealed:v1:/);
    expect((await storedSyncConfig(testDb(), id)).source).toMatchObject({ url: PG_URL });

    const responses = [
      created,
      patched,
      await api("GET", `/v1/syncs/${id}`),
      await api("GET", `/v1/syncs?_integrationId=${integ._id}`),
      await api("GET", "/v1/syncs?limit=200"),
      await api("GET", `/v1/integrations/${integ._id}`),
      await api("GET", "/v1/integrations?limit=200"),
    ];
    for (const r of responses) {
      expect(r.status).toBeLessThan(300);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toContain("postgres://");
      expect(r.text).not.toMatch(/"url"/);
    }
    // Validation errors do not echo it either.
    const bad = await api("PATCH", `/v1/syncs/${id}`, { body: { source: { type: "postgres", url: PG_URL, tables: [{ name: "BAD" }] } } });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain(SECRET);
  });

  it("asks for a url when a sample source becomes a postgres one", async () => {
    const integ = await newIntegration();
    const sync = await newSync(integ._id);
    const res = await api("PATCH", `/v1/syncs/${sync._id}`, {
      body: { source: { type: "postgres", tables: [{ name: "orders", primaryKey: "id" }] } },
    });
    expectError(res, 400, "source.url");
  });
});

describe("deleting", () => {
  const db = testDb();
  let activeJobId: string | undefined;
  afterAll(async () => {
    if (activeJobId) await cancelJob(db, activeJobId, "test").catch(() => {});
  });

  it("refuses while a job is active, then cascades to syncs and jobs", async () => {
    const integ = await newIntegration();
    const slow = await newSync(integ._id, { source: sampleSource([{ name: "slow", rows: 1_000_000, rowsPerSecond: 50 }]) });
    const idle = await newSync(integ._id);
    const job = await triggerRun(db, { syncId: slow._id, runType: "normal", triggeredBy: "test" });
    activeJobId = job.id;

    const delSync = await api("DELETE", `/v1/syncs/${slow._id}`);
    expectError(delSync, 409, undefined, "sync_job_active");
    expect(delSync.body.errors[0]._syncJobId).toBe(job.id);
    expectError(await api("DELETE", `/v1/integrations/${integ._id}`), 409, undefined, "sync_job_active");
    // Source and destination are frozen while it runs; the name is not.
    expectError(await api("PATCH", `/v1/syncs/${slow._id}`, { body: { source: sampleSource() } }), 409, undefined, "sync_job_active");
    expect((await api("PATCH", `/v1/syncs/${slow._id}`, { body: { name: "still slow" } })).status).toBe(200);
    // The other sync is free to go.
    expect((await api("DELETE", `/v1/syncs/${idle._id}`)).status).toBe(204);
    expectError(await api("GET", `/v1/syncs/${idle._id}`), 404, "_syncId", "invalid_ref");

    await cancelJob(db, job.id, "test");
    await waitFor(async () => {
      const [row] = await db.select({ status: syncJobs.status }).from(syncJobs).where(eq(syncJobs.id, job.id));
      return row.status === "canceled" ? true : undefined;
    });
    activeJobId = undefined;

    const sync = await api("GET", `/v1/syncs/${slow._id}`);
    expect(sync.body.latestJob).toMatchObject({ _id: job.id, status: "canceled", runType: "normal" });

    expect((await api("DELETE", `/v1/integrations/${integ._id}`)).status).toBe(204);
    expect(await db.select().from(syncJobs).where(eq(syncJobs.id, job.id))).toHaveLength(0);
    expectError(await api("GET", `/v1/syncs/${slow._id}`), 404, "_syncId", "invalid_ref");
  });
});

describe("bad input is a 4xx naming the field, never a 5xx", () => {
  const validBody = (integrationId: string) => ({
    _integrationId: integrationId,
    name: "ok",
    source: sampleSource(),
    destination: { type: "postgres", schema: `wh_m_${uid()}` },
  });
  const withSource = (id: string, source: unknown) => ({ ...validBody(id), source });
  const withTable = (id: string, table: unknown) => withSource(id, { type: "sample", tables: [table] });

  it.each<[string, (id: string) => { body?: unknown; raw?: string }, number, string | undefined, string?]>([
    ["malformed JSON", () => ({ raw: '{"name": ' }), 400, undefined, "invalid_json"],
    ["an array body", () => ({ body: [1, 2] }), 400, undefined],
    ["a string body", () => ({ body: "sync" }), 400, undefined],
    ["missing name", (id) => ({ body: { ...validBody(id), name: undefined } }), 400, "name", "missing_required_field"],
    ["blank name", (id) => ({ body: { ...validBody(id), name: "   " } }), 400, "name"],
    ["name of the wrong type", (id) => ({ body: { ...validBody(id), name: 42 } }), 400, "name"],
    ["missing source", (id) => ({ body: { ...validBody(id), source: undefined } }), 400, "source", "missing_required_field"],
    ["unknown source type", (id) => ({ body: withSource(id, { type: "mysql", tables: [] }) }), 400, "source.type"],
    ["no tables", (id) => ({ body: withSource(id, { type: "sample", tables: [] }) }), 400, "source.tables"],
    ["rows as a string", (id) => ({ body: withTable(id, { name: "t", rows: "many" }) }), 400, "source.tables.0.rows"],
    ["negative rows", (id) => ({ body: withTable(id, { name: "t", rows: -1 }) }), 400, "source.tables.0.rows"],
    ["changeRate over 1", (id) => ({ body: withTable(id, { name: "t", rows: 1, changeRate: 2 }) }), 400, "source.tables.0.changeRate"],
    ["unknown field in a table", (id) => ({ body: withTable(id, { name: "t", rows: 1, colour: "red" }) }), 400, "source.tables.0.colour"],
    ["table name not an identifier", (id) => ({ body: withTable(id, { name: "Drop Table", rows: 1 }) }), 400, "source.tables.0.name"],
    [
      "a table listed twice",
      (id) => ({
        body: withSource(id, {
          type: "sample",
          tables: [
            { name: "t", rows: 1 },
            { name: "t", rows: 2 },
          ],
        }),
      }),
      400,
      "source.tables",
    ],
    [
      "postgres source without a primary key",
      (id) => ({ body: withSource(id, { type: "postgres", url: "postgres://x/y", tables: [{ name: "t" }] }) }),
      400,
      "source.tables.0.primaryKey",
    ],
    [
      "reserved destination schema",
      (id) => ({ body: { ...validBody(id), destination: { type: "postgres", schema: "public" } } }),
      400,
      "destination.schema",
    ],
    ["disabled not a boolean", (id) => ({ body: { ...validBody(id), disabled: "no" } }), 400, "disabled"],
    ["unknown top-level field", (id) => ({ body: { ...validBody(id), owner: "me" } }), 400, "owner"],
    ["invalid cron", (id) => ({ body: { ...validBody(id), schedule: { cron: "every day" } } }), 400, "schedule.cron"],
    ["cron minute out of range", (id) => ({ body: { ...validBody(id), schedule: { cron: "61 * * * *" } } }), 400, "schedule.cron"],
    [
      "unknown timezone",
      (id) => ({ body: { ...validBody(id), schedule: { cron: "0 * * * *", timezone: "Mars/Olympus" } } }),
      400,
      "schedule.timezone",
    ],
    [
      "unknown schedule field",
      (id) => ({ body: { ...validBody(id), schedule: { cron: "0 * * * *", enable: false } } }),
      400,
      "schedule.enable",
    ],
    ["malformed _integrationId", (id) => ({ body: { ...validBody(id), _integrationId: "nope" } }), 404, "_integrationId", "invalid_ref"],
    [
      "unknown _integrationId",
      (id) => ({ body: { ...validBody(id), _integrationId: "0123456789abcdef01234567" } }),
      404,
      "_integrationId",
      "invalid_ref",
    ],
    ["_integrationId of the wrong type", (id) => ({ body: { ...validBody(id), _integrationId: 12 } }), 400, "_integrationId"],
  ])("POST /v1/syncs with %s", async (_label, make, status, field, code) => {
    const integ = await newIntegration();
    const { body, raw } = make(integ._id);
    const res = await api(
      "POST",
      "/v1/syncs",
      raw !== undefined ? { rawBody: raw, headers: { "content-type": "application/json" } } : { body },
    );
    expectError(res, status, field, code);
  });

  it("rejects a body over 1 MB with 413", async () => {
    const integ = await newIntegration();
    const res = await api("POST", "/v1/syncs", { body: { ...validBody(integ._id), name: "x".repeat(1_100_000) } });
    expectError(res, 413, undefined, "payload_too_large");
  });

  it.each<[string, string, string, unknown, number, string | undefined]>([
    ["GET", "/v1/syncs/not-an-id", "", undefined, 404, "_syncId"],
    ["GET", "/v1/syncs/0123456789abcdef01234567", "", undefined, 404, "_syncId"],
    // A NUL in the id is refused before any lookup: 400 naming the field, never a 500.
    ["GET", "/v1/syncs/%00%27", "", undefined, 400, "_syncId"],
    ["PATCH", "/v1/syncs/not-an-id", "", { name: "x" }, 404, "_syncId"],
    ["DELETE", "/v1/syncs/0123456789abcdef01234567", "", undefined, 404, "_syncId"],
    ["GET", "/v1/syncs", "?_integrationId=nope", undefined, 404, "_integrationId"],
    ["GET", "/v1/syncs", "?_integrationId=0123456789abcdef01234567", undefined, 404, "_integrationId"],
    ["GET", "/v1/syncs", "?limit=abc", undefined, 400, "limit"],
    ["GET", "/v1/syncs", "?limit=0", undefined, 400, "limit"],
    ["GET", "/v1/syncs", "?offset=-1", undefined, 400, "offset"],
    ["GET", "/v1/integrations", "?limit=100000", undefined, 400, "limit"],
    ["GET", "/v1/integrations/xyz", "", undefined, 404, "_integrationId"],
    ["PATCH", "/v1/integrations/0123456789abcdef01234567", "", { name: "x" }, 404, "_integrationId"],
    ["DELETE", "/v1/integrations/xyz", "", undefined, 404, "_integrationId"],
    ["POST", "/v1/integrations", "", {}, 400, "name"],
    ["POST", "/v1/integrations", "", { name: "" }, 400, "name"],
    ["POST", "/v1/integrations", "", { name: ["a"] }, 400, "name"],
    ["POST", "/v1/integrations", "", { name: "a", extra: 1 }, 400, undefined],
    ["POST", "/v1/apiKeys", "", { name: "k", scopes: ["root"] }, 400, "scopes.0"],
    ["POST", "/v1/apiKeys", "", { name: "k", scopes: [] }, 400, "scopes"],
    ["POST", "/v1/apiKeys", "", { scopes: ["admin"] }, 400, "name"],
    ["POST", "/v1/apiKeys", "", { name: "k", scopes: ["admin"], expiresAt: "tomorrow" }, 400, "expiresAt"],
    ["POST", "/v1/apiKeys", "", { name: "k", scopes: ["admin"], expiresAt: "2001-01-01T00:00:00Z" }, 400, "expiresAt"],
    ["DELETE", "/v1/apiKeys/xyz", "", undefined, 404, "id"],
    ["DELETE", "/v1/apiKeys/0123456789abcdef01234567", "", undefined, 404, "id"],
    ["GET", "/v1/apiKeys/xyz", "", undefined, 404, "id"],
  ])("%s %s%s", async (method, path, query, body, status, field) => {
    expectError(await api(method, `${path}${query}`, { body }), status, field);
  });

  it("rejects bad patches of an existing sync", async () => {
    const integ = await newIntegration();
    const sync = await newSync(integ._id);
    const cases: [unknown, string | undefined][] = [
      [{ disabled: "yes" }, "disabled"],
      [{ name: "" }, "name"],
      [{ tables: ["x"] }, undefined], // tables follow the source; they are not patched directly
      [{ source: { type: "sample", tables: [{ name: "t", rows: 1, bogus: true }] } }, "source.tables.0.bogus"],
      [{ destination: { type: "postgres", schema: "pg_catalog" } }, "destination.schema"],
      [{ schedule: { cron: "0 0 30 2 *" } }, "schedule.cron"], // never matches a date
    ];
    for (const [body, field] of cases) expectError(await api("PATCH", `/v1/syncs/${sync._id}`, { body }), 400, field);
    // Nothing changed.
    const after = await api("GET", `/v1/syncs/${sync._id}`);
    expect(after.body).toMatchObject({ name: sync.name, disabled: false, tables: ["customers"] });
  });
});

describe("GET /v1/openapi.json", () => {
  it("is public and documents the management and job routes with bearer auth", async () => {
    const res = await api("GET", "/v1/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, method] of [
      ["/v1/integrations", "post"],
      ["/v1/integrations/{_integrationId}", "delete"],
      ["/v1/syncs", "get"],
      ["/v1/syncs/{_syncId}", "patch"],
      ["/v1/apiKeys", "post"],
      ["/v1/apiKeys/{id}", "delete"],
      ["/v1/syncs/{_syncId}/run", "post"],
      ["/v1/syncJobs/{_syncJobId}/family", "get"],
      ["/v1/syncs/{_syncId}/schedule", "put"],
    ]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    // Generated from the validating schemas: strictness and field rules show up in the document.
    const create = doc.components.schemas.SyncCreate;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(expect.arrayContaining(["_integrationId", "name", "source"]));
    expect(JSON.stringify(doc.components.schemas.Sync)).not.toContain('"url"');
    expect(doc.components.schemas.ApiKeyCreated.properties?.token ?? JSON.stringify(doc.components.schemas.ApiKeyCreated)).toBeTruthy();
  });
});
