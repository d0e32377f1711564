import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { dropSyncReplication } from "../../lib/engine/sources/cdc/cleanup";
import { PostgresCdcSource } from "../../lib/engine/sources/cdc/source";
import { Worker } from "../../lib/engine/worker";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { deleteSync, patchSync } from "../../lib/syncs/service";
import { waitFor } from "../helpers/api";
import { run, tablesOf } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import type { Batch, ExtractPlan, ExtractRequest } from "../../lib/engine/sources/types";
import type { PostgresSource } from "../../lib/contracts/sync-config";

/**
 * Change data capture against a real source database of its own (wal_level=logical on the test
 * server). These tests drive the source adapter directly and apply its batches to a warehouse copy
 * the way the engine does (upsert rows on the key, delete the deleted keys), so each step can check
 * what the slot, the publication and the batches look like.
 */
const base = new URL(inject("databaseUrl"));
const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
const names: string[] = [];
let src: postgres.Sql;
let srcUrl: string;
let wh: postgres.Sql;

async function database() {
  const name = `cdc_${randomBytes(5).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  names.push(name);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), sql: postgres(url.toString(), { max: 4, onnotice: () => {} }) };
}

beforeAll(async () => {
  const s = await database();
  src = s.sql;
  srcUrl = s.url;
  wh = (await database()).sql;
});
afterAll(async () => {
  await src?.end();
  await wh?.end();
  for (const n of names) await admin.unsafe(`drop database if exists ${n} with (force)`);
  await admin.end();
});

const syncId = () => randomBytes(12).toString("hex");
const COLS = "id int primary key, name text not null, price numeric(10,2), notes text";

/** The engine's part, in miniature: each batch's rows upserted on id and its deletes removed, in one transaction. */
async function apply(table: string, batch: Batch) {
  await wh.begin(async (tx) => {
    if (batch.deletes?.length)
      await tx.unsafe(`delete from ${table} where id = any($1::int[])`, [batch.deletes.map((k) => k[0]) as string[]]);
    if (!batch.rows.length) return;
    const records = batch.rows.map(([id, name, price, notes]) => ({ id, name, price, notes }));
    await tx.unsafe(
      `insert into ${table} select * from jsonb_populate_recordset(null::${table}, $1::jsonb)
       on conflict (id) do update set name = excluded.name, price = excluded.price, notes = excluded.notes`,
      [records as unknown as string],
    );
  });
}

type Run = { cursor: unknown; rows: number; deletes: number; batches: Batch[] };
async function drain(plan: ExtractPlan, table: string, opts: { stopAfter?: number } = {}): Promise<Run> {
  const batches: Batch[] = [];
  let last: unknown = null;
  const abort = new AbortController();
  for await (const b of plan.batches(abort.signal)) {
    await apply(table, b);
    batches.push(b);
    last = b.cursor;
    if (opts.stopAfter && batches.length >= opts.stopAfter) return { cursor: last, rows: 0, deletes: 0, batches };
  }
  return {
    cursor: plan.finalCursor(last),
    rows: batches.reduce((n, b) => n + b.rows.length, 0),
    deletes: batches.reduce((n, b) => n + (b.deletes?.length ?? 0), 0),
    batches,
  };
}

function request(id: string, table: string, over: Partial<ExtractRequest>, checkpoints: Map<string, unknown>): ExtractRequest {
  return {
    syncId: id,
    tableName: table,
    runType: "normal",
    checkpoint: checkpoints.get(table) ?? null,
    resumeFrom: null,
    attempt: 1,
    batchSize: 1000,
    syncCheckpoints: async () => checkpoints,
    ...over,
  };
}

/** A change-capture source of one table keyed on `id`, and the config it was made from. */
function cdcOf(table: string): { config: PostgresSource; source: PostgresCdcSource } {
  const config: PostgresSource = { type: "postgres", url: srcUrl, replication: "logical", tables: [{ name: table, primaryKey: "id" }] };
  return { config, source: new PostgresCdcSource(config) };
}

const digest = async (sql: postgres.Sql, table: string) =>
  (await sql.unsafe(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by id), '')) as md5 from ${table} t`))[0];
const slotOf = async (id: string) =>
  (await src`select confirmed_flush_lsn::text as confirmed, active from pg_replication_slots where slot_name = ${`sync_console_${id}`}`)[0];

describe("postgres source with logical replication (source level)", () => {
  it("snapshot, then exactly the inserts, updates and deletes since; nothing on a quiet run; the slot moves only when told", async () => {
    await src.unsafe(`create table items (${COLS}); alter table items alter column notes set storage external`);
    await src`insert into items select g, 'item ' || g, g * 1.25, case when g % 100 = 0 then repeat('n', 5000) || g end from generate_series(1, 2500) g`;
    await wh.unsafe(`create table items (${COLS})`);
    const id = syncId();
    const { source } = cdcOf("items");
    const checkpoints = new Map<string, unknown>();

    const first = await source.plan(request(id, "items", {}, checkpoints));
    expect(first.total).toBe(2500);
    const snap = await drain(first, "items");
    expect(snap.rows).toBe(2500);
    expect(snap.batches.length).toBe(3);
    checkpoints.set("items", snap.cursor);
    await first.onCompleted?.(snap.cursor);
    expect(await digest(wh, "items")).toEqual(await digest(src, "items"));
    const [{ puballtables }] = await src`select puballtables from pg_publication where pubname = ${`sync_console_${id}`}`;
    expect(puballtables).toBe(false);

    // 5 inserts, 3 updates (one of a row whose TOASTed notes it leaves alone), 2 deletes, in three transactions.
    await src`insert into items select g, 'new ' || g, g, null from generate_series(3001, 3005) g`;
    await src.begin(async (tx) => {
      await tx`update items set price = 0 where id in (1, 2)`;
      await tx`update items set name = 'renamed' where id = 100`;
    });
    await src`delete from items where id in (7, 8)`;
    const before = await slotOf(id);

    const second = await source.plan(request(id, "items", {}, checkpoints));
    const delta = await drain(second, "items");
    expect({ rows: delta.rows, deletes: delta.deletes }).toEqual({ rows: 8, deletes: 2 });
    expect(await digest(wh, "items")).toEqual(await digest(src, "items"));
    const [{ notes }] = await wh`select notes from items where id = 100`;
    expect(notes).toBe(`${"n".repeat(5000)}100`);
    // Read, not consumed: the slot stays until the table's checkpoint is committed and onCompleted runs.
    expect(await slotOf(id)).toEqual(before);
    checkpoints.set("items", delta.cursor);
    await second.onCompleted?.(delta.cursor);
    const after = await slotOf(id);
    expect(after.confirmed).not.toBe(before.confirmed);
    expect(after.active).toBe(false);

    const quiet = await source.plan(request(id, "items", {}, checkpoints));
    const none = await drain(quiet, "items");
    expect({ rows: none.rows, deletes: none.deletes, batches: none.batches.length }).toEqual({ rows: 0, deletes: 0, batches: 0 });
  });

  it("splits a transaction bigger than a batch, keeps each key's last change, and resumes mid-transaction exactly", async () => {
    await src.unsafe(`create table big (${COLS})`);
    await src`insert into big select g, 'b' || g, g, null from generate_series(1, 300) g`;
    await wh.unsafe(`create table big (${COLS})`);
    const id = syncId();
    const { source } = cdcOf("big");
    const checkpoints = new Map<string, unknown>();
    const snap = await drain(await source.plan(request(id, "big", {}, checkpoints)), "big");
    checkpoints.set("big", snap.cursor);

    await src.begin(async (tx) => {
      await tx`update big set price = price + 1`; // 300 changes in one transaction
      await tx`update big set name = 'twice' where id <= 10`;
      await tx`delete from big where id between 11 and 20`;
      await tx`insert into big values (1000, 'x', 1, null)`;
      await tx`update big set name = 'y' where id = 1000`;
    });
    await src`update big set price = -1 where id = 299`;

    // Batches of 100 changes: crash after the second one, then resume from its cursor.
    const plan = await source.plan(request(id, "big", { batchSize: 100 }, checkpoints));
    const part = await drain(plan, "big", { stopAfter: 2 });
    for (const b of part.batches) {
      const keys = [...b.rows.map((r) => r[0]), ...(b.deletes ?? []).map((k) => k[0])];
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect((part.cursor as { txn?: unknown }).txn).toBeTruthy();
    const rest = await drain(
      await source.plan(request(id, "big", { batchSize: 100, resumeFrom: part.cursor, attempt: 2 }, checkpoints)),
      "big",
    );
    expect(rest.batches.length).toBeGreaterThan(0);
    expect(await digest(wh, "big")).toEqual(await digest(src, "big"));
  });

  it.each([
    ["the sync's own publication", null],
    ["an admin's publication FOR ALL TABLES", "for all tables"],
    ["an admin's publication via the partition root", "for table readings_ROOT with (publish_via_partition_root = true)"],
  ])("captures every partition of a partitioned table, run after run, with %s", async (_, existing) => {
    const root = `readings_${randomBytes(3).toString("hex")}`;
    await src.unsafe(`create table ${root} (${COLS}) partition by range (id)`);
    await src.unsafe(`create table ${root}_low partition of ${root} for values from (minvalue) to (1000)`);
    await src.unsafe(`create table ${root}_high partition of ${root} for values from (1000) to (maxvalue)`);
    await src.unsafe(`insert into ${root} select g, 'r' || g, g, null from generate_series(1, 1999) g`);
    await wh.unsafe(`create table ${root} (${COLS})`);
    const id = syncId();
    const publication = `sync_console_${id}`;
    if (existing) await src.unsafe(`create publication ${publication} ${existing.replace("readings_ROOT", root)}`);
    const { config, source } = cdcOf(root);
    const checkpoints = new Map<string, unknown>();
    const step = async () => {
      const plan = await source.plan(request(id, root, {}, checkpoints));
      const done = await drain(plan, root);
      checkpoints.set(root, done.cursor);
      await plan.onCompleted?.(done.cursor);
      return done;
    };
    try {
      expect((await step()).rows).toBe(1999);
      for (const round of [1, 2]) {
        // One change in each partition, and a row that moves between them.
        await src.unsafe(`update ${root} set name = 'round ${round}' where id in (${round * 10}, ${1000 + round * 10})`);
        await src.unsafe(`delete from ${root} where id = ${500 + round}`);
        await src.unsafe(`insert into ${root} values (${5000 + round}, 'new', 1, null)`);
        await src.unsafe(`update ${root} set id = ${3000 + round} where id = ${round}`);
        const delta = await step();
        expect({ rows: delta.rows, deletes: delta.deletes }).toEqual({ rows: 4, deletes: 2 });
        expect(await digest(wh, root)).toEqual(await digest(src, root));
      }
    } finally {
      await dropSyncReplication(config, id, { force: true });
      await src.unsafe(`drop publication if exists ${publication}`);
    }
  });

  it("a dropped slot fails the table with REPLICATION_SLOT_LOST; a resync recreates it, and other tables' old checkpoints are refused", async () => {
    await src.unsafe(`create table a (${COLS}); create table b (${COLS})`);
    await src`insert into a select g, 'a' || g, g, null from generate_series(1, 50) g`;
    await src`insert into b select g, 'b' || g, g, null from generate_series(1, 50) g`;
    await wh.unsafe(`create table a (${COLS}); create table b (${COLS})`);
    const id = syncId();
    const source = new PostgresCdcSource({
      type: "postgres",
      url: srcUrl,
      replication: "logical",
      tables: [
        { name: "a", primaryKey: "id" },
        { name: "b", primaryKey: "id" },
      ],
    });
    const checkpoints = new Map<string, unknown>();
    // Both first copies at once, as two workers would run them: the slot is created once.
    const [pa, pb] = await Promise.all([source.plan(request(id, "a", {}, checkpoints)), source.plan(request(id, "b", {}, checkpoints))]);
    const [ra, rb] = await Promise.all([drain(pa, "a"), drain(pb, "b")]);
    checkpoints.set("a", ra.cursor);
    const held = await slotOf(id);
    await pa.onCompleted?.(ra.cursor);
    // b has no checkpoint yet: the slot must not move.
    expect(await slotOf(id)).toEqual(held);
    checkpoints.set("b", rb.cursor);
    await pb.onCompleted?.(rb.cursor);

    await src`update a set price = 0 where id = 1`;
    await src`select pg_drop_replication_slot(${`sync_console_${id}`})`;
    await expect(source.plan(request(id, "a", {}, checkpoints))).rejects.toMatchObject({ code: "REPLICATION_SLOT_LOST" });

    // A resync copies a again (into a fresh table, as the engine's shadow) and creates a new slot.
    await wh.unsafe(`truncate a`);
    const re = await drain(await source.plan(request(id, "a", { runType: "resync" }, checkpoints)), "a");
    checkpoints.set("a", re.cursor);
    expect(await digest(wh, "a")).toEqual(await digest(src, "a"));
    expect(await slotOf(id)).toBeTruthy();
    // b's checkpoint belongs to the old slot: its changes since are not in the new one.
    await expect(source.plan(request(id, "b", {}, checkpoints))).rejects.toMatchObject({ code: "REPLICATION_SLOT_LOST" });
  });

  it("names the fix when the source role lacks REPLICATION", async () => {
    const role = `cdc_norepl_${randomBytes(3).toString("hex")}`;
    await src.unsafe(
      `create role ${role} login password 'pw' noreplication; grant create on database ${names[0]} to ${role}; grant create on schema public to ${role}`,
    );
    const url = new URL(srcUrl);
    url.username = role;
    url.password = "pw";
    const own = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await own.unsafe(`create table owned (${COLS})`);
    await own.end();
    const source = new PostgresCdcSource({
      type: "postgres",
      url: url.toString(),
      replication: "logical",
      tables: [{ name: "owned", primaryKey: "id" }],
    });
    await expect(source.plan(request(syncId(), "owned", {}, new Map()))).rejects.toMatchObject({
      code: "REPLICATION_PERMISSION_DENIED",
      message: expect.stringContaining(`ALTER ROLE "${role}" WITH REPLICATION`),
    });
  });

  it.each([
    ["a row filter", "for table filtered where (id > 5)", "row filter"],
    ["no truncates", "for table filtered with (publish = 'insert, update, delete')", "truncates"],
  ])("refuses an admin's publication with %s, which would let changes pass unseen", async (_, spec, says) => {
    await src.unsafe(`create table if not exists filtered (${COLS})`);
    const id = syncId();
    await src.unsafe(`create publication sync_console_${id} ${spec}`);
    try {
      const { source } = cdcOf("filtered");
      await expect(source.plan(request(id, "filtered", {}, new Map()))).rejects.toMatchObject({
        code: "PUBLICATION_INCOMPLETE",
        message: expect.stringContaining(says),
      });
    } finally {
      await src.unsafe(`drop publication sync_console_${id}`);
    }
  });

  it("copies an inheritance parent without its children's rows, which its publication does not carry", async () => {
    await src.unsafe(`create table inh (${COLS}); create table inh_child () inherits (inh); alter table inh_child add primary key (id);
      insert into inh values (1, 'parent', 1, null); insert into inh_child values (1001, 'child', 1, null);`);
    await wh.unsafe(`create table inh (${COLS})`);
    const id = syncId();
    const { config, source } = cdcOf("inh");
    const plan = await source.plan(request(id, "inh", {}, new Map()));
    expect(plan.total).toBe(1);
    expect((await drain(plan, "inh")).rows).toBe(1);
    await dropSyncReplication(config, id, { force: true });
  });

  it("says what a new slot waits for when a transaction is left open on the source, and goes on once it ends", async () => {
    await src.unsafe(`create table waiting (${COLS})`);
    await wh.unsafe(`create table waiting (${COLS})`);
    const open = await src.reserve();
    await open.unsafe(`begin; insert into waiting values (1, 'held', 1, null)`);
    process.env.SLOT_CREATE_WAIT_MS = "1000";
    const id = syncId();
    const { config, source } = cdcOf("waiting");
    try {
      await expect(source.plan(request(id, "waiting", {}, new Map()))).rejects.toMatchObject({
        code: "TRANSIENT_SOURCE_ERROR",
        message: expect.stringMatching(/waits for transactions open on the source to end \(the oldest since .+, pid \d+\)/),
      });
      await open.unsafe("commit");
      const plan = await source.plan(request(id, "waiting", {}, new Map()));
      expect((await drain(plan, "waiting")).rows).toBe(1);
    } finally {
      delete process.env.SLOT_CREATE_WAIT_MS;
      await open.unsafe("rollback").catch(() => {});
      open.release();
      await dropSyncReplication(config, id, { force: true });
    }
  });

  it("says a view cannot be replicated, and how to sync it instead", async () => {
    await src.unsafe(`create view some_view as select 1 as id`);
    const { source } = cdcOf("some_view");
    await expect(source.plan(request(syncId(), "some_view", {}, new Map()))).rejects.toMatchObject({
      code: "REPLICATION_NOT_POSSIBLE",
      message: expect.stringContaining("without replication"),
    });
  });

  it("names the fix when a table cannot be published with its deletes", async () => {
    await src.unsafe(`create table nokey (id int not null, name text)`);
    const { source } = cdcOf("nokey");
    await expect(source.plan(request(syncId(), "nokey", {}, new Map()))).rejects.toMatchObject({
      code: "REPLICA_IDENTITY_MISSING",
      message: expect.stringContaining("REPLICA IDENTITY FULL"),
    });
  });
});

describe("a change data capture sync run by a worker", () => {
  let app: Awaited<ReturnType<typeof freshDatabase>>;
  let worker: Worker;
  beforeAll(async () => {
    app = await freshDatabase();
    worker = new Worker({ url: app.url, concurrency: 2 });
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop();
    await app?.drop();
  });

  it("snapshot, then 5/3/2 inserted/updated/deleted with the warehouse equal to the source; a quiet run moves nothing; lost slot, resync, delete", async () => {
    await src.unsafe(`create table orders (${COLS}); create table lines (${COLS})`);
    await src`insert into orders select g, 'order ' || g, g * 0.5, null from generate_series(1, 1200) g`;
    await src`insert into lines select g, 'line ' || g, g, null from generate_series(1, 300) g`;
    const integration = await createIntegration(app.db, "cdc");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "cdc",
      source: {
        type: "postgres",
        url: srcUrl,
        replication: "logical",
        tables: [
          { name: "orders", primaryKey: "id" },
          { name: "lines", primaryKey: "id" },
        ],
      },
      destination: { type: "postgres", schema: "wh_cdc" },
    });
    const slot = `sync_console_${sync.id}`;
    const warehouse = (t: string) => digest(app.sql, `wh_cdc.${t}`);

    const first = await run(app.db, app.sql, sync.id);
    expect(first).toMatchObject({ status: "completed", num_extracted_records: 1500 });
    expect(await warehouse("orders")).toEqual(await digest(src, "orders"));
    expect(await warehouse("lines")).toEqual(await digest(src, "lines"));

    await src`insert into orders select g, 'new ' || g, g, null from generate_series(5001, 5005) g`;
    await src`update orders set price = price + 1 where id in (10, 20, 30)`;
    await src`delete from orders where id in (40, 50)`;
    const before = await slotOf(sync.id);
    const second = await run(app.db, app.sql, sync.id);
    expect(second).toMatchObject({
      status: "completed",
      num_inserted_records: 5,
      num_updated_records: 3,
      num_deleted_records: 2,
      num_extracted_records: 10,
    });
    expect(await warehouse("orders")).toEqual(await digest(src, "orders"));
    // The slot moves right after the tables complete (never before their checkpoints are committed).
    const after = await waitFor(
      async () => {
        const now = await slotOf(sync.id);
        return now.confirmed !== before.confirmed ? now : undefined;
      },
      10_000,
      50,
    );
    const [{ moved }] = await src`select ${after.confirmed}::pg_lsn > ${before.confirmed}::pg_lsn as moved`;
    expect(moved).toBe(true);

    const quiet = await run(app.db, app.sql, sync.id);
    expect(quiet).toMatchObject({
      status: "completed",
      num_extracted_records: 0,
      num_inserted_records: 0,
      num_updated_records: 0,
      num_deleted_records: 0,
    });

    await waitFor(async () => ((await slotOf(sync.id)).active ? undefined : true), 10_000, 50);
    await src`select pg_drop_replication_slot(${slot})`;
    await src`update orders set name = 'after the loss' where id <= 5`;
    const lost = await run(app.db, app.sql, sync.id);
    expect(lost.status).toBe("failed");
    const tables = await tablesOf(app.sql, lost.id);
    expect(tables.orders).toMatchObject({ status: "failed", error_code: "REPLICATION_SLOT_LOST" });
    expect(tables.orders.error_message).toContain("resync");

    const resync = await run(app.db, app.sql, sync.id, "resync");
    expect(resync.status).toBe("completed");
    expect(await warehouse("orders")).toEqual(await digest(src, "orders"));
    expect(await warehouse("lines")).toEqual(await digest(src, "lines"));
    // And CDC carries on from the new slot.
    await src`delete from orders where id = 1`;
    const next = await run(app.db, app.sql, sync.id);
    expect(next).toMatchObject({ status: "completed", num_deleted_records: 1 });
    expect(await warehouse("orders")).toEqual(await digest(src, "orders"));

    await deleteSync(app.db, sync.id, undefined, { dropReplication: dropSyncReplication });
    expect(await src`select 1 from pg_replication_slots where slot_name = ${slot}`).toHaveLength(0);
    expect(await src`select 1 from pg_publication where pubname = ${slot}`).toHaveLength(0);
  });

  it("switching replication off drops the slot and publication it no longer reads", async () => {
    await src.unsafe(`create table switched (${COLS})`);
    await src`insert into switched values (1, 'one', 1, null)`;
    const integration = await createIntegration(app.db, "cdc-off");
    const tables = [{ name: "switched", primaryKey: "id" }];
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "cdc off",
      source: { type: "postgres", url: srcUrl, replication: "logical", tables },
      destination: { type: "postgres", schema: "wh_cdc_off" },
    });
    const slot = `sync_console_${sync.id}`;
    expect(await run(app.db, app.sql, sync.id)).toMatchObject({ status: "completed", num_extracted_records: 1 });
    expect(await src`select 1 from pg_replication_slots where slot_name = ${slot}`).toHaveLength(1);
    await patchSync(app.db, sync.id, { source: { type: "postgres", url: srcUrl, tables } }, undefined, dropSyncReplication);
    expect(await src`select 1 from pg_replication_slots where slot_name = ${slot}`).toHaveLength(0);
    expect(await src`select 1 from pg_publication where pubname = ${slot}`).toHaveLength(0);
  });
});
