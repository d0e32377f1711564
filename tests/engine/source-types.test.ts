import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSyncReplication } from "../../lib/engine/sources/cdc/cleanup";
import { Worker } from "../../lib/engine/worker";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { patchSync } from "../../lib/syncs/service";
import { run, tablesOf, waitForEnd } from "../helpers/engine";
import { waitFor } from "../helpers/api";
import { triggerRun } from "../../lib/jobs/trigger";
import { freshDatabase } from "../helpers/fresh-db";
import { digest, plainDatabase } from "../helpers/plain-db";

/**
 * What a user's source holds beyond built-in types and real primary keys, loaded into a warehouse of
 * its own (which has none of the source's own types): enums, domains, arrays of them, a key that is
 * not unique, a column whose type narrows.
 */
let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof plainDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;
let worker: Worker;

beforeAll(async () => {
  [app, source, warehouse] = await Promise.all([freshDatabase(), plainDatabase("src"), plainDatabase("wh")]);
  worker = new Worker({ url: app.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([app?.drop(), source?.drop(), warehouse?.drop()]);
});

type SyncOpts = {
  primaryKey?: string | string[];
  cursorColumn?: string;
  schemaChanges?: "propagate" | "fail";
  schema?: string;
  replication?: "logical";
  warehouseSchema?: string;
};

async function syncOf(table: string, opts: SyncOpts = {}) {
  const integration = await createIntegration(app.db, `types-${table}`);
  return createSync(app.db, {
    _integrationId: integration.id,
    name: `types ${table}`,
    source: {
      type: "postgres",
      url: source.url,
      ...(opts.schema ? { schema: opts.schema } : {}),
      ...(opts.replication ? { replication: opts.replication } : {}),
      tables: [{ name: table, primaryKey: opts.primaryKey ?? "id", ...(opts.cursorColumn ? { cursorColumn: opts.cursorColumn } : {}) }],
    },
    destination: { type: "postgres", schema: opts.warehouseSchema ?? `wh_${table}`, url: warehouse.url },
    schemaChanges: opts.schemaChanges,
  });
}

/** A change-capture test's slot and publication, gone when it ends (they hold WAL on the shared test server). */
const dropReplicationOf = (table: string, syncId: string) =>
  dropSyncReplication({ type: "postgres", url: source.url, replication: "logical", tables: [{ name: table, primaryKey: "id" }] }, syncId, {
    force: true,
  });

const warehouseType = async (table: string, column: string) =>
  (
    await warehouse.sql.unsafe(
      `select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'wh_${table}.${table}'::regclass and attname = $1`,
      [column],
    )
  )[0]?.type;

describe("source column types the warehouse does not have", () => {
  it("loads enums as text, domains as their base type and arrays of either, and walks an enum cursor", async () => {
    await source.sql.unsafe(`
      create type mood as enum ('sad', 'ok', 'happy');
      create domain positive_int as int check (value > 0);
      create domain short_name as varchar(12);
      create table moods (id positive_int primary key, m mood not null, ms mood[], n short_name, scores positive_int[]);
      insert into moods select g, (array['sad','ok','happy'])[1 + g % 3]::mood, array['ok','happy']::mood[], 'n' || g, array[g, g + 1]
        from generate_series(1, 250) g;`);
    const sync = await syncOf("moods", { cursorColumn: "m" });
    const first = await run(app.db, app.sql, sync.id);
    expect(first).toMatchObject({ status: "completed", num_loaded_records: 250 });
    expect((await tablesOf(app.sql, first.id)).moods.num_attempts).toBe(1);
    const cols = ["id", "m", "ms", "n", "scores"];
    expect(await digest(warehouse.sql, "wh_moods.moods", cols)).toEqual(await digest(source.sql, "moods", cols));
    expect(
      Object.fromEntries(await Promise.all(["id", "m", "ms", "n", "scores"].map(async (c) => [c, await warehouseType("moods", c)]))),
    ).toEqual({ id: "integer", m: "text", ms: "text[]", n: "character varying(12)", scores: "integer[]" });

    // A delta run by the enum column compares in the enum's own order ('happy' is the highest).
    await source.sql`update moods set n = 'cheered' where id <= 3`;
    await source.sql`insert into moods values (1000, 'happy', null, 'late', null)`;
    const second = await run(app.db, app.sql, sync.id);
    expect(second).toMatchObject({ status: "completed", num_inserted_records: 1 });
    expect(await digest(warehouse.sql, "wh_moods.moods", ["id", "m"])).toEqual(await digest(source.sql, "moods", ["id", "m"]));
  });
});

describe("names as users spell them", () => {
  it.each([
    ["by cursor column", null],
    ["by logical replication", "logical"],
  ] as const)("syncs a mixed-case schema, table and columns with spaces %s: first load, changes, resync", async (_, replication) => {
    const schema = replication ? "Sales CDC" : "Sales";
    await source.sql.unsafe(`create schema "${schema}";
        create table "${schema}"."Order Items" ("OrderId" int primary key, "Unit Price" numeric(8,2), "updatedAt" timestamptz not null default now());
        insert into "${schema}"."Order Items" ("OrderId", "Unit Price") select g, g * 1.5 from generate_series(1, 120) g;`);
    const sync = await syncOf("Order Items", {
      schema,
      primaryKey: "OrderId",
      ...(replication ? { replication } : { cursorColumn: "updatedAt" }),
      warehouseSchema: replication ? "wh_names_cdc" : "wh_names",
    });
    const cols = ['"OrderId"', '"Unit Price"', '"updatedAt"'];
    const same = async () =>
      expect(await digest(warehouse.sql, `${replication ? "wh_names_cdc" : "wh_names"}."Order Items"`, cols, '"OrderId"')).toEqual(
        await digest(source.sql, `"${schema}"."Order Items"`, cols, '"OrderId"'),
      );
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_loaded_records: 120 });
    await same();
    await source.sql.unsafe(`update "${schema}"."Order Items" set "Unit Price" = 0, "updatedAt" = now() where "OrderId" <= 5;
        delete from "${schema}"."Order Items" where "OrderId" = 120;`);
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_updated_records: 5 });
    if (replication) await same();
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 119 });
    await same();
  });
});

describe("a composite primary key", () => {
  it.each([
    ["copied in full", {}],
    ["by cursor column", { cursorColumn: "updated_at" }],
    ["by logical replication", { replication: "logical" as const }],
  ])("keys rows on all its columns %s: first load, changes and deletes, resync", async (_, mode) => {
    const table = `lines_${Object.keys(mode)[0] ?? "full"}`.toLowerCase();
    await source.sql.unsafe(`create table ${table} (order_id int, line int, qty int not null, updated_at timestamptz not null default now(),
                               primary key (order_id, line));
      insert into ${table} (order_id, line, qty, updated_at)
        select o, l, o * l, '2026-12-01'::timestamptz + (o % 3) * interval '1 hour' from generate_series(1, 60) o, generate_series(1, 5) l;`);
    const sync = await syncOf(table, { primaryKey: ["order_id", "line"], ...mode });
    const cols = ["order_id", "line", "qty", "updated_at"];
    const same = async () =>
      expect(await digest(warehouse.sql, `wh_${table}.${table}`, cols, "order_id, line")).toEqual(
        await digest(source.sql, table, cols, "order_id, line"),
      );
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_loaded_records: 300 });
    await same();
    const [{ key }] = await warehouse.sql.unsafe(
      `select pg_get_constraintdef(oid) as key from pg_constraint where conrelid = 'wh_${table}.${table}'::regclass and contype = 'p'`,
    );
    expect(key).toBe("PRIMARY KEY (order_id, line)");

    // Same order, other lines; a row written later at the checkpoint's cursor value; a key that changes; deletes.
    await source.sql.unsafe(`update ${table} set qty = -1, updated_at = '2026-12-02' where order_id = 7;
      insert into ${table} values (1, 9, 9, '2026-12-02');
      update ${table} set line = 6, updated_at = '2026-12-02' where order_id = 8 and line = 5;
      delete from ${table} where order_id = 9;`);
    const second = await run(app.db, app.sql, sync.id);
    expect(second.status).toBe("completed");
    // Only replication sees deletes on a normal run; every mode has the changed and new rows, and the resync catches up.
    if ("replication" in mode) await same();
    const [{ n }] = await warehouse.sql.unsafe(
      `select count(*)::int as n from wh_${table}.${table} where qty = -1 or (order_id, line) in ((1, 9), (8, 6))`,
    );
    expect(n).toBe(7);
    // The keys already copied at the latest cursor value are listed by both columns: a quiet run reads none again.
    if ("cursorColumn" in mode)
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 0 });
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 296 });
    await same();
  });

  it("fails a table whose composite key repeats at the source, naming its columns", async () => {
    await source.sql.unsafe(`create table pairs (a int, b int, v text); insert into pairs values (1, 1, 'x'), (1, 1, 'y'), (1, 2, 'z');`);
    const job = await run(app.db, app.sql, (await syncOf("pairs", { primaryKey: ["a", "b"] })).id);
    const { pairs } = await tablesOf(app.sql, job.id);
    expect(pairs).toMatchObject({ status: "failed", error_code: "DUPLICATE_PRIMARY_KEY" });
    expect(pairs.error_message).toContain('("a", "b")');
  });
});

describe("a source whose sessions print values their own way", () => {
  it.each([
    ["copied", null],
    ["captured by logical replication", "logical"],
  ] as const)(
    "lands dates, intervals, floats and bytes exactly, %s from a database set to DMY dates and other styles",
    async (_, replication) => {
      const odd = await plainDatabase("dmy");
      const config = {
        type: "postgres" as const,
        url: odd.url,
        ...(replication ? { replication } : {}),
        tables: [{ name: "styled", primaryKey: "id" }],
      };
      let syncId: string | null = null;
      try {
        await odd.sql.unsafe(`create table styled (id int primary key, d date, ts timestamp, iv interval, f float8, b bytea);
          insert into styled values (1, '2026-03-04', '2026-03-04 05:06:07', '1 day 2 hours', 0.1, '\\x00ff'),
                                    (2, '2026-12-31', '2026-12-31 23:59:59', '-3 months', 1e-7, '\\x');`);
        const db = new URL(odd.url).pathname.slice(1);
        await odd.sql.unsafe(`alter database ${db} set datestyle = 'SQL, DMY'; alter database ${db} set intervalstyle = 'sql_standard';
          alter database ${db} set extra_float_digits = -3; alter database ${db} set bytea_output = 'escape'`);
        const integration = await createIntegration(app.db, `styled-${replication ?? "copy"}`);
        const schema = `wh_styled_${replication ?? "copy"}`;
        const sync = await createSync(app.db, {
          _integrationId: integration.id,
          name: "styled",
          source: config,
          destination: { type: "postgres", schema, url: warehouse.url },
        });
        syncId = sync.id;
        expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_loaded_records: 2 });
        if (replication) {
          await odd.sql.unsafe(`insert into styled values (3, '2026-05-06', '2026-05-06 07:08:09', '5 minutes', 2.5, '\\x01')`);
          expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_inserted_records: 1 });
        }
        const landed = await warehouse.sql.unsafe(
          `select id, d::text, ts::text, iv::text, f::text, encode(b, 'hex') as b from ${schema}.styled order by id`,
        );
        expect(landed).toEqual([
          { id: 1, d: "2026-03-04", ts: "2026-03-04 05:06:07", iv: "1 day 02:00:00", f: "0.1", b: "00ff" },
          { id: 2, d: "2026-12-31", ts: "2026-12-31 23:59:59", iv: "-3 mons", f: "1e-07", b: "" },
          ...(replication ? [{ id: 3, d: "2026-05-06", ts: "2026-05-06 07:08:09", iv: "00:05:00", f: "2.5", b: "01" }] : []),
        ]);
      } finally {
        if (syncId) await dropSyncReplication(config, syncId, { force: true });
        await odd.drop();
      }
    },
  );
});

describe("change data capture of changes that lack a column's value", () => {
  it("re-reads rows whose changes leave out generated columns, or predate a column added or renamed, instead of writing NULL", async () => {
    await source.sql.unsafe(`create table gen (id int primary key, a int not null, g int generated always as (a * 10) stored, oldname text);
      insert into gen (id, a, oldname) select i, i, 'o' || i from generate_series(1, 50) i;`);
    const sync = await syncOf("gen", { replication: "logical" });
    try {
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_loaded_records: 50 });
      await source.sql.unsafe(`update gen set a = a + 1000 where id <= 5`);
      await source.sql.unsafe(`alter table gen rename column oldname to newname; alter table gen add column c int not null default 5`);
      await source.sql.unsafe(
        `update gen set a = a + 2000 where id between 6 and 10; insert into gen (id, a, newname, c) values (100, 7, 'x', 9)`,
      );
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_errors: 0, num_updated_records: 10 });
      const changed = "where id <= 10 or id = 100";
      const cols = "id, a, g, newname, c";
      expect(await warehouse.sql.unsafe(`select ${cols} from wh_gen.gen ${changed} order by id`)).toEqual(
        await source.sql.unsafe(`select ${cols} from gen ${changed} order by id`),
      );
    } finally {
      await dropReplicationOf("gen", sync.id);
    }
  });
});

describe("warehouse tables as users and sources change them", () => {
  it("follows a column that drops NOT NULL at the source, and loads around a NOT NULL column a user added with a default", async () => {
    await source.sql.unsafe(`create table nn (id int primary key, v text not null, updated_at timestamptz not null default now());
      insert into nn (id, v) select i, 'v' from generate_series(1, 10) i;`);
    const sync = await syncOf("nn", { cursorColumn: "updated_at" });
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await warehouse.sql.unsafe(`alter table wh_nn.nn add column mynote text not null default 'mine'`);
    await source.sql.unsafe(`alter table nn alter column v drop not null; insert into nn (id, v) values (11, null), (12, 'ok');
      update nn set v = 'changed', updated_at = now() where id = 1`);
    const job = await run(app.db, app.sql, sync.id);
    expect(job).toMatchObject({ status: "completed", num_inserted_records: 2, num_updated_records: 1, num_errors: 0 });
    expect((await tablesOf(app.sql, job.id)).nn.schema_changes).toEqual([
      { column: "v", change: "widened", from: "text not null", to: "text" },
    ]);
    expect(await warehouse.sql.unsafe(`select id, v, mynote from wh_nn.nn where id in (1, 11, 12) order by id`)).toEqual([
      { id: 1, v: "changed", mynote: "mine" },
      { id: 11, v: null, mynote: "mine" },
      { id: 12, v: "ok", mynote: "mine" },
    ]);
  });

  it("loads a table named excluded run after run, merges it on a resync, and lands regclass values as text", async () => {
    await source.sql.unsafe(`create table excluded (id int primary key, v text, rc regclass, u timestamptz not null default now());
      insert into excluded (id, v, rc) select i, 'a', 'pg_class' from generate_series(1, 5) i;`);
    const sync = await syncOf("excluded", { cursorColumn: "u" });
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(`update excluded set v = 'b', u = now() where id = 1`);
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_updated_records: 1 });
    await warehouse.sql.unsafe(`create view wh_excluded.seen as select id, v from wh_excluded.excluded`);
    await source.sql.unsafe(`update excluded set v = 'c' where id = 2`);
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 5 });
    expect(
      await warehouse.sql.unsafe(
        `select id, v, rc from wh_excluded.seen join wh_excluded.excluded using (id, v) where id <= 2 order by id`,
      ),
    ).toEqual([
      { id: 1, v: "b", rc: "pg_class" },
      { id: 2, v: "c", rc: "pg_class" },
    ]);
  });

  it("does not rebuild a dropped warehouse table from a delta run's few rows: WAREHOUSE_TABLE_MISSING, and a resync loads it in full", async () => {
    await source.sql.unsafe(`create table gone (id int primary key, v text, u timestamptz not null default now());
      insert into gone (id, v) select i, 'v' from generate_series(1, 40) i;`);
    const sync = await syncOf("gone", { cursorColumn: "u" });
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await warehouse.sql.unsafe(`drop table wh_gone.gone`);
    await source.sql.unsafe(`update gone set v = 'w', u = now() where id <= 3`);
    const { gone } = await tablesOf(app.sql, (await run(app.db, app.sql, sync.id)).id);
    expect(gone).toMatchObject({ status: "failed", error_code: "WAREHOUSE_TABLE_MISSING", num_attempts: 1 });
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 40 });
    expect(await digest(warehouse.sql, "wh_gone.gone", ["id", "v"])).toEqual(await digest(source.sql, "gone", ["id", "v"]));
  });

  it("a resync's swap waits for a long warehouse query only a little at a time, so readers that come after it are not held up", async () => {
    await source.sql.unsafe(
      `create table busy (id int primary key, v text); insert into busy select i, 'v' from generate_series(1, 20) i;`,
    );
    const sync = await syncOf("busy");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    const report = await warehouse.sql.reserve();
    await report.unsafe(`begin; select count(*) from wh_busy.busy`); // a long report holds its lock on the table
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "resync", triggeredBy: "user:test@example.com" });
    try {
      await waitFor(async () => (await tablesOf(app.sql, job.id)).busy.stage === "swapping" || undefined, 20_000, 50);
      await new Promise((r) => setTimeout(r, 1000));
      // A reader arriving while the swap waits gets the old rows without waiting for the report to end.
      const reader = warehouse.sql.unsafe(`select count(*)::int as n from wh_busy.busy`);
      const answered = await Promise.race([reader.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
      expect(answered).toBe(true);
    } finally {
      await report.unsafe(`commit`);
      report.release();
    }
    expect(await waitForEnd(app.sql, job.id, 90_000)).toMatchObject({ status: "completed", num_loaded_records: 20 });
  });

  it("keeps a warehouse table's owner and storage options through a resync", async () => {
    const owner = `analyst_${Math.random().toString(36).slice(2, 8)}`;
    await source.sql.unsafe(
      `create table owned (id int primary key, v text); insert into owned select i, 'v' from generate_series(1, 10) i;`,
    );
    const sync = await syncOf("owned");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await warehouse.sql.unsafe(`create role ${owner}; grant usage on schema wh_owned to ${owner};
      alter table wh_owned.owned owner to ${owner}; alter table wh_owned.owned set (fillfactor = 70)`);
    try {
      expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 10 });
      const [t] = await warehouse.sql.unsafe(
        `select pg_get_userbyid(relowner) as owner, reloptions from pg_class where oid = 'wh_owned.owned'::regclass`,
      );
      expect(t).toEqual({ owner, reloptions: ["fillfactor=70"] });
    } finally {
      await warehouse.sql.unsafe(`drop table wh_owned.owned; revoke usage on schema wh_owned from ${owner}; drop role ${owner}`);
    }
  });

  it("resyncs a table a view reads whose columns have no equality (json, xml, point), and a table named with all 63 bytes", async () => {
    const long = "l".repeat(63);
    await source.sql.unsafe(`create table odd_types (id int primary key, j json, x xml, p point);
      insert into odd_types values (1, '{"a": 1}', '<a/>', '(1,2)'), (2, '[]', '<b/>', '(3,4)');
      create table "${long}" (id int primary key, v text); insert into "${long}" select i, 'v' from generate_series(1, 5) i;`);
    const typed = await syncOf("odd_types");
    const named = await syncOf(long, { warehouseSchema: "wh_long" });
    for (const sync of [typed, named]) expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await warehouse.sql.unsafe(`create view wh_odd_types.js as select id, j from wh_odd_types.odd_types`);
    await source.sql.unsafe(`update odd_types set j = '{"a": 2}' where id = 1; delete from "${long}" where id = 5`);
    for (let i = 0; i < 2; i++) {
      expect(await run(app.db, app.sql, typed.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 2 });
      expect(await run(app.db, app.sql, named.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 4 });
    }
    expect(await warehouse.sql.unsafe(`select id, j::text from wh_odd_types.js order by id`)).toEqual([
      { id: 1, j: '{"a": 2}' },
      { id: 2, j: "[]" },
    ]);
    const [{ n }] = await warehouse.sql.unsafe(`select count(*)::int as n from wh_long."${long}"`);
    expect(n).toBe(4);
  });
});

describe("a sync whose key changes", () => {
  it("fails a normal run with PRIMARY_KEY_CHANGED, and a resync rebuilds the table on the new key", async () => {
    await source.sql.unsafe(`create table rekeyed (id int primary key, code text not null unique, v text);
      insert into rekeyed select i, 'c' || i, 'v' from generate_series(1, 30) i;`);
    const sync = await syncOf("rekeyed");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await patchSync(
      app.db,
      sync.id,
      { source: { type: "postgres", url: source.url, tables: [{ name: "rekeyed", primaryKey: "code" }] } },
      undefined,
      dropSyncReplication,
    );
    const job = await run(app.db, app.sql, sync.id);
    const { rekeyed } = await tablesOf(app.sql, job.id);
    expect(rekeyed).toMatchObject({ status: "failed", error_code: "PRIMARY_KEY_CHANGED", num_attempts: 1 });
    expect(rekeyed.error_message).toContain("(id)");
    expect(rekeyed.error_message).toContain("(code)");
    expect(rekeyed.error_message).toContain("resync");
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 30 });
    const [{ key }] = await warehouse.sql.unsafe(
      `select pg_get_constraintdef(oid) as key from pg_constraint where conrelid = 'wh_rekeyed.rekeyed'::regclass and contype = 'p'`,
    );
    expect(key).toBe("PRIMARY KEY (code)");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
  });
});

describe("change data capture of a table dropped and created again", () => {
  it("fails with SOURCE_TABLE_RECREATED instead of going on as if nothing had happened, and a resync copies the new table", async () => {
    await source.sql.unsafe(
      `create table recr (id int primary key, v text); insert into recr select i, 'old' from generate_series(1, 10) i;`,
    );
    const sync = await syncOf("recr", { replication: "logical" });
    try {
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_loaded_records: 10 });
      await source.sql.unsafe(`drop table recr; create table recr (id int primary key, v text);
        insert into recr select i, 'new' from generate_series(5, 20) i;`);
      const { recr } = await tablesOf(app.sql, (await run(app.db, app.sql, sync.id)).id);
      expect(recr).toMatchObject({ status: "failed", error_code: "SOURCE_TABLE_RECREATED", num_attempts: 1 });
      expect(recr.error_message).toContain("resync");
      expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_loaded_records: 16 });
      await source.sql.unsafe(`insert into recr values (21, 'after')`);
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_inserted_records: 1 });
      expect(await digest(warehouse.sql, "wh_recr.recr", ["id", "v"])).toEqual(await digest(source.sql, "recr", ["id", "v"]));
    } finally {
      await dropReplicationOf("recr", sync.id);
    }
  });
});

describe("a source role that may not read every column", () => {
  it("fails the table at once with the server's code instead of retrying it as a network blip", async () => {
    const role = `reader_${Math.random().toString(36).slice(2, 8)}`;
    await source.sql.unsafe(`create table secrets (id int primary key, shown text, hidden text);
      insert into secrets select g, 's', 'h' from generate_series(1, 20) g;
      create role ${role} login password 'pw'; grant select (id, shown) on secrets to ${role};`);
    try {
      const url = new URL(source.url);
      [url.username, url.password] = [role, "pw"];
      const integration = await createIntegration(app.db, "types-secrets");
      const sync = await createSync(app.db, {
        _integrationId: integration.id,
        name: "secrets",
        source: { type: "postgres", url: url.toString(), tables: [{ name: "secrets", primaryKey: "id" }] },
        destination: { type: "postgres", schema: "wh_secrets", url: warehouse.url },
      });
      const { secrets } = await tablesOf(app.sql, (await run(app.db, app.sql, sync.id)).id);
      expect(secrets).toMatchObject({ status: "failed", error_code: "PG_42501", num_attempts: 1 });
      expect(secrets.error_message).toContain("permission denied");
    } finally {
      await source.sql.unsafe(`drop table secrets; drop role ${role}`);
    }
  });
});

describe("a key that does not tell rows apart", () => {
  it("fails a view whose key is NULL in some rows or repeats across batches, before loading anything", async () => {
    await source.sql.unsafe(`create table base_rows (id int primary key, v text, updated_at timestamptz not null);
      insert into base_rows select i, 'v' || i, '2026-01-01'::timestamptz + i * interval '1 minute' from generate_series(1, 12000) i;
      create view null_keys as select case when id <= 2 then null else id end as id, v from base_rows;
      create view repeated_keys as select id % 6000 as k, v, updated_at from base_rows;`);
    const cases = [
      { table: "null_keys", opts: {}, code: "NULL_PRIMARY_KEY", says: "2 rows" },
      { table: "repeated_keys", opts: { primaryKey: "k", cursorColumn: "updated_at" }, code: "DUPLICATE_PRIMARY_KEY", says: '"k"' },
    ];
    for (const { table, opts, code, says } of cases) {
      const job = await run(app.db, app.sql, (await syncOf(table, opts)).id);
      const t = (await tablesOf(app.sql, job.id))[table];
      expect(t).toMatchObject({ status: "failed", error_code: code, num_attempts: 1, num_loaded_records: 0 });
      expect(t.error_message).toContain(says);
    }
    // A view whose key does tell rows apart loads as a table does.
    await source.sql.unsafe(`create view fine_keys as select id, v from base_rows where id <= 100`);
    expect(await run(app.db, app.sql, (await syncOf("fine_keys")).id)).toMatchObject({ status: "completed", num_loaded_records: 100 });
  });
});

describe("a source type that narrows", () => {
  it("fails with SCHEMA_CHANGE_INCOMPATIBLE naming both types, but a column widened by hand in the warehouse is left alone", async () => {
    await source.sql.unsafe(`create table amounts (id int primary key, big bigint, at timestamptz, label varchar(20));
      insert into amounts select g, g, now(), 'l' || g from generate_series(1, 50) g;`);
    const sync = await syncOf("amounts");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");

    // Widened in the warehouse by hand: nothing changed at the source, the run goes on.
    await warehouse.sql.unsafe(`alter table wh_amounts.amounts alter column label type text`);
    await warehouse.sql.unsafe(`alter table wh_amounts.amounts alter column id type bigint`);
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");

    await source.sql.unsafe(`alter table amounts alter column big type int`);
    const job = await run(app.db, app.sql, sync.id);
    const { amounts } = await tablesOf(app.sql, job.id);
    expect(amounts).toMatchObject({ status: "failed", error_code: "SCHEMA_CHANGE_INCOMPATIBLE", num_attempts: 1 });
    expect(amounts.error_message).toContain('"big"');
    expect(amounts.error_message).toContain("from bigint to integer");
    expect(await warehouseType("amounts", "big")).toBe("bigint");
  });

  it("widens a timestamp's precision with the source, and refuses a time that gains a zone", async () => {
    await source.sql.unsafe(`create table clocks (id int primary key, ts timestamp(0), tm time);
      insert into clocks values (1, '2026-01-01 00:00:01', '10:00:00');`);
    const sync = await syncOf("clocks");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(
      `alter table clocks alter column ts type timestamp(6); insert into clocks values (2, '2026-01-01 00:00:01.654321', '11:00')`,
    );
    const widened = await run(app.db, app.sql, sync.id);
    expect(widened.status).toBe("completed");
    expect((await tablesOf(app.sql, widened.id)).clocks.schema_changes).toEqual([
      { column: "ts", change: "widened", from: "timestamp(0) without time zone", to: "timestamp without time zone" },
    ]);
    const [{ ts }] = await warehouse.sql.unsafe(`select ts::text from wh_clocks.clocks where id = 2`);
    expect(ts).toBe("2026-01-01 00:00:01.654321");
    await source.sql.unsafe(`alter table clocks alter column tm type timetz`);
    const { clocks } = await tablesOf(app.sql, (await run(app.db, app.sql, sync.id)).id);
    expect(clocks).toMatchObject({ status: "failed", error_code: "SCHEMA_CHANGE_INCOMPATIBLE" });
    expect(clocks.error_message).toContain("from time without time zone to time with time zone");
  });

  it("with schemaChanges: fail, a narrowed type fails with SCHEMA_CHANGE", async () => {
    await source.sql.unsafe(`create table stamps (id int primary key, at timestamptz);
      insert into stamps select g, now() from generate_series(1, 20) g;`);
    const sync = await syncOf("stamps", { schemaChanges: "fail" });
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql.unsafe(`alter table stamps alter column at type timestamp`);
    const job = await run(app.db, app.sql, sync.id);
    const { stamps } = await tablesOf(app.sql, job.id);
    expect(stamps).toMatchObject({ status: "failed", error_code: "SCHEMA_CHANGE" });
    expect(stamps.error_message).toContain("at changed (timestamp with time zone → timestamp without time zone)");
    // A resync could not follow this one either: the message does not send the reader there for nothing.
    expect(stamps.error_message).toContain("change the warehouse column by hand and resync");
    expect(stamps.error_message).not.toContain("Run a full resync to take");
  });
});

describe("a primary key that is not unique at the source", () => {
  it("fails the table at once with DUPLICATE_PRIMARY_KEY naming the column, on a first load and on a resync", async () => {
    await source.sql.unsafe(`create table visits (id int, page text);
      insert into visits select g % 40, 'p' || g from generate_series(1, 100) g;`);
    const sync = await syncOf("visits");
    for (const runType of ["normal", "resync"] as const) {
      const job = await run(app.db, app.sql, sync.id, runType);
      const { visits } = await tablesOf(app.sql, job.id);
      expect(visits).toMatchObject({ status: "failed", error_code: "DUPLICATE_PRIMARY_KEY", num_attempts: 1 });
      expect(visits.error_message).toContain('"id"');
      expect(visits.error_message).not.toMatch(/ON CONFLICT|could not create/);
    }
  });
});
