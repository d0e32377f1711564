"use client";

import { useMemo, useState } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { Segmented } from "@/components/ui/segmented";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { useMarkCurrentIntegration } from "@/lib/ui/current-integration";
import { plural } from "@/lib/ui/format";
import { useIntegration, useLatestJobs, useSyncsOf } from "@/lib/ui/hooks/use-integration-data";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { isActive, type SyncJobT, type SyncT } from "@/lib/ui/types";
import { ConnectorTable } from "./connector-table";

type Filter = "all" | "active" | "failed" | "never" | "disabled";

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
  const [filter, setFilter] = useState<Filter>("all");
  const [text, setText] = useState("");

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
        crumbs={[{ label: "Integrations" }]}
        title={integration.data?.name ?? "Integration"}
        meta={
          <>
            <span>{plural(counts.all, "connector")}</span>
            {counts.active > 0 && <span className="text-blue-700">{counts.active} running</span>}
            {counts.failed > 0 && <span className="text-red-700">{counts.failed} failed last run</span>}
          </>
        }
      />
      {error ? (
        <ErrorState error={error} onRetry={() => (void syncs.refetch(), void latest.refetch())} title="Could not load connectors" />
      ) : !syncs.data || !latest.data ? (
        <TableSkeleton rows={5} cols={8} label="Loading connectors" />
      ) : !all.length ? (
        <EmptyState title="No connectors in this integration yet">
          Create a sync with <code className="rounded bg-zinc-100 px-1">POST /v1/syncs</code> (see the API reference); this page checks for
          new connectors every few seconds.
        </EmptyState>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <Segmented<Filter>
              label="Filter connectors by state"
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
            <SearchInput value={text} onChange={setText} label="Filter connectors by name" className="w-64" />
          </div>
          <ConnectorTable syncs={shown} jobBySync={jobBySync} />
          {!shown.length && <p className="mt-3 text-center text-sm text-zinc-600">No connector matches this filter.</p>}
        </>
      )}
    </>
  );
}
