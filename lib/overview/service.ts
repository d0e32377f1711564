import type { DbOrTx } from "@/db/client";
import type { OverviewT } from "@/lib/contracts/overview";
import { integrationHealth, latestFailures } from "./queries";

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** GET /v1/overview and the home page: integrations with their syncs' health, and the latest failures. */
export async function getOverview(db: DbOrTx, opts: { failures: number }): Promise<OverviewT> {
  const [health, failures] = await Promise.all([integrationHealth(db), latestFailures(db, opts.failures)]);
  const totals = { numIntegrations: health.length, numSyncs: 0, failing: 0, running: 0, neverRun: 0, disabled: 0, healthy: 0, withRecordErrors: 0 };
  const integrations = health.map((h) => {
    const row = {
      _id: h.id,
      name: h.name,
      numSyncs: Number(h.num_syncs),
      failing: Number(h.failing),
      running: Number(h.running),
      neverRun: Number(h.never_run),
      disabled: Number(h.disabled),
      healthy: Number(h.healthy),
      withRecordErrors: Number(h.with_record_errors),
      ...(h.last_failure_at ? { lastFailureAt: iso(h.last_failure_at) } : {}),
    };
    for (const k of ["numSyncs", "failing", "running", "neverRun", "disabled", "healthy", "withRecordErrors"] as const) totals[k] += row[k];
    return row;
  });
  return {
    totals,
    integrations,
    latestFailures: failures.map((f) => ({
      _syncJobId: f.id,
      _syncId: f.sync_id,
      syncName: f.sync_name,
      _integrationId: f.integration_id,
      integrationName: f.integration_name,
      runType: f.run_type as "normal" | "resync",
      endedAt: iso(f.ended_at),
      ...(f.error_message ? { errorMessage: f.error_message } : {}),
      failedTables: f.failed_tables ?? [],
      numErrors: Number(f.num_errors),
      syncRecovered: !!f.sync_recovered,
    })),
  };
}
