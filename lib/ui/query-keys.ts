/**
 * The one query-key factory. Keys are hierarchical, so invalidating a prefix (e.g. `qk.sync(id)`)
 * refreshes everything below it. Never write key arrays by hand in components.
 */
export type JobHistoryFilter = { status?: string; cursor?: string; limit: number };
/** Which integrations home lists: a name search, only those with failing syncs, how many. */
export type OverviewFilter = { q: string; attention: boolean; limit: number };
export type ErrorFilterKey = { child?: string; code?: string; stage?: string; q?: string };

export const qk = {
  me: () => ["me"] as const,
  /** Home: totals, the latest failures and a page of integrations with their syncs' health. */
  overview: () => ["overview"] as const,
  overviewPage: (f: OverviewFilter) => ["overview", f] as const,
  integrations: () => ["integrations"] as const,
  /** The header switcher's server-side search by name. */
  integrationSearch: (q: string) => ["integrations", "search", q] as const,
  integration: (id: string) => ["integration", id] as const,
  /** Latest job per sync of an integration. */
  latestJobs: (integrationId: string) => ["integration", integrationId, "latest"] as const,
  syncsOf: (integrationId: string) => ["integration", integrationId, "syncs"] as const,

  sync: (id: string) => ["sync", id] as const,
  syncDetail: (id: string) => ["sync", id, "detail"] as const,
  syncJobs: (id: string) => ["sync", id, "jobs"] as const,
  syncJobsPage: (id: string, f: JobHistoryFilter) => ["sync", id, "jobs", f] as const,
  syncTrend: (id: string) => ["sync", id, "trend"] as const,
  checkpoints: (id: string) => ["sync", id, "checkpoints"] as const,
  /** A change data capture sync's slot and lag, asked of the source. */
  replication: (id: string) => ["sync", id, "replication"] as const,

  job: (id: string) => ["job", id] as const,
  family: (id: string) => ["job", id, "family"] as const,
  errors: (id: string) => ["job", id, "errors"] as const,
  errorsPage: (id: string, f: ErrorFilterKey, cursor: string | undefined) => ["job", id, "errors", "page", f, cursor ?? ""] as const,
  errorSummary: (id: string, f: ErrorFilterKey) => ["job", id, "errors", "summary", f] as const,

  apiKeys: () => ["apiKeys"] as const,
  users: () => ["users"] as const,
};
