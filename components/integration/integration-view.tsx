"use client";

import Link from "next/link";
import { useCallback, useMemo } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { Segmented } from "@/components/ui/segmented";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { useMarkCurrentIntegration } from "@/lib/ui/current-integration";
import { plural } from "@/lib/ui/format";
import { useIntegration, useLatestJobs, useSyncsOf } from "@/lib/ui/hooks/use-integration-data";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { useUrlFilters } from "@/lib/ui/hooks/use-url-filters";
import { useUrlSearch } from "@/lib/ui/hooks/use-url-search";
import { useCanWrite } from "@/lib/ui/session";
import { isActive, type SyncJobT, type SyncT } from "@/lib/ui/types";
import { IntegrationSettings } from "./integration-settings";
import { SyncListTable } from "./sync-list-table";

const FILTERS = ["all", "active", "failed", "never", "disabled"] as const;
type Filter = (typeof FILTERS)[number];
const URL_KEYS = ["state", "q"] as const;

const matches = (f: Filter, s: SyncT, j?: SyncJobT) =>
  f === "all" ||
  (f === "active" && isActive(j?.status)) ||
  (f === "failed" && j?.status === "failed") ||
  (f === "never" && !j) ||
  (f === "disabled" && s.disabled);

export function IntegrationView({ integrationId }: { integrationId: string }) {
  useLiveEvents(`/v1/events?integrationId=${integrationId}`);
  useMarkCurrentIntegration(integrationId);
  const integration = useIntegration(integrationId);
  const syncs = useSyncsOf(integrationId);
  const latest = useLatestJobs(integrationId);
  const canWrite = useCanWrite();
  // The state tab and the name filter live in the URL: they survive reload and Back, and can be linked.
  const [url, setUrl] = useUrlFilters(URL_KEYS);
  const filter: Filter = FILTERS.find((f) => f === url.state) ?? "all";
  const setFilter = (f: Filter) => setUrl({ state: f === "all" ? undefined : f });
  const setQ = useCallback((q: string | undefined) => setUrl({ q }), [setUrl]);
  const [text, setText] = useUrlSearch(url.q, setQ);

  const jobBySync = useMemo(() => new Map((latest.data ?? []).map((j) => [j._syncId, j])), [latest.data]);
  const all = useMemo(() => [...(syncs.data?.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [syncs.data]);
  const counts = useMemo(() => {
    const c = { all: all.length, active: 0, failed: 0, never: 0, disabled: 0 };
    for (const s of all) {
      const j = jobBySync.get(s._id);
      if (isActive(j?.status)) c.active++;
      if (j?.status === "failed") c.failed++;
      if (!j) c.never++;
      if (s.disabled) c.disabled++;
    }
    return c;
  }, [all, jobBySync]);
  const shown = all.filter((s) => matches(filter, s, jobBySync.get(s._id)) && s.name.toLowerCase().includes(text.trim().toLowerCase()));

  const error = syncs.error ?? latest.error;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Overview", href: "/" }, { label: "Integrations" }]}
        title={integration.data?.name ?? "Integration"}
        meta={
          <>
            <span>{plural(counts.all, "sync")}</span>
            {counts.active > 0 && <span className="text-blue-700">{counts.active} running</span>}
            {counts.failed > 0 && <span className="text-red-700">{counts.failed} failed last run</span>}
          </>
        }
        actions={integration.data && <IntegrationSettings integration={integration.data} />}
      />
      {error ? (
        <ErrorState error={error} onRetry={() => (void syncs.refetch(), void latest.refetch())} title="Could not load the syncs" />
      ) : !syncs.data || !latest.data ? (
        <TableSkeleton rows={5} cols={8} label="Loading syncs" />
      ) : !all.length ? (
        <EmptyState
          title="No syncs in this integration yet"
          action={
            canWrite && (
              <Link
                prefetch={false}
                href={`/syncs/new?integration=${integrationId}`}
                className="inline-flex h-7 items-center rounded-md bg-zinc-900 px-2.5 text-[13px] font-medium text-white hover:bg-zinc-700"
              >
                New sync
              </Link>
            )
          }
        >
          {canWrite ? "Create one with New sync." : "An admin can add one."} This page checks for new syncs every few seconds.
        </EmptyState>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <Segmented<Filter>
              label="Filter syncs by state"
              value={filter}
              onChange={setFilter}
              options={[
                { value: "all", label: "All", count: counts.all },
                { value: "active", label: "Running", count: counts.active },
                { value: "failed", label: "Failed", count: counts.failed },
                { value: "never", label: "Never run", count: counts.never },
                { value: "disabled", label: "Disabled", count: counts.disabled },
              ]}
            />
            <SearchInput value={text} onChange={setText} label="Filter syncs by name" className="w-full sm:w-64" />
          </div>
          <SyncListTable syncs={shown} jobBySync={jobBySync} />
          {!shown.length && <p className="mt-3 text-center text-sm text-zinc-600">No sync matches this filter.</p>}
        </>
      )}
    </>
  );
}
