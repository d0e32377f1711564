import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { runToEnd } from "../helpers/fixtures";
import { plainDatabase } from "../helpers/plain-db";

/** A sync from a user's database to a user's warehouse, set up and run over HTTP, as a program would. */
let source: Awaited<ReturnType<typeof plainDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;

beforeAll(async () => {
  [source, warehouse] = await Promise.all([plainDatabase("apisrc"), plainDatabase("apiwh")]);
  await source.sql`create table products (id int primary key, title varchar(20) not null, stock int)`;
  await source.sql`insert into products select g, 'p' || g, g from generate_series(1, 50) g`;
});
afterAll(async () => {
  await Promise.all([source?.drop(), warehouse?.drop()]);
});

describe("a sync into a warehouse of the user's own", () => {
  it("hides the warehouse url, loads into it, and shows schema changes in the family", async () => {
    const integration = await api("POST", "/v1/integrations", { body: { name: "own warehouse" } });
    const created = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integration.body._id,
        name: "products to my warehouse",
        source: { type: "postgres", url: source.url, tables: [{ name: "products", primaryKey: "id" }] },
        destination: { type: "postgres", schema: "analytics", url: warehouse.url },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.destination).toEqual({ type: "postgres", schema: "analytics", hasCredentials: true });
    expect(created.body.schemaChanges).toBe("propagate");
    expect(created.text).not.toContain(new URL(warehouse.url).pathname.slice(1));

    const first = await runToEnd(created.body._id);
    expect(first).toMatchObject({ status: "completed", numExtractedRecords: 50 });
    const [{ n }] = await warehouse.sql`select count(*)::int as n from analytics.products`;
    expect(n).toBe(50);

    await source.sql`alter table products add column price numeric(10,2), alter column stock type bigint`;
    const second = await runToEnd(created.body._id);
    expect(second.status).toBe("completed");
    expect(second.tables[0].schemaChanges).toEqual([
      { column: "stock", change: "widened", from: "integer", to: "bigint" },
      { column: "price", change: "added", to: "numeric(10,2)" },
    ]);

    // A view on the warehouse table, 10 rows deleted at the source, then a resync: the view still answers.
    await warehouse.sql`create view analytics.low_stock as select id, stock from analytics.products where stock < 10`;
    await source.sql`delete from products where id > 40`;
    const resync = await runToEnd(created.body._id, { runType: "resync" });
    expect(resync).toMatchObject({ status: "completed", numExtractedRecords: 40, numDeletedRecords: 10 });
    const [{ low }] = await warehouse.sql`select count(*)::int as low from analytics.low_stock`;
    expect(low).toBe(9);

    // Editing without the url keeps the stored warehouse; the response still hides it.
    const patched = await api("PATCH", `/v1/syncs/${created.body._id}`, {
      body: { destination: { type: "postgres", schema: "analytics" } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.destination).toEqual({ type: "postgres", schema: "analytics", hasCredentials: true });
  });

  it("refuses a bad schema-change policy, naming the field", async () => {
    const integration = await api("POST", "/v1/integrations", { body: { name: "bad policy" } });
    const res = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integration.body._id,
        name: "bad",
        source: { type: "sample", tables: [{ name: "t", rows: 1 }] },
        schemaChanges: "ignore",
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe("schemaChanges");
  });
});
