import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { inject } from "vitest";
import * as schema from "../../db/schema";
import type { SourceConfig } from "../../lib/contracts/sync-config";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { api, waitFor } from "./api";

let shared: postgres.Sql | undefined;
/** A direct connection to the test server's database (for fixtures and for checking the warehouse). */
export function testSql(): postgres.Sql {
  shared ??= postgres(inject("databaseUrl"), { max: 4, onnotice: () => {} });
  return shared;
}
export const testDb = () => drizzle(testSql(), { schema });

const unique = () => Math.random().toString(36).slice(2, 8);

/** An integration with one sync of `sample` tables, in a schema of its own. */
export async function sampleSync(
  tables: Extract<SourceConfig, { type: "sample" }>["tables"],
  opts: { seed?: number; disabled?: boolean } = {},
) {
  const db = testDb();
  const integration = await createIntegration(db, `it-${unique()}`);
  const sync = await createSync(db, {
    _integrationId: integration.id,
    name: `sync-${unique()}`,
    source: { type: "sample", seed: opts.seed ?? 1, tables },
    destination: { type: "postgres", schema: `wh_t_${unique()}` },
    disabled: opts.disabled,
  });
  return { integration, sync, schema: (sync.destination as { schema: string }).schema };
}

const TERMINAL = ["completed", "failed", "canceled"];

/** Triggers a run over HTTP and waits for the parent job to end; returns its family. */
export async function runToEnd(syncId: string, body: Record<string, unknown> = {}, timeoutMs = 60_000) {
  const run = await api("POST", `/v1/syncs/${syncId}/run`, { body });
  if (run.status !== 200) throw new Error(`run failed: ${run.status} ${run.text}`);
  return waitForJobEnd(run.body._syncJobId, timeoutMs);
}

export async function waitForJobEnd(jobId: string, timeoutMs = 60_000) {
  return waitFor(async () => {
    const fam = await api("GET", `/v1/syncJobs/${jobId}/family`);
    return TERMINAL.includes(fam.body?.status) ? fam.body : undefined;
  }, timeoutMs);
}
