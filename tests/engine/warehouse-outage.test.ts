import net from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { triggerRun } from "../../lib/jobs/trigger";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "../helpers/api";
import { run, tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { digest, plainDatabase } from "../helpers/plain-db";

/**
 * The warehouse goes away for a while (a restart, a failover): the workers reach it through a TCP
 * relay of the test's own, in front of a real Postgres, that stops listening and cuts every open
 * connection, then listens again on the same port; or a session of its own holds a lock on a
 * warehouse table. Statements wait 500 ms for a lock. Backoff for these tests: 100 ms doubling, five
 * attempts for other failures and seven for lost connections (attempts start at 0, 0.1, 0.3, 0.7,
 * 1.5, 3.1 and 6.3 s).
 */
process.env.RETRY_BASE_MS = "100";
process.env.MAX_ATTEMPTS = "5";
process.env.CONNECTION_ATTEMPTS = "7";
process.env.WAREHOUSE_LOCK_WAIT_MS = "500";

/** A relay to `target` that can be taken down (refusing connections, cutting open ones) and brought back. */
async function relay(target: URL) {
  const open = new Set<net.Socket>();
  const serve = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          open.add(s);
          s.on("close", () => open.delete(s));
          s.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
  let server = await serve(0);
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    down: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of open) s.destroy();
      });
    },
    up: async () => {
      server = await serve(port);
    },
    close: () => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r())),
  };
}

let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof plainDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;
let gate: Awaited<ReturnType<typeof relay>>;
let worker: Worker;
const COLS = ["id", "name"];

beforeAll(async () => {
  [app, source, warehouse] = await Promise.all([freshDatabase(), plainDatabase("src"), plainDatabase("wh")]);
  gate = await relay(new URL(warehouse.url));
  worker = new Worker({ url: app.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await gate?.close();
  await Promise.all([app?.drop(), source?.drop(), warehouse?.drop()]);
});

async function itemsSync(table: string) {
  await source.sql.unsafe(`
    create table ${table} (id int primary key, name text not null);
    insert into ${table} select g, 'n' || g from generate_series(1, 20000) g;`);
  const integration = await createIntegration(app.db, `outage-${table}`);
  return createSync(app.db, {
    _integrationId: integration.id,
    name: `outage ${table}`,
    source: { type: "postgres", url: source.url, tables: [{ name: table, primaryKey: "id" }] },
    destination: { type: "postgres", schema: `wh_${table}`, url: gate.url },
  });
}

describe("a warehouse that goes away", () => {
  it("for a few seconds: the table retries past it and completes, every row once", async () => {
    const sync = await itemsSync("restarted");
    await gate.down();
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "user:test@example.com" });
    // Longer than five attempts last (1.5 s), shorter than seven (3.1 s).
    await new Promise((r) => setTimeout(r, 2_500));
    await gate.up();
    const ended = await waitForEnd(app.sql, job.id, 60_000);
    expect(ended.status).toBe("completed");
    const { restarted } = await tablesOf(app.sql, job.id);
    expect(restarted.num_attempts).toBeGreaterThan(5);
    expect(restarted).toMatchObject({ num_loaded_records: 20000, num_inserted_records: 20000 });
    expect(await digest(warehouse.sql, "wh_restarted.restarted", COLS)).toEqual(await digest(source.sql, "restarted", COLS));
  }, 90_000);

  it("for good: the table fails with WAREHOUSE_UNREACHABLE once the longer budget is spent, not LOAD_FAILED", async () => {
    const sync = await itemsSync("gone");
    await gate.down();
    try {
      const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "user:test@example.com" });
      const ended = await waitForEnd(app.sql, job.id, 60_000);
      expect(ended.status).toBe("failed");
      const { gone } = await tablesOf(app.sql, job.id);
      expect(gone.num_attempts).toBe(7);
      const [error] = await app.sql`select code, message from sync_errors where parent_job_id = ${job.id}`;
      expect(error).toMatchObject({ code: "WAREHOUSE_UNREACHABLE", message: expect.stringMatching(/could not be reached/) });
    } finally {
      await gate.up();
    }
  }, 90_000);
});

describe("a warehouse table someone else keeps locked", () => {
  it("fails the attempts after the lock wait, then the table with WAREHOUSE_TABLE_LOCKED, and a run after the lock goes works", async () => {
    const sync = await itemsSync("locked");
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    await source.sql`update locked set name = 'changed' where id <= 10`;
    // An operator's LOCK TABLE (or a VACUUM FULL) in a transaction left open.
    const holder = postgres(warehouse.url, { max: 1, onnotice: () => {} });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let locked = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = holder.begin(async (t) => {
      await t`lock table wh_locked.locked in access exclusive mode`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const started = Date.now();
      const job = await run(app.db, app.sql, sync.id);
      expect(job.status).toBe("failed");
      // Five attempts of about WAREHOUSE_LOCK_WAIT_MS each, not as long as the lock is held.
      expect(Date.now() - started).toBeLessThan(20_000);
      const [error] = await app.sql`select code, message from sync_errors where parent_job_id = ${job.id}`;
      expect(error).toMatchObject({ code: "WAREHOUSE_TABLE_LOCKED", message: expect.stringMatching(/lock timeout/) });
    } finally {
      release();
      await tx;
      await holder.end();
    }
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
    expect(await digest(warehouse.sql, "wh_locked.locked", COLS)).toEqual(await digest(source.sql, "locked", COLS));
  }, 90_000);
});

describe("a warehouse schema dropped while a table loads", () => {
  it("fails the table as WAREHOUSE_TABLE_MISSING, saying what happened, not LOAD_FAILED", async () => {
    const integration = await createIntegration(app.db, "outage-dropped");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "dropped schema",
      source: { type: "sample", seed: 1, tables: [{ name: "slow", rows: 20_000, rowsPerSecond: 4_000 }] },
      destination: { type: "postgres", schema: "wh_dropped", url: warehouse.url },
    });
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "user:test@example.com" });
    await waitFor(async () => ((await tablesOf(app.sql, job.id)).slow?.num_loaded_records > 0 ? true : undefined), 20_000, 50);
    await warehouse.sql`drop schema wh_dropped cascade`;
    expect((await waitForEnd(app.sql, job.id, 30_000)).status).toBe("failed");
    const [error] = await app.sql`select code, message from sync_errors where parent_job_id = ${job.id}`;
    expect(error.code).toBe("WAREHOUSE_TABLE_MISSING");
    expect(error.message).toMatch(/^The warehouse schema wh_dropped or one of its tables was dropped while the table loaded/);
  }, 60_000);
});

describe("a warehouse that turns us away", () => {
  it.each([
    ["a database that does not exist", (u: URL) => (u.pathname = "/no_such_warehouse"), /Database no_such_warehouse does not exist/],
    ["a role that does not exist", (u: URL) => (u.username = "nobody_here"), /user nobody_here was refused|refused user nobody_here/], // a password server says 28P01, hiding which roles exist
  ])(
    "for %s: fails the table at once as WAREHOUSE_CONNECTION_REFUSED, saying what to fix",
    async (what, spoil, said) => {
      const url = new URL(warehouse.url);
      spoil(url);
      const integration = await createIntegration(app.db, `refused-${what}`);
      const sync = await createSync(app.db, {
        _integrationId: integration.id,
        name: `refused: ${what}`,
        source: { type: "sample", seed: 1, tables: [{ name: "users", rows: 100 }] },
        destination: { type: "postgres", schema: "wh_refused", url: url.toString() },
      });
      const job = await run(app.db, app.sql, sync.id);
      expect(job.status).toBe("failed");
      const { users } = await tablesOf(app.sql, job.id);
      expect(users.num_attempts).toBe(1);
      const [error] = await app.sql`select code, message from sync_errors where parent_job_id = ${job.id}`;
      expect(error.code).toBe("WAREHOUSE_CONNECTION_REFUSED");
      expect(error.message).toMatch(said);
      expect(error.message).toMatch(/Fix the destination's URL/);
      expect(error.message).not.toContain(url.password || "\u0000");
    },
    60_000,
  );
});

describe("a sync whose connection is no longer allowed", () => {
  it("fails the table at once with CONNECTION_NOT_ALLOWED when SOURCE_HOSTS_ALLOW was narrowed after it was saved", async () => {
    const integration = await createIntegration(app.db, "not-allowed");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "no longer allowed",
      source: { type: "sample", seed: 1, tables: [{ name: "users", rows: 100 }] },
      destination: { type: "postgres", schema: "wh_not_allowed", url: warehouse.url },
    });
    process.env.SOURCE_HOSTS_ALLOW = "10.0.0.0/8";
    try {
      const job = await run(app.db, app.sql, sync.id);
      expect(job.status).toBe("failed");
      const { users } = await tablesOf(app.sql, job.id);
      expect(users).toMatchObject({ num_attempts: 1, num_loaded_records: 0, error_code: "CONNECTION_NOT_ALLOWED" });
      expect(users.error_message).toMatch(/destination\.url: this host is not in the allowed source hosts/);
      const [{ n }] = await warehouse.sql`select count(*)::int as n from pg_namespace where nspname = 'wh_not_allowed'`;
      expect(n).toBe(0);
    } finally {
      delete process.env.SOURCE_HOSTS_ALLOW;
    }
    expect((await run(app.db, app.sql, sync.id)).status).toBe("completed");
  }, 60_000);
});
