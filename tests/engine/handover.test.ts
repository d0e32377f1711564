import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { triggerRun } from "../../lib/jobs/trigger";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "../helpers/api";
import { tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { plainDatabase } from "../helpers/plain-db";

let app: Awaited<ReturnType<typeof freshDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;

beforeAll(async () => {
  [app, warehouse] = await Promise.all([freshDatabase(), plainDatabase("hand")]);
});
afterAll(async () => {
  await Promise.all([app?.drop(), warehouse?.drop()]);
});

describe("a graceful stop", () => {
  it("hands a running table to another worker at once, which carries on from what landed in the warehouse", async () => {
    const integration = await createIntegration(app.db, "handover");
    const sync = await createSync(app.db, {
      _integrationId: integration.id,
      name: "handover",
      source: { type: "sample", seed: 5, tables: [{ name: "events", rows: 4000, rowsPerSecond: 2000 }] },
      destination: { type: "postgres", schema: "wh_handover", url: warehouse.url },
    });
    const first = new Worker({ url: app.url, concurrency: 1 });
    await first.start();
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "apiKey:test" });
    await waitFor(async () => ((await tablesOf(app.sql, job.id)).events.batches >= 2 ? true : undefined), 20_000, 50);
    await first.stop();
    expect((await tablesOf(app.sql, job.id)).events.status).toBe("queued");

    const second = new Worker({ url: app.url, concurrency: 1 });
    await second.start();
    const stoppedAt = Date.now();
    try {
      const ended = await waitForEnd(app.sql, job.id, 30_000);
      // Well inside the 15 s lease: the table was handed back, not left to expire.
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(ended).toMatchObject({ status: "completed", num_extracted_records: 4000, num_loaded_records: 4000 });
      expect((await tablesOf(app.sql, job.id)).events.num_attempts).toBe(1);
      const [{ n, distinct }] = await warehouse.sql`select count(*)::int as n, count(distinct id)::int as distinct from wh_handover.events`;
      expect({ n, distinct }).toEqual({ n: 4000, distinct: 4000 });
    } finally {
      await second.stop();
    }
  });
});
