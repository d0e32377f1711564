import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toReadError, toSourceError } from "../../lib/engine/sources/postgres-common";
import { FatalSourceError, TransientSourceError } from "../../lib/engine/sources/types";
import { Worker } from "../../lib/engine/worker";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { run, tablesOf } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";

let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  app = await freshDatabase();
  source = await freshDatabase();
  await source.sql`create table accounts (id int primary key, name text not null, balance numeric(10,2), updated_at timestamptz not null)`;
  await source.sql`insert into accounts select g, 'acct ' || g, g * 1.5, '2026-01-01'::timestamptz + g * interval '1 second' from generate_series(1, 2500) g`;
  worker = new Worker({ url: app.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await app?.drop();
  await source?.drop();
});

describe("postgres source", () => {
  it("copies a real table, then moves only rows past the cursor, and a resync mirrors deletes", async () => {
    const integration = await createIntegration(app.db, "pg");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "pg source",
      source: {
        type: "postgres",
        url: source.url,
        schema: "public",
        tables: [{ name: "accounts", primaryKey: "id", cursorColumn: "updated_at" }],
      },
      destination: { type: "postgres", schema: "wh_pg" },
    });

    const first = await run(app.db, app.sql, sync.id);
    expect(first).toMatchObject({ status: "completed", num_extracted_records: 2500, num_loaded_records: 2500 });
    const [copy] = await app.sql`select count(*)::int as n, sum(balance)::text as total from wh_pg.accounts`;
    const [orig] = await source.sql`select count(*)::int as n, sum(balance)::text as total from accounts`;
    expect(copy).toEqual(orig);

    await source.sql`update accounts set balance = 0, updated_at = now() where id <= 40`;
    const second = await run(app.db, app.sql, sync.id);
    expect(second).toMatchObject({ status: "completed", num_extracted_records: 40, num_updated_records: 40 });
    const [{ zeroed }] = await app.sql`select count(*)::int as zeroed from wh_pg.accounts where balance = 0`;
    expect(zeroed).toBe(40);

    await source.sql`delete from accounts where id > 2000`;
    const resync = await run(app.db, app.sql, sync.id, "resync");
    expect(resync).toMatchObject({ status: "completed", num_extracted_records: 2000 });
    const [{ n }] = await app.sql`select count(*)::int as n from wh_pg.accounts`;
    expect(n).toBe(2000);
  });

  it("lands every value exactly as the source holds it: escapes, NULLs, non-ASCII text, JSON, arrays, timestamps", async () => {
    await source.sql`create table tricky (id int primary key, t text, j jsonb, a text[], ts timestamptz, n numeric, b boolean)`;
    await source.sql.unsafe(
      `insert into tricky values
        (1, $1, $2::jsonb, $3::text[], '2026-03-04T05:06:07.891+00', 12345678901234.5678, true),
        (2, null, null, null, null, null, null),
        (3, $4, $5::jsonb, '{}', '1999-12-31T23:59:59Z', -0.001, false),
        (4, '', '"just a string"', '{""}', '2026-01-01T00:00:00Z', 0, null)`,
      [
        "tab\there, newline\nthere, cr\rthere, backslash \\ and \\N",
        JSON.stringify({ k: "v\t\n\\", n: 1 }),
        '{"x,y","q\\"uote","\\\\"}',
        "Grüße, 東京, emoji 🚀, right-to-left עברית, zero-width \u200b",
        JSON.stringify([1, "two", null]),
      ],
    );
    const integration = await createIntegration(app.db, "pg-tricky");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "tricky values",
      source: { type: "postgres", url: source.url, schema: "public", tables: [{ name: "tricky", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_tricky" },
    });
    const digest = (sql: typeof app.sql, table: string) =>
      sql.unsafe(`select id, t, j::text as j, a::text as a, ts::text as ts, n::text as n, b from ${table} order by id`);
    const expected = await digest(source.sql, "public.tricky");
    for (const runType of ["normal", "resync"] as const) {
      const job = await run(app.db, app.sql, sync.id, runType);
      expect(job).toMatchObject({ status: "completed", num_loaded_records: 4, num_errors: 0 });
      expect(await digest(app.sql, "wh_tricky.tricky")).toEqual(expected);
    }
  });

  it("fails a table whose source table does not exist, naming the problem", async () => {
    const integration = await createIntegration(app.db, "pg-missing");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "missing",
      source: { type: "postgres", url: source.url, tables: [{ name: "nope", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_pg_missing" },
    });
    const job = await run(app.db, app.sql, sync.id);
    expect(job.status).toBe("failed");
    const { nope } = await tablesOf(app.sql, job.id);
    expect(nope).toMatchObject({ status: "failed", error_code: "TABLE_NOT_FOUND" });
  });
});

describe("what a source's refusal means", () => {
  it("a statement timeout is retried (a slow moment), a missing right is not", async () => {
    const timedOut = await source.sql
      .begin(async (t) => {
        await t`set local statement_timeout = 50`;
        await t`select pg_sleep(1)`;
      })
      .catch((e: unknown) => e);
    expect((timedOut as { code?: string }).code).toBe("57014");
    expect(toSourceError(timedOut)).toBeInstanceOf(TransientSourceError);
    expect(toReadError(timedOut)).toBeInstanceOf(TransientSourceError);

    const missing = await source.sql`select * from no_such_table_here`.catch((e: unknown) => e);
    expect(toSourceError(missing)).toMatchObject({ code: "PG_42P01" });
    expect(toSourceError(missing)).toBeInstanceOf(FatalSourceError);
  });
});
