import type { DbOrTx } from "@/db/client";
import type { OverviewQueryT, OverviewT } from "@/lib/contracts/overview";
import { type HealthRow, integrationHealth, latestFailures } from "./queries";

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
type IntegrationHealth = OverviewT["integrations"][number];
const COUNTS = ["numSyncs", "failing", "running", "neverRun", "disabled", "healthy", "withRecordErrors"] as const;

function present(h: HealthRow): IntegrationHealth {
  return {
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
}

/** Integrations needing a look first (most failing syncs), then by name: the order home lists them in. */
const byAttention = (a: IntegrationHealth, b: IntegrationHealth) =>
  b.failing - a.failing || a.name.localeCompare(b.name) || (a._id < b._id ? -1 : 1);

/**
 * GET /v1/overview and the home page: totals over every sync, the latest failures, and one page
 * of integrations with their syncs' health. The totals need every integration's counts anyway, so
 * one statement computes them all (a few numbers per integration) and the page is a slice of it:
 * what stays small is what goes over the wire and into the page, not what the database counts.
 */
export async function getOverview(db: DbOrTx, opts: Pick<OverviewQueryT, "failures"> & Partial<OverviewQueryT>): Promise<OverviewT> {
  const { limit = 50, offset = 0 } = opts;
  const [health, failures] = await Promise.all([integrationHealth(db), latestFailures(db, opts.failures)]);
  const all = health.map(present);
  const totals = {
    numIntegrations: all.length,
    numIntegrationsFailing: 0,
    numSyncs: 0,
    failing: 0,
    running: 0,
    neverRun: 0,
    disabled: 0,
    healthy: 0,
    withRecordErrors: 0,
  };
  for (const row of all) {
    for (const k of COUNTS) totals[k] += row[k];
    if (row.failing > 0) totals.numIntegrationsFailing++;
  }
  const q = opts.q?.toLowerCase();
  const matching = all
    .filter((i) => (opts.attention !== "true" || i.failing > 0) && (!q || i.name.toLowerCase().includes(q)))
    .sort(byAttention);
  return {
    totals,
    integrations: matching.slice(offset, offset + limit),
    integrationsTotalCount: matching.length,
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
