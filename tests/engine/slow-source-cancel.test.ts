import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { cancelJob } from "../../lib/jobs/cancel";
import { triggerRun } from "../../lib/jobs/trigger";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "../helpers/api";
import { tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { plainDatabase } from "../helpers/plain-db";

let app: Awaited<ReturnType<typeof freshDatabase>>;
let source: Awaited<ReturnType<typeof plainDatabase>>;
let worker: Worker;

beforeAll(async () => {
  [app, source] = await Promise.all([freshDatabase(), plainDatabase("slow")]);
  // A source whose every read sleeps 25 s, as a slow view over a busy database does.
  await source.sql.unsafe(`
    create table items (id int primary key, name text);
    insert into items select g, 'n' || g from generate_series(1, 10) g;
    create function slow_items() returns setof items language sql as $$ select pg_sleep(25); select * from items $$;
    create view slow_items as select * from slow_items();`);
  worker = new Worker({ url: app.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([app?.drop(), source?.drop()]);
});

describe("cancel during a slow source query", () => {
  it("settles the table as canceled within about a second, without waiting for the query", async () => {
    const integration = await createIntegration(app.db, "slow");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "slow view",
      source: { type: "postgres", url: source.url, tables: [{ name: "slow_items", primaryKey: "id" }] },
      destination: { type: "postgres", schema: "wh_slow" },
    });
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "apiKey:test" });
    await waitFor(async () => ((await tablesOf(app.sql, job.id)).slow_items.status === "running" ? true : undefined), 20_000, 50);
    await new Promise((r) => setTimeout(r, 500)); // inside the sleeping query by now
    const asked = Date.now();
    await cancelJob(app.db, job.id, "apiKey:test");
    const ended = await waitForEnd(app.sql, job.id, 20_000);
    expect(ended.status).toBe("canceled");
    expect(Date.now() - asked).toBeLessThan(3000);
    expect((await tablesOf(app.sql, job.id)).slow_items.status).toBe("canceled");
  });
});
