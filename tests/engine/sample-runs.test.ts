import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SampleTableData } from "../../lib/engine/sources/sample";
import { Worker } from "../../lib/engine/worker";
import { freshDatabase } from "../helpers/fresh-db";
import { makeSampleSync, run, tablesOf } from "../helpers/engine";

let env: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  env = await freshDatabase();
  worker = new Worker({ url: env.url, concurrency: 4 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await env?.drop();
});

describe("sample source through the engine", () => {
  it("moves exact counts on a first run, a delta run and a resync", async () => {
    const { sync, schema } = await makeSampleSync(env.db, [
      { name: "customers", rows: 5000, changeRate: 0.02, badRecordRate: 0.001 },
      { name: "static", rows: 300 },
    ]);

    const first = await run(env.db, env.sql, sync.id);
    expect(first.status).toBe("completed");
    expect(first).toMatchObject({ num_extracted_records: 5300, num_loaded_records: 5295, num_errors: 5, num_tables_synced: 2 });
    const t1 = await tablesOf(env.sql, first.id);
    expect(t1.customers).toMatchObject({
      status: "completed",
      num_extracted_records: 5000,
      num_loaded_records: 4995,
      num_errors: 5,
      num_inserted_records: 4995,
    });
    const [{ n }] = await env.sql.unsafe(`select count(*)::int as n from ${schema}.customers`);
    expect(n).toBe(4995);

    // Warehouse content equals the generator's rows.
    const gen = new SampleTableData({ name: "customers", rows: 5000, changeRate: 0.02, badRecordRate: 0.001 }, 1);
    const [row] = await env.sql.unsafe(`select id::int, name, email, amount::text, version from ${schema}.customers where id = 42`);
    const expected = gen.row(42, 0);
    expect(row).toMatchObject({ id: 42, name: expected[1], email: expected[2], version: 0 });
    expect(Number(row.amount)).toBeCloseTo(expected[3] as number, 2);

    const errors = await env.sql`select * from sync_errors where parent_job_id = ${first.id} order by id`;
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatchObject({
      scope: "load",
      table_name: "customers",
      child_job_id: t1.customers.id,
      flow_execution_group_id: first.flow_execution_group_id,
    });
    expect(errors.map((e) => Number(e.record_key)).every((id) => gen.isBad(id))).toBe(true);

    // A delta run sees exactly floor(5000 × 0.02) = 100 modified customers and nothing of the static table.
    const second = await run(env.db, env.sql, sync.id);
    const badChanged = gen.changedIds(1).filter((id) => gen.isBad(id)).length;
    expect(second).toMatchObject({
      status: "completed",
      num_extracted_records: 100,
      num_loaded_records: 100 - badChanged,
      num_errors: badChanged,
      num_tables_synced: 1,
    });
    const t2 = await tablesOf(env.sql, second.id);
    expect(t2.customers).toMatchObject({ num_updated_records: 100 - badChanged, num_inserted_records: 0 });
    expect(t2.static).toMatchObject({ status: "completed", num_extracted_records: 0 });
    const changedId = gen.changedIds(1).find((id) => !gen.isBad(id))!;
    const [changed] = await env.sql.unsafe(`select version from ${schema}.customers where id = ${changedId}`);
    expect(changed.version).toBe(1);

    // A resync re-extracts everything and counts every table as synced.
    const third = await run(env.db, env.sql, sync.id, "resync");
    expect(third).toMatchObject({
      status: "completed",
      run_type: "resync",
      num_extracted_records: 5300,
      num_loaded_records: 5295,
      num_errors: 5,
      num_tables_synced: 2,
    });
    const [{ n: after }] = await env.sql.unsafe(`select count(*)::int as n from ${schema}.customers`);
    expect(after).toBe(4995);
    const [{ n: shadows }] =
      await env.sql`select count(*)::int as n from pg_tables where schemaname = ${schema} and tablename like '_sc_shadow_%'`;
    expect(shadows).toBe(0);
    // The shadow took its rows without an index and got the primary key at the end: the swapped-in
    // table has it, under the table's own name, so the next delta run can upsert on it.
    const keys = await env.sql`
      select c.conname from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = ${schema} and t.relname = 'customers' and c.contype = 'p'`;
    expect(keys.map((k) => k.conname)).toEqual(["customers_pkey"]);
    // The swapped-in table is a new relation: it comes with planner statistics of its own, as the
    // table it replaced had, instead of none until autovacuum gets to it.
    const [stats] = await env.sql`
      select c.reltuples::int as reltuples, (select count(*)::int from pg_stats s where s.schemaname = ${schema} and s.tablename = 'customers') as columns
        from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relname = 'customers'`;
    expect(stats).toEqual({ reltuples: 4995, columns: 7 });
    const fourth = await run(env.db, env.sql, sync.id);
    expect(fourth.status).toBe("completed");
    const t4 = await tablesOf(env.sql, fourth.id);
    expect(t4.customers.num_updated_records).toBeGreaterThan(0);
    const [{ n: afterDelta }] = await env.sql.unsafe(`select count(*)::int as n from ${schema}.customers`);
    expect(afterDelta).toBe(4995);
  });

  it("fails a table fatally with the source's code and message, after loading the rows before it", async () => {
    const { sync, schema } = await makeSampleSync(env.db, [
      { name: "ledger", rows: 100, failWith: { code: "PLATFORM_ERROR", message: "upstream said no", afterRows: 50 } },
      { name: "ok", rows: 10 },
    ]);
    const job = await run(env.db, env.sql, sync.id);
    expect(job.status).toBe("failed");
    expect(job.error_message).toBe("upstream said no");
    const tables = await tablesOf(env.sql, job.id);
    expect(tables.ledger).toMatchObject({
      status: "failed",
      num_extracted_records: 50,
      num_loaded_records: 50,
      num_errors: 1,
      num_attempts: 1,
    });
    expect(tables.ok.status).toBe("completed");
    const [err] = await env.sql`select * from sync_errors where child_job_id = ${tables.ledger.id}`;
    expect(err).toMatchObject({ scope: "extract", code: "PLATFORM_ERROR", message: "upstream said no", table_name: "ledger" });
    const [{ n }] = await env.sql.unsafe(`select count(*)::int as n from ${schema}.ledger`);
    expect(n).toBe(50);
  });

  it("retries transient failures with backoff and then succeeds", async () => {
    const { sync } = await makeSampleSync(env.db, [{ name: "events", rows: 1000, transientFailures: 2 }]);
    const job = await run(env.db, env.sql, sync.id);
    expect(job.status).toBe("completed");
    const { events } = await tablesOf(env.sql, job.id);
    expect(events).toMatchObject({ status: "completed", num_attempts: 3, num_extracted_records: 1000, num_loaded_records: 1000 });
  });

  it("runs only the requested tables", async () => {
    const { sync } = await makeSampleSync(env.db, [
      { name: "a", rows: 10 },
      { name: "b", rows: 20 },
      { name: "c", rows: 30 },
    ]);
    const job = await run(env.db, env.sql, sync.id, "normal", ["c", "a"]);
    const tables = await tablesOf(env.sql, job.id);
    expect(Object.keys(tables)).toEqual(["a", "c"]);
    expect(job).toMatchObject({ status: "completed", num_extracted_records: 40, num_tables_synced: 2 });
  });

  it("removes rows deleted at the source on a resync", async () => {
    const { sync, schema } = await makeSampleSync(env.db, [{ name: "items", rows: 100 }]);
    await run(env.db, env.sql, sync.id);
    await env.sql`update syncs set source = jsonb_set(source, '{tables,0,rows}', '80') where id = ${sync.id}`;
    const job = await run(env.db, env.sql, sync.id, "resync");
    // Nothing is attached to this table, so the shadow is swapped in; the counts are exact all the same.
    expect(job).toMatchObject({ status: "completed", num_deleted_records: 20, num_inserted_records: 0, num_updated_records: 80 });
    const [{ n, max }] = await env.sql.unsafe(`select count(*)::int as n, max(id)::int as max from ${schema}.items`);
    expect([n, max]).toEqual([80, 80]);
    const [{ pkey }] =
      await env.sql`select conname as pkey from pg_constraint where conrelid = ${`${schema}.items`}::regclass and contype = 'p'`;
    expect(pkey).toBe("items_pkey");
  });

  it("commits a batch the source hands over in slices as one batch, refused records counted once", async () => {
    // 12,500 rows at the default batch size of 5,000: three batches (5,000 + 5,000 + 2,500), each
    // made of 1,000-row slices; 125 refused records spread over the slices.
    const table = { name: "sliced", rows: 12_500, badRecordRate: 0.01 };
    const { sync, schema } = await makeSampleSync(env.db, [table]);
    const job = await run(env.db, env.sql, sync.id);
    const { sliced } = await tablesOf(env.sql, job.id);
    expect(sliced).toMatchObject({
      status: "completed",
      batches: 3,
      num_extracted_records: 12_500,
      num_loaded_records: 12_375,
      num_errors: 125,
    });
    const [{ n, distinct }] = await env.sql.unsafe(`select count(*)::int as n, count(distinct id)::int as distinct from ${schema}.sliced`);
    expect({ n, distinct }).toEqual({ n: 12_375, distinct: 12_375 });
    const keys = await env.sql`select record_key from sync_errors where child_job_id = ${sliced.id}`;
    const gen = new SampleTableData(table, 1);
    expect(new Set(keys.map((k) => Number(k.record_key))).size).toBe(125);
    expect(keys.every((k) => gen.isBad(Number(k.record_key)))).toBe(true);
  });
});
