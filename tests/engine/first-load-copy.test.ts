import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SampleTableData } from "../../lib/engine/sources/sample";
import { Worker } from "../../lib/engine/worker";
import { presentJob } from "../../lib/jobs/present";
import { getSyncJob, getTableJobs } from "../../lib/jobs/queries";
import { triggerRun } from "../../lib/jobs/trigger";
import { waitFor } from "../helpers/api";
import { makeSampleSync, tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";

/**
 * A first load into an empty table COPYs its batches straight in. A key that is there after all
 * (here: a row someone wrote into the warehouse table mid-load) must not fail the table or
 * duplicate the row: that batch, and the rest, go through the upsert.
 */
let env: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  env = await freshDatabase();
  worker = new Worker({ url: env.url, concurrency: 2 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await env?.drop();
});

describe("first load into an empty table", () => {
  it("a key already in the table mid-load is upserted, counted as an update, and the running parent shows its tables' sums", async () => {
    // 5 batches of 1,200 rows, one every 200 ms.
    const table = { name: "orders", rows: 6000, rowsPerSecond: 6000 };
    const { sync, schema } = await makeSampleSync(env.db, [table]);
    const job = await triggerRun(env.db, { syncId: sync.id, runType: "normal", triggeredBy: "user:test@example.com" });
    await waitFor(async () => ((await tablesOf(env.sql, job.id)).orders.num_extracted_records > 0 ? true : undefined), 30_000, 20);
    await env.sql.unsafe(
      `insert into ${schema}.orders (id, name, email, amount, status, version, updated_at) values (6000, 'planted', 'p@example.com', 1, 'x', 99, now())`,
    );

    // While it runs, the parent's counters are its table's (workers do not write the parent per batch).
    const tables = await getTableJobs(env.db, job.id);
    const parent = presentJob((await getSyncJob(env.db, job.id))!, tables);
    expect(parent.status).toBe("running");
    expect(parent.numExtractedRecords).toBeGreaterThan(0);
    expect(parent.numExtractedRecords).toBe(tables[0].numExtractedRecords);
    expect(parent.numLoadedRecords).toBe(tables[0].numLoadedRecords);

    const ended = await waitForEnd(env.sql, job.id, 60_000);
    expect(ended).toMatchObject({
      status: "completed",
      num_extracted_records: 6000,
      num_loaded_records: 6000,
      num_inserted_records: 5999,
      num_updated_records: 1,
    });
    const { orders } = await tablesOf(env.sql, job.id);
    expect(orders).toMatchObject({ num_inserted_records: 5999, num_updated_records: 1, num_errors: 0 });
    const [{ n, distinct }] = await env.sql.unsafe(`select count(*)::int as n, count(distinct id)::int as distinct from ${schema}.orders`);
    expect({ n, distinct }).toEqual({ n: 6000, distinct: 6000 });
    // The source's row replaced the planted one.
    const [row] = await env.sql.unsafe(`select name, version from ${schema}.orders where id = 6000`);
    expect(row).toEqual({ name: new SampleTableData(table, 1).row(6000, 0)[1], version: 0 });
  }, 90_000);
});
