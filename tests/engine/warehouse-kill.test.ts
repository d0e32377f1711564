import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { triggerRun } from "../../lib/jobs/trigger";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "../helpers/api";
import { tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { digest, plainDatabase } from "../helpers/plain-db";

/**
 * The warehouse's backends are killed (pg_terminate_backend, as an operator or a failover does)
 * while a resync lands two batches side by side: every attempt must settle (fail and be retried,
 * or finish), never wait forever on a connection that is gone.
 */
process.env.BATCH_SIZE = "2000";
process.env.RETRY_BASE_MS = "50";

let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof plainDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;
let worker: Worker;

beforeAll(async () => {
  [app, source, warehouse] = await Promise.all([freshDatabase(), plainDatabase("src"), plainDatabase("wh")]);
  await source.sql.unsafe(`
    create table big (id bigint primary key, v int, payload text);
    insert into big select g, g % 1000, md5(g::text) || repeat('x', 60) from generate_series(1, 100000) g;`);
  worker = new Worker({ url: app.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  delete process.env.BATCH_SIZE;
  await worker?.stop();
  await Promise.all([app?.drop(), source?.drop(), warehouse?.drop()]);
});

const killActive = () =>
  warehouse.sql`
    select pg_terminate_backend(pid) from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`;

describe("warehouse backends killed mid-run", () => {
  it("a resync settles every time and ends with every row once", async () => {
    const integration = await createIntegration(app.db, "kill");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "kill",
      source: { type: "postgres", url: source.url, tables: [{ name: "big", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_kill", url: warehouse.url },
    });
    for (let round = 0; round < 3; round++) {
      const job = await triggerRun(app.db, { syncId: sync.id, runType: "resync", triggeredBy: "user:test@example.com" });
      await waitFor(async () => ((await tablesOf(app.sql, job.id)).big?.num_extracted_records > 0 ? true : undefined), 30_000, 20);
      for (let k = 0; k < 3; k++) {
        await killActive();
        await new Promise((r) => setTimeout(r, 150 + round * 120));
      }
      // On a stall, also print the warehouse sessions: this test has stalled about one
      // run in three locally, and which warehouse wait never settles is the clue.
      const ended = await waitForEnd(app.sql, job.id, 60_000).catch(async (e) => {
        const sessions = await warehouse.sql`
          select pid, state, wait_event_type, wait_event, left(query, 120) as query, xact_start
          from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        console.error("warehouse sessions of the stalled run", JSON.stringify(sessions));
        throw e;
      });
      expect(ended.status, `round ${round}`).toBe("completed");
    }
    expect(await digest(warehouse.sql, "wh_kill.big", ["id", "v", "payload"])).toEqual(
      await digest(source.sql, "big", ["id", "v", "payload"]),
    );
  }, 300_000);
});
