import { randomBytes } from "node:crypto";
import net from "node:net";
import { describe, expect, it, inject } from "vitest";
import { api, waitFor } from "../helpers/api";

/** Where a sync's source and warehouse urls may point, checked when the sync is saved. */
const tag = randomBytes(4).toString("hex");
const own = () => new URL(inject("databaseUrl"));

async function integration() {
  const res = await api("POST", "/v1/integrations", { body: { name: `targets-${tag}` } });
  expect(res.status, res.text).toBe(201);
  return res.body._id as string;
}

const syncBody = (integrationId: string, url: string, extra: Record<string, unknown> = {}) => ({
  _integrationId: integrationId,
  name: `targets ${randomBytes(3).toString("hex")}`,
  source: { type: "postgres", url, tables: [{ name: "items", primaryKey: "id" }] },
  destination: { type: "postgres", schema: `wh_tg_${randomBytes(3).toString("hex")}` },
  ...extra,
});

function expect400(res: { status: number; body: any; text: string }, field: string, code?: string) {
  expect(res.status, res.text).toBe(400);
  expect(res.body.errors[0].field, res.text).toBe(field);
  if (code) expect(res.body.errors[0].code).toBe(code);
}

describe("source and warehouse urls", () => {
  it("refuses a malformed url at create and at edit, naming the field, instead of failing every run", async () => {
    const id = await integration();
    for (const bad of [
      "not a url",
      "mysql://u:p@127.0.0.1/db",
      "postgres://",
      "postgres:///nohost",
      "http://example.com/db",
      "postgres://u:%zz@db.example.com/x",
      // Several hosts: the driver would try each, past the checks made on the first.
      `postgres://u:p@x.invalid,localhost:${own().port}/x`,
      `postgres://u:p@x.invalid%2Clocalhost:${own().port}/x`,
      "postgres://u:p@db.example.com:5432,db2.example.com:5432/x",
    ]) {
      expect400(await api("POST", "/v1/syncs", { body: syncBody(id, bad) }), "source.url");
      expect400(
        await api("POST", "/v1/syncs", {
          body: syncBody(id, "postgres://u:p@db.example.com/x", { destination: { type: "postgres", schema: "wh_x", url: bad } }),
        }),
        "destination.url",
      );
    }
    const created = await api("POST", "/v1/syncs", { body: syncBody(id, "postgres://u:p@db.example.com/x") });
    expect(created.status, created.text).toBe(201);
    expect400(
      await api("PATCH", `/v1/syncs/${created.body._id}`, {
        body: { source: { type: "postgres", url: "postgres//typo", tables: [{ name: "items", primaryKey: "id" }] } },
      }),
      "source.url",
    );
    // Nothing was saved by the refused calls: the integration holds only the good sync.
    expect((await api("GET", `/v1/syncs?_integrationId=${id}`)).body.totalCount).toBe(1);
  });

  it("refuses the app's own database, however it is spelled, and allows another database on that server", async () => {
    const id = await integration();
    const db = own().pathname.slice(1);
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      const url = `postgres://intruder:whatever@${host}:${own().port}/${db}`;
      expect400(await api("POST", "/v1/syncs", { body: syncBody(id, url) }), "source.url", "own_database");
      expect400(
        await api("POST", "/v1/syncs", {
          body: syncBody(id, "postgres://u:p@db.example.com/x", { destination: { type: "postgres", schema: "wh_y", url } }),
        }),
        "destination.url",
        "own_database",
      );
    }
    const other = await api("POST", "/v1/syncs", { body: syncBody(id, `postgres://reader:pw@localhost:${own().port}/some_other_db`) });
    expect(other.status, other.text).toBe(201);
    expect400(
      await api("PATCH", `/v1/syncs/${other.body._id}`, {
        body: { source: { type: "postgres", url: inject("databaseUrl"), tables: [{ name: "api_keys", primaryKey: "id" }] } },
      }),
      "source.url",
      "own_database",
    );
  });

  it("records the same words for a refused port and an unknown host, so runs cannot map the network", async () => {
    const id = await integration();
    const closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    const messages: string[] = [];
    for (const url of [`postgres://u:p@127.0.0.1:${closedPort}/x`, `postgres://u:p@no-such-host-${tag}.invalid:5432/x`]) {
      const sync = await api("POST", "/v1/syncs", { body: syncBody(id, url) });
      expect(sync.status, sync.text).toBe(201);
      const run = await api("POST", `/v1/syncs/${sync.body._id}/run`);
      const job = await waitFor(
        async () => {
          const j = await api("GET", `/v1/syncJobs/${run.body._syncJobId}/family`);
          return ["failed", "completed", "canceled"].includes(j.body.status) ? j.body : undefined;
        },
        60_000,
        200,
      );
      expect(job.status).toBe("failed");
      const errors = await api("GET", `/v1/syncJobs/${run.body._syncJobId}/errors`);
      const text = JSON.stringify({ job, errors: errors.body });
      expect(text, text).not.toMatch(/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo/);
      expect(text).not.toContain(String(closedPort));
      messages.push(errors.body[0]?.message ?? job.tables?.[0]?.errorMessage);
    }
    expect(messages[0]).toMatch(/could not be reached/);
    expect(messages[1]).toBe(messages[0]);
  });
});

describe("source names", () => {
  it("takes any Postgres name for a source's schema, tables and columns, and composite keys; refuses the app's own warehouse tables and overlong names", async () => {
    const id = await integration();
    const url = "postgres://u:p@db.example.com/x";
    const withTables = (tables: unknown[], schema?: string) =>
      syncBody(id, url, { source: { type: "postgres", url, ...(schema !== undefined ? { schema } : {}), tables } });
    const created = await api("POST", "/v1/syncs", {
      body: withTables(
        [
          { name: "Order Items", primaryKey: "OrderId", cursorColumn: "updatedAt" },
          { name: "Kunden-Übersicht", primaryKey: "Nr." },
        ],
        "Sales",
      ),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.source).toMatchObject({
      schema: "Sales",
      tables: [
        { name: "Order Items", primaryKey: "OrderId", cursorColumn: "updatedAt" },
        { name: "Kunden-Übersicht", primaryKey: "Nr." },
      ],
    });
    const composite = await api("POST", "/v1/syncs", { body: withTables([{ name: "order_lines", primaryKey: ["order_id", "line"] }]) });
    expect(composite.status, composite.text).toBe(201);
    expect(composite.body.source.tables).toEqual([{ name: "order_lines", primaryKey: ["order_id", "line"] }]);
    expect400(await api("POST", "/v1/syncs", { body: withTables([{ name: "t", primaryKey: ["a", "a"] }]) }), "source.tables.0.primaryKey");
    expect400(await api("POST", "/v1/syncs", { body: withTables([{ name: "t", primaryKey: [] }]) }), "source.tables.0.primaryKey");
    expect400(
      await api("POST", "/v1/syncs", { body: withTables([{ name: "_sync_console_state", primaryKey: "id" }]) }),
      "source.tables.0.name",
    );
    expect400(
      await api("POST", "/v1/syncs", { body: withTables([{ name: "t", primaryKey: "ü".repeat(32) }]) }),
      "source.tables.0.primaryKey",
    );
    expect400(await api("POST", "/v1/syncs", { body: withTables([{ name: "t", primaryKey: "id" }], "") }), "source.schema");
  });
});

describe("one warehouse table, one sync", () => {
  it("sees the same warehouse behind localhost, 127.0.0.1 and ::1, and refuses a second sync loading the same table there", async () => {
    const id = await integration();
    const schema = `wh_tg_${randomBytes(3).toString("hex")}`;
    const at = (host: string) => ({ destination: { type: "postgres", schema, url: `postgres://u:p@${host}:6543/shared_wh` } });
    const first = await api("POST", "/v1/syncs", { body: syncBody(id, "postgres://u:p@db.example.com/x", at("127.0.0.1")) });
    expect(first.status, first.text).toBe(201);
    for (const host of ["localhost", "[::1]", "127.0.0.2"]) {
      expectConflict(await api("POST", "/v1/syncs", { body: syncBody(id, "postgres://u:p@db.example.com/x", at(host)) }));
    }
    const elsewhere = await api("POST", "/v1/syncs", { body: syncBody(id, "postgres://u:p@db.example.com/x", at("db.example.com")) });
    expect(elsewhere.status, elsewhere.text).toBe(201);
  });
});

function expectConflict(res: { status: number; body: any; text: string }) {
  expect(res.status, res.text).toBe(409);
  expect(res.body.errors[0]).toMatchObject({ code: "destination_conflict", field: "destination.schema" });
}

describe("a warehouse that is its own source", () => {
  it("refuses the source's own schema in the source's own database as the warehouse, at create and at edit", async () => {
    const id = await integration();
    const db = "postgres://u:p@db.example.com:5432/shop";
    const into = (schema: string, url = db) => ({ destination: { type: "postgres", schema, url } });
    const withSchema = (schema: string) => ({ type: "postgres", url: db, schema, tables: [{ name: "orders", primaryKey: "id" }] });
    const same = await api("POST", "/v1/syncs", { body: { ...syncBody(id, db, into("sales")), source: withSchema("sales") } });
    expect(same.status, same.text).toBe(400);
    expect(same.body.errors[0]).toMatchObject({ field: "destination.schema", code: "destination_is_source" });
    // The same database under another schema, or the same schema in another database, is a warehouse like any other.
    const other = await api("POST", "/v1/syncs", { body: { ...syncBody(id, db, into("sales_copy")), source: withSchema("sales") } });
    expect(other.status, other.text).toBe(201);
    const edit = await api("PATCH", `/v1/syncs/${other.body._id}`, { body: { destination: { type: "postgres", schema: "sales" } } });
    expect(edit.status, edit.text).toBe(400);
    expect(edit.body.errors[0]).toMatchObject({ field: "destination.schema", code: "destination_is_source" });
    const elsewhere = await api("POST", "/v1/syncs", {
      body: { ...syncBody(id, db, into("sales", "postgres://u:p@db.example.com:5432/dw")), source: withSchema("sales") },
    });
    expect(elsewhere.status, elsewhere.text).toBe(201);
  });
});
