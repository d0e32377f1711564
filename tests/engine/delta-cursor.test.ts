import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deltaStart } from "../../lib/engine/sources/delta-keyset";
import { Worker } from "../../lib/engine/worker";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { run } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { digest } from "../helpers/plain-db";

/**
 * Delta runs by a cursor column on a real Postgres source, where the column's values are not the
 * tidy ascending timestamps of the happy path: NULLs, and many rows sharing one value.
 */
let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  process.env.BATCH_SIZE = "100"; // many batches, so batch ends fall on NULLs and inside runs of equal values
  app = await freshDatabase();
  source = await freshDatabase();
  worker = new Worker({ url: app.url, concurrency: 1 });
  await worker.start();
});
afterAll(async () => {
  delete process.env.BATCH_SIZE;
  await worker?.stop();
  await app?.drop();
  await source?.drop();
});

async function deltaSync(table: string, cursorColumn: string) {
  const integration = await createIntegration(app.db, `delta-${table}`);
  return createSync(app.db, {
    _integrationId: integration.id,
    name: `delta ${table}`,
    source: { type: "postgres", url: source.url, schema: "public", tables: [{ name: table, primaryKey: "id", cursorColumn }] },
    destination: { type: "postgres", schema: `wh_${table}` },
  });
}

const checkpointOf = async (syncId: string) => (await app.sql`select cursor from checkpoints where sync_id = ${syncId}`)[0]?.cursor;

describe("delta by cursor column", () => {
  it("copies rows whose cursor is NULL on the first load, ends, and keeps the latest non-NULL value as the checkpoint", async () => {
    // 250 rows with a NULL cursor sort after every value: a batch ends on one, so the walk must not restart there.
    await source.sql`create table notes (id int primary key, body text, updated_at timestamptz)`;
    await source.sql`insert into notes select g, 'note ' || g, case when g % 20 = 0 then null else '2026-01-01'::timestamptz + g * interval '1 minute' end
                       from generate_series(1, 5000) g`;
    const sync = await deltaSync("notes", "updated_at");

    const first = await run(app.db, app.sql, sync.id);
    expect(first).toMatchObject({ status: "completed", num_extracted_records: 5000, num_loaded_records: 5000 });
    expect(await digest(app.sql, "wh_notes.notes", ["id", "body", "updated_at"])).toEqual(
      await digest(source.sql, "public.notes", ["id", "body", "updated_at"]),
    );
    const [{ latest }] = await source.sql`select max(updated_at)::text as latest from notes`;
    expect((await checkpointOf(sync.id)).cursor).toBe(latest);

    // The next run reads only what moved past the checkpoint, not the whole table again.
    await source.sql`update notes set body = 'edited', updated_at = '2027-01-01' where id in (1, 2, 3)`;
    const second = await run(app.db, app.sql, sync.id);
    expect(second).toMatchObject({ status: "completed", num_extracted_records: 3, num_updated_records: 3 });
    const [{ edited }] = await app.sql`select count(*)::int as edited from wh_notes.notes where body = 'edited'`;
    expect(edited).toBe(3);
  });

  it("finishes a first load that stopped part-way, NULL cursors included, from where it stopped", async () => {
    await source.sql`create table halted (id int primary key, updated_at timestamptz)`;
    await source.sql`insert into halted select g, case when g > 990 then null else '2026-01-01'::timestamptz + g * interval '1 second' end
                       from generate_series(1, 1000) g`;
    const sync = await deltaSync("halted", "updated_at");
    // What a first load canceled after its first 500 rows leaves as the checkpoint.
    const [{ at }] = await source.sql`select updated_at::text as at from halted where id = 500`;
    await app.sql`insert into checkpoints (sync_id, table_name, cursor)
                  values (${sync.id}, 'halted', ${JSON.stringify({ cursor: at, pk: ["500"], ties: [["500"]], withNulls: true, done: false, emitted: 500 })}::jsonb)`;
    const job = await run(app.db, app.sql, sync.id);
    expect(job).toMatchObject({ status: "completed", num_extracted_records: 500 });
    const [{ n, nulls }] =
      await app.sql`select count(*)::int as n, count(*) filter (where updated_at is null)::int as nulls from wh_halted.halted`;
    expect({ n, nulls }).toEqual({ n: 500, nulls: 10 });
  });

  it("goes on by its cursor after a resync instead of reading the whole table again", async () => {
    await source.sql`create table resynced (id int primary key, v text, updated_at timestamptz not null)`;
    await source.sql`insert into resynced select g, 'v', '2026-01-01'::timestamptz + g * interval '1 second' from generate_series(1, 1000) g`;
    const sync = await deltaSync("resynced", "updated_at");
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_extracted_records: 1000 });
    await source.sql`update resynced set v = 'w', updated_at = '2027-01-01' where id in (1, 2)`;
    // The two changed rows, and the row at the resync's highest cursor value, which is read again in case it had company.
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 3 });
  });

  it("after a resync, reads the rows at its highest cursor value once more, then remembers them", async () => {
    await source.sql`create table shipped (id int primary key, v text, updated_at timestamptz not null)`;
    // The last ten rows were written in one statement: they share one timestamp.
    await source.sql`insert into shipped select g, 'v', '2026-01-01'::timestamptz + least(g, 491) * interval '1 second' from generate_series(1, 500) g`;
    const sync = await deltaSync("shipped", "updated_at");
    expect(await run(app.db, app.sql, sync.id, "resync")).toMatchObject({ status: "completed", num_extracted_records: 500 });
    // The resync cannot tell which rows at its last value it had: they are read again, once.
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 10 });
    for (let i = 0; i < 2; i++)
      expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 0 });
    // And a row written later at that value with a lower key is still found.
    await source.sql`update shipped set v = 'late', updated_at = '2026-01-01'::timestamptz + 491 * interval '1 second' where id = 3`;
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 1 });
  });

  it("refuses a cursor column whose type has no order before reading anything, naming it", async () => {
    await source.sql`create table shapes (id int primary key, spot point, updated_at timestamptz)`;
    const job = await run(app.db, app.sql, (await deltaSync("shapes", "spot")).id);
    const [t] = await app.sql`select status, error_code, error_message, num_attempts from table_jobs where sync_job_id = ${job.id}`;
    expect(t).toMatchObject({ status: "failed", error_code: "INVALID_CURSOR_COLUMN", num_attempts: 1 });
    expect(t.error_message).toContain("(point) has no order");
  });

  it("picks up a row written after a run with the same cursor value as the checkpoint and a lower key", async () => {
    // A date cursor: every row of a day shares its value.
    await source.sql`create table orders (id int primary key, amount int, day date not null)`;
    await source.sql`insert into orders select g, g, '2026-11-30'::date + (g / 150) from generate_series(1, 300) g`;
    const sync = await deltaSync("orders", "day");
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 300 });

    // Nothing changed: nothing is read again, not even the rows at the checkpoint's day.
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 0 });

    // Written later, on the checkpoint's own day, with a key below the last one copied.
    await source.sql`insert into orders values (-1, 999, '2026-12-02'), (0, 998, '2026-12-02')`;
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 2, num_inserted_records: 2 });
    expect(await digest(app.sql, "wh_orders.orders", ["id", "amount", "day"])).toEqual(
      await digest(source.sql, "public.orders", ["id", "amount", "day"]),
    );
  });

  it("keeps a timestamp cursor to the microsecond: a quiet run after rows a microsecond apart reads nothing", async () => {
    await source.sql`create table ticks (id int primary key, at timestamptz not null)`;
    await source.sql`insert into ticks select g, '2026-12-01 10:00:00'::timestamptz + g * interval '1 microsecond' from generate_series(1, 400) g`;
    const sync = await deltaSync("ticks", "at");
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 400 });
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 0 });
    await source.sql`insert into ticks values (401, '2026-12-01 10:00:00.000401+00')`;
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 1 });
  });

  it("carries on from a checkpoint written before keys were lists and ties were kept, missing nothing", () => {
    // The old strict keyset had copied its last key: it is the one key known to be done at that value.
    expect(deltaStart({ cursor: "2026-12-01", pk: "812", done: true, emitted: 0 })).toEqual({
      cursor: "2026-12-01",
      pk: null,
      ties: [["812"]],
      done: false,
      emitted: 0,
    });
    // A NULL last cursor (every later run was a full copy) starts over, NULL cursors included.
    expect(deltaStart({ cursor: null, pk: "5", done: true, emitted: 0 })).toMatchObject({ withNulls: true });
  });

  it("reads every row at the checkpoint's value again when there were too many to list, and still misses none", async () => {
    await source.sql`create table events (id int primary key, kind text, day date not null)`;
    await source.sql`insert into events select g, 'k', '2026-12-01' from generate_series(1, 1500) g`;
    const sync = await deltaSync("events", "day");
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 1500 });
    await source.sql`insert into events values (0, 'late', '2026-12-01')`;
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({
      status: "completed",
      num_extracted_records: 1501,
      num_inserted_records: 1,
    });
    const [{ n }] = await app.sql`select count(*)::int as n from wh_events.events`;
    expect(n).toBe(1501);
  });
});
