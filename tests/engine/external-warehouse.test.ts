import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { run, tablesOf } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { digest, plainDatabase } from "../helpers/plain-db";

/**
 * A postgres source in one database, the warehouse in another, the control plane in a third:
 * what a user points the product at. Every check reads the warehouse through its own connection.
 */
let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof plainDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;
let worker: Worker;
const COLS = ["id", "name", "qty", "price", "code", "seen_at"];

beforeAll(async () => {
  [app, source, warehouse] = await Promise.all([freshDatabase(), plainDatabase("src"), plainDatabase("wh")]);
  worker = new Worker({ url: app.url, concurrency: 3 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([app?.drop(), source?.drop(), warehouse?.drop()]);
});

async function itemsSync(table: string, schema: string, opts: { schemaChanges?: "propagate" | "fail"; cursor?: boolean } = {}) {
  await source.sql.unsafe(`
    create table ${table} (id int primary key, name varchar(10) not null, qty int, price numeric(8,2), code int, seen_at timestamp not null default '2026-01-01');
    insert into ${table} (id, name, qty, price, code) select g, 'n' || g, g, g * 1.25, g % 7 from generate_series(1, 300) g;`);
  const integration = await createIntegration(app.db, `ext-${table}`);
  return createSync(app.db, {
    _integrationId: integration.id,
    name: `ext ${table}`,
    source: {
      type: "postgres",
      url: source.url,
      tables: [{ name: table, primaryKey: "id", ...(opts.cursor ? { cursorColumn: "seen_at" } : {}) }],
    },
    destination: { type: "postgres", schema, url: warehouse.url },
    schemaChanges: opts.schemaChanges,
  });
}

describe("an external warehouse", () => {
  it("loads into the other database, keeps its account there, and nothing lands in the control plane", async () => {
    const sync = await itemsSync("items_a", "wh_ext_a");
    const job = await run(app.db, app.sql, sync.id);
    expect(job).toMatchObject({ status: "completed", num_extracted_records: 300, num_loaded_records: 300, num_inserted_records: 300 });
    expect(await digest(warehouse.sql, "wh_ext_a.items_a", COLS)).toEqual(await digest(source.sql, "items_a", COLS));
    const [state] = await warehouse.sql`select batches, extracted, loaded from wh_ext_a._sync_console_state`;
    expect(state).toMatchObject({ batches: 1, extracted: "300", loaded: "300" });
    const [{ n }] = await app.sql`select count(*)::int as n from pg_namespace where nspname = 'wh_ext_a'`;
    expect(n).toBe(0);
  });

  it("follows added and widened columns, keeps dropped ones as NULL, and records each change on the table job", async () => {
    const sync = await itemsSync("items_b", "wh_ext_b");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");

    await source.sql.unsafe(`
      alter table items_b add column color text;
      alter table items_b alter column qty type bigint, alter column name type text, alter column price type numeric(12,2), alter column code type numeric;
      alter table items_b drop column seen_at;
      update items_b set color = 'red', qty = 5000000000, name = repeat('x', 40), price = 1234567.89, code = 3.5 where id <= 10;`);
    const job = await run(app.db, app.sql, sync.id);
    expect(job.status).toBe("completed");
    const { items_b } = await tablesOf(app.sql, job.id);
    expect(items_b.schema_changes).toEqual(
      expect.arrayContaining([
        { column: "color", change: "added", to: "text" },
        { column: "qty", change: "widened", from: "integer", to: "bigint" },
        { column: "name", change: "widened", from: "character varying(10)", to: "text" },
        { column: "price", change: "widened", from: "numeric(8,2)", to: "numeric(12,2)" },
        { column: "code", change: "widened", from: "integer", to: "numeric" },
        { column: "seen_at", change: "dropped", from: "timestamp without time zone" },
      ]),
    );
    expect(items_b.schema_changes).toHaveLength(6);
    const cols = ["id", "name", "qty", "price", "code", "color"];
    expect(await digest(warehouse.sql, "wh_ext_b.items_b", cols)).toEqual(await digest(source.sql, "items_b", cols));
    const [{ nulls, kept }] = await warehouse.sql`
      select count(*) filter (where seen_at is null)::int as nulls, count(*) filter (where seen_at is not null)::int as kept from wh_ext_b.items_b`;
    // Rows the run rewrote carry NULL in the dropped column; the others keep their old value.
    expect({ nulls, kept }).toEqual({ nulls: 300, kept: 0 });

    const again = await run(app.db, app.sql, sync.id);
    expect(again.status).toBe("completed");
    expect((await tablesOf(app.sql, again.id)).items_b.schema_changes).toBeNull();
  });

  it("fails an incompatible change with a code naming the column and both types, and alters nothing", async () => {
    const sync = await itemsSync("items_c", "wh_ext_c");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(`alter table items_c alter column code type text using 'c' || code`);
    const job = await run(app.db, app.sql, sync.id);
    expect(job.status).toBe("failed");
    const { items_c } = await tablesOf(app.sql, job.id);
    expect(items_c.error_code).toBe("SCHEMA_CHANGE_INCOMPATIBLE");
    expect(items_c.error_message).toContain('"code"');
    expect(items_c.error_message).toContain("from integer to text");
    expect(items_c.num_attempts).toBe(1);
    const [{ type }] =
      await warehouse.sql`select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'wh_ext_c.items_c'::regclass and attname = 'code'`;
    expect(type).toBe("integer");
  });

  it("with schemaChanges: fail, any change fails the table with SCHEMA_CHANGE and nothing is altered, until a full resync takes it", async () => {
    const sync = await itemsSync("items_d", "wh_ext_d", { schemaChanges: "fail" });
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(`alter table items_d add column color text`);
    const job = await run(app.db, app.sql, sync.id);
    const { items_d } = await tablesOf(app.sql, job.id);
    expect(items_d).toMatchObject({ status: "failed", error_code: "SCHEMA_CHANGE" });
    expect(items_d.error_message).toContain("color added");
    const colorColumns = async () =>
      (
        await warehouse.sql`select count(*)::int as n from pg_attribute where attrelid = 'wh_ext_d.items_d'::regclass and attname = 'color'`
      )[0].n;
    expect(await colorColumns()).toBe(0);
    expect(items_d.error_message).toMatch(/Run a full resync to take the source's columns as they are now/);

    // The way on that the message names: a full resync is asked for by a person, so it takes the change.
    await source.sql.unsafe(`update items_d set color = 'red' where id = 7`);
    const resync = await run(app.db, app.sql, sync.id, "resync");
    expect(resync.status).toBe("completed");
    expect((await tablesOf(app.sql, resync.id)).items_d.schema_changes).toEqual([{ column: "color", change: "added", to: "text" }]);
    expect(await colorColumns()).toBe(1);
    const [row] = await warehouse.sql`select color from wh_ext_d.items_d where id = 7`;
    expect(row.color).toBe("red");
    // Scheduled and manual runs after it go on refusing the next change.
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(`alter table items_d add column size int`);
    expect((await tablesOf(app.sql, (await run(app.db, app.sql, sync.id)).id)).items_d.error_code).toBe("SCHEMA_CHANGE");
  });

  it("a resync keeps views, grants, comments and indexes working, and counts the rows it removed", async () => {
    const sync = await itemsSync("items_e", "wh_ext_e");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await warehouse.sql.unsafe(`
      create view wh_ext_e.big_items as select id, qty from wh_ext_e.items_e where qty > 100;
      create role sc_reader_e;
      grant select on wh_ext_e.items_e to sc_reader_e;
      comment on table wh_ext_e.items_e is 'curated by analytics';
      create index items_e_qty_idx on wh_ext_e.items_e (qty);
      alter table wh_ext_e.items_e add column note text;
      update wh_ext_e.items_e set note = 'checked' where id = 5;`);
    await source.sql.unsafe(`delete from items_e where id between 291 and 300; update items_e set qty = 1000 where id = 1`);

    const job = await run(app.db, app.sql, sync.id, "resync");
    expect(job).toMatchObject({
      status: "completed",
      num_extracted_records: 290,
      num_deleted_records: 10,
      num_updated_records: 290,
      num_inserted_records: 0,
    });
    const [{ n }] = await warehouse.sql`select count(*)::int as n from wh_ext_e.big_items`;
    expect(n).toBe(191); // ids 101..290 and id 1
    const [meta] = await warehouse.sql`
      select obj_description('wh_ext_e.items_e'::regclass, 'pg_class') as comment,
             has_table_privilege('sc_reader_e', 'wh_ext_e.items_e', 'select') as granted,
             (select count(*)::int from pg_indexes where schemaname = 'wh_ext_e' and indexname = 'items_e_qty_idx') as idx,
             (select count(*)::int from pg_tables where schemaname = 'wh_ext_e' and tablename like '_sc_shadow_%') as shadows`;
    expect(meta).toEqual({ comment: "curated by analytics", granted: true, idx: 1, shadows: 0 });
    const [{ note }] = await warehouse.sql`select note from wh_ext_e.items_e where id = 5`;
    expect(note).toBe("checked"); // a column of the user's own keeps its values
    expect(await digest(warehouse.sql, "wh_ext_e.items_e", COLS)).toEqual(await digest(source.sql, "items_e", COLS));
    await warehouse.sql.unsafe(`drop view wh_ext_e.big_items; revoke all on wh_ext_e.items_e from sc_reader_e; drop role sc_reader_e`);
  });

  it("runs syncs whose same-named tables differ in columns side by side on the same workers", async () => {
    await source.sql.unsafe(`
      create schema alt;
      create table alt.items_a (id bigint primary key, label text not null, weight real);
      insert into alt.items_a select g, 'l' || g, g / 3.0 from generate_series(1, 200) g;`);
    const integration = await createIntegration(app.db, "isolation");
    const same = await createSync(app.db, {
      _integrationId: integration.id,
      name: "same name, own columns",
      source: { type: "postgres", url: source.url, schema: "alt", tables: [{ name: "items_a", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_ext_iso", url: warehouse.url },
    });
    const other = await itemsSync("items_f", "wh_ext_iso_b");
    // Two syncs loading tables named items_a with different columns, run alternately and at once.
    const original = (await app.sql`select id from syncs where name = 'ext items_a'`)[0].id as string;
    for (let i = 0; i < 10; i++) {
      const jobs = await Promise.all([run(app.db, app.sql, i % 2 ? same.id : original), run(app.db, app.sql, other.id)]);
      for (const j of jobs) expect(j.status).toBe("completed");
    }
    expect(await digest(warehouse.sql, "wh_ext_iso.items_a", ["id", "label", "weight"])).toEqual(
      await digest(source.sql, "alt.items_a", ["id", "label", "weight"]),
    );
  });
});
