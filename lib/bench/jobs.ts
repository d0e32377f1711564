import type postgres from "postgres";
import type { Db } from "@/db/client";
import { TERMINAL_STATUSES } from "@/db/schema";
import { type RunType, triggerRun } from "@/lib/jobs/trigger";
import type { SampleTable } from "@/lib/contracts/sync-config";
import { createIntegration, createSync } from "@/lib/syncs/create";
import { sleep } from "./stats";

let integrationId: string | undefined;
let syncCount = 0;

/** A sample-source sync writing into a warehouse schema of its own. */
export async function makeSampleSync(
  db: Db,
  tables: SampleTable[],
  seed = 7,
  warehouseUrl?: string,
): Promise<{ id: string; schema: string }> {
  integrationId ??= (await createIntegration(db, "bench")).id;
  const schema = `bench_wh_${++syncCount}`;
  const sync = await createSync(db, {
    _integrationId: integrationId,
    name: `bench ${syncCount}`,
    source: { type: "sample", seed, tables },
    destination: { type: "postgres", schema, ...(warehouseUrl ? { url: warehouseUrl } : {}) },
  });
  return { id: sync.id, schema };
}

export async function trigger(db: Db, syncId: string, runType: RunType = "normal"): Promise<string> {
  const job = await triggerRun(db, { syncId, runType, triggeredBy: "user:bench@example.com" });
  return job.id;
}

/** Polls until the parent job is terminal; returns its status. */
export async function waitForEnd(sql: postgres.Sql, jobId: string, opts: { timeoutMs: number; everyMs: number }): Promise<string> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const [job] = await sql<{ status: string }[]>`select status from sync_jobs where id = ${jobId}`;
    if ((TERMINAL_STATUSES as readonly string[]).includes(job.status)) return job.status;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${opts.timeoutMs} ms`);
    await sleep(opts.everyMs);
  }
}

export async function expectStatus(sql: postgres.Sql, jobId: string, expected: string, opts = { timeoutMs: 60_000, everyMs: 20 }) {
  const status = await waitForEnd(sql, jobId, opts);
  if (status !== expected) {
    const [job] = await sql<{ error_message: string | null }[]>`select error_message from sync_jobs where id = ${jobId}`;
    throw new Error(`bench job ${jobId} ended ${status}, expected ${expected}: ${job.error_message ?? ""}`);
  }
}
