"use client";

import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { FIRST_OVERVIEW_PAGE, OVERVIEW_PAGE_SIZE } from "@/lib/ui/constants";
import { plural } from "@/lib/ui/format";
import { useDebouncedValue } from "@/lib/ui/hooks/use-debounced-value";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { useOverview } from "@/lib/ui/hooks/use-overview";
import { useCanWrite } from "@/lib/ui/session";
import { HealthTotals } from "./health-totals";
import { IntegrationHealthList } from "./integration-health-list";
import { LatestFailures } from "./latest-failures";

/**
 * Home: what is broken right now (the latest failures first), then the integrations' health, a
 * page at a time. Searching and the "failing only" filter ask the server, so the page holds the
 * same few dozen rows however many integrations there are.
 */
export function OverviewView() {
  useLiveEvents("/v1/events");
  const [text, setText] = useState(FIRST_OVERVIEW_PAGE.q);
  const [attention, setAttention] = useState(FIRST_OVERVIEW_PAGE.attention);
  const q = useDebouncedValue(text.trim(), 200);
  // "Show more" counts for one search: a new search starts again from the first page.
  const listKey = `${attention}:${q}`;
  const [more, setMore] = useState({ key: listKey, limit: FIRST_OVERVIEW_PAGE.limit });
  const limit = more.key === listKey ? more.limit : OVERVIEW_PAGE_SIZE;
  const overview = useOverview({ q, attention, limit });
  const canWrite = useCanWrite();
  const data = overview.data;

  if (overview.error && !data)
    return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} title="Could not load the overview" />;
  if (!data) return <OverviewSkeleton />;

  const newSync = canWrite && (
    <Link
      prefetch={false}
      href="/syncs/new"
      className="inline-flex h-7 items-center rounded-md bg-zinc-900 px-2.5 text-[13px] font-medium text-white hover:bg-zinc-700"
    >
      New sync
    </Link>
  );
  if (data.totals.numSyncs === 0 && data.totals.numIntegrations === 0) {
    return (
      <>
        <PageHeader title="Overview" />
        <EmptyState title="No syncs yet" className="mt-4" action={newSync}>
          A sync copies tables from a source database into your warehouse, on demand or on a schedule.{" "}
          {canWrite
            ? "Create the first one with New sync: it walks you through the connection, the tables and the schedule."
            : "An admin can create the first one."}
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Overview"
        meta={
          <>
            <span>{plural(data.totals.numIntegrations, "integration")}</span>
            <span>{plural(data.totals.numSyncs, "sync")}</span>
          </>
        }
        actions={newSync}
      />
      <div className="space-y-5">
        <HealthTotals totals={data.totals} />
        <LatestFailures failures={data.latestFailures} />
        <IntegrationHealthList
          overview={data}
          search={text}
          onSearch={setText}
          attention={attention}
          onAttention={setAttention}
          // Shown while the answer to a new search or page is on its way (the previous one stays on screen).
          pending={overview.isPlaceholderData || text.trim() !== q}
          onMore={() => setMore({ key: listKey, limit: limit + OVERVIEW_PAGE_SIZE })}
        />
      </div>
    </>
  );
}

function OverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading overview">
      <Skeleton className="mb-6 h-6 w-48" />
      <Skeleton className="mb-5 h-16 w-full" />
      <Skeleton className="mb-5 h-40 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
