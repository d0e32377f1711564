"use client";

import { useCallback, useMemo } from "react";
import { Button } from "@/components/ui/button";
import { CursorPager } from "@/components/ui/cursor-pager";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { PageHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { StatusBadge } from "@/components/ui/status-badge";
import { qs } from "@/lib/ui/api-client";
import { ERRORS_PAGE_SIZE } from "@/lib/ui/constants";
import { useMarkCurrentIntegration } from "@/lib/ui/current-integration";
import { formatNumber, plural, shortId } from "@/lib/ui/format";
import { useIntegration } from "@/lib/ui/hooks/use-integration-data";
import { errorFilterQuery, useErrorSummary, useFamily, useJobErrors } from "@/lib/ui/hooks/use-job-data";
import { useLiveEvents } from "@/lib/ui/hooks/use-live-events";
import { useSync } from "@/lib/ui/hooks/use-sync-data";
import { useCursorStack } from "@/lib/ui/hooks/use-cursor-stack";
import { useUrlFilters } from "@/lib/ui/hooks/use-url-filters";
import { useUrlSearch } from "@/lib/ui/hooks/use-url-search";
import type { ErrorFilterKey } from "@/lib/ui/query-keys";
import { ErrorFacets } from "./error-facets";
import { ErrorRow } from "./error-row";

const KEYS = ["child", "code", "stage", "q"] as const;
const th = "whitespace-nowrap px-3 py-2 text-left text-xs font-medium text-zinc-600";

/**
 * A job's errors: faceted counts, server-side filters kept in the URL, keyset pages (fast at
 * 100,000+ errors), CSV export of exactly the current filter, copy of any one error.
 */
export function ErrorsView({ jobId }: { jobId: string }) {
  useLiveEvents(`/v1/syncJobs/${jobId}/events`);
  const family = useFamily(jobId);
  const sync = useSync(family.data?._syncId ?? "");
  const integration = useIntegration(family.data?._integrationId ?? "");
  useMarkCurrentIntegration(family.data?._integrationId);

  const [url, setUrl] = useUrlFilters(KEYS);
  const filter: ErrorFilterKey = useMemo(
    () => ({ child: url.child, code: url.code, stage: url.stage, q: url.q }),
    [url.child, url.code, url.stage, url.q],
  );
  const setQ = useCallback((q: string | undefined) => setUrl({ q }), [setUrl]);
  const [search, setSearch] = useUrlSearch(url.q, setQ);

  const [cursors, setCursors] = useCursorStack(JSON.stringify(filter));
  const cursor = cursors.at(-1);
  const page = useJobErrors(jobId, filter, cursor);
  const summary = useErrorSummary(jobId, filter);

  const job = family.data;
  const tableName = job?.tables.find((t) => t._id === filter.child)?.tableName;
  const exportHref = `/v1/syncJobs/${jobId}/errors/export${qs(errorFilterQuery(filter))}`;
  const anyFilter = !!(filter.child || filter.code || filter.stage || filter.q);
  const rows = page.data?.rows ?? [];

  return (
    <>
      <PageHeader
        crumbs={[
          { label: integration.data?.name ?? "Integration", href: job ? `/integrations/${job._integrationId}` : undefined },
          { label: sync.data?.name ?? "Sync", href: job ? `/syncs/${job._syncId}` : undefined },
          { label: `Job ${shortId(jobId)}`, href: `/jobs/${jobId}` },
        ]}
        title={<span className="flex items-center gap-2">Errors {job && <StatusBadge status={job.status} />}</span>}
        meta={job && <span>{plural(job.numErrors, "error")} in this job</span>}
        actions={
          <a
            href={exportHref}
            download
            className="inline-flex h-7 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] font-medium text-zinc-800 hover:bg-zinc-50"
          >
            <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden>
              <path d="M8 2v8m0 0l-3-3m3 3l3-3M3 13h10" stroke="currentColor" strokeWidth="1.5" fill="none" />
            </svg>
            Export CSV{anyFilter ? " (filtered)" : ""}
          </a>
        }
      />
      <div className="grid grid-cols-[minmax(0,1fr)] items-start gap-5 lg:grid-cols-[240px_minmax(0,1fr)]">
        <aside aria-label="Error counts" className="rounded-lg border border-zinc-200 bg-white p-2 lg:sticky lg:top-16">
          {summary.error ? (
            <ErrorState error={summary.error} title="Could not count errors" onRetry={() => void summary.refetch()} />
          ) : (
            <ErrorFacets summary={summary.data} filters={filter} onChange={setUrl} />
          )}
        </aside>
        <Card
          bodyClassName="p-0"
          title={
            page.data ? (
              <span>
                {formatNumber(page.data.totalCount)} {anyFilter ? "matching " : ""}error{page.data.totalCount === 1 ? "" : "s"}
              </span>
            ) : (
              "Errors"
            )
          }
          actions={
            <>
              {tableName && <FilterChip label={`table: ${tableName}`} onClear={() => setUrl({ child: undefined })} />}
              {filter.child && !tableName && (
                <FilterChip label={`table job: ${shortId(filter.child)}`} onClear={() => setUrl({ child: undefined })} />
              )}
              {filter.code && <FilterChip label={`code: ${filter.code}`} onClear={() => setUrl({ code: undefined })} />}
              {filter.stage && <FilterChip label={`stage: ${filter.stage}`} onClear={() => setUrl({ stage: undefined })} />}
              <SearchInput
                value={search}
                onChange={setSearch}
                label="Search error messages"
                placeholder="Search messages…"
                className="w-64"
              />
            </>
          }
        >
          {page.error && !page.data ? (
            <ErrorState error={page.error} onRetry={() => void page.refetch()} title="Could not load errors" className="m-4" />
          ) : !page.data ? (
            <TableSkeleton rows={8} cols={6} label="Loading errors" />
          ) : !rows.length ? (
            <EmptyState
              title={anyFilter ? "No errors match these filters" : "No errors in this job"}
              className="m-4 border-none"
              action={
                anyFilter && (
                  <Button
                    size="sm"
                    onClick={() => (setSearch(""), setUrl({ child: undefined, code: undefined, stage: undefined, q: undefined }))}
                  >
                    Clear filters
                  </Button>
                )
              }
            />
          ) : (
            // On a phone each error is a card at the screen's width (its message first to read), not a
            // row of a table scrolled sideways; the explicit roles keep it a table for assistive tech.
            <div
              className={cn("transition-opacity sm:overflow-x-auto", page.isPlaceholderData && "opacity-60")}
              aria-busy={page.isFetching}
            >
              <table role="table" className="w-full table-auto text-[13px] max-sm:block sm:min-w-[900px]">
                <caption className="sr-only">Errors of this job</caption>
                <thead className="border-b border-zinc-200 bg-zinc-50/60 max-sm:sr-only">
                  <tr role="row">
                    <th role="columnheader" scope="col" className={th}>
                      <span className="sr-only">Details</span>
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Occurred
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Table
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Code
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Stage
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Message
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      Record key
                    </th>
                    <th role="columnheader" scope="col" className={th}>
                      <span className="sr-only">Copy</span>
                    </th>
                  </tr>
                </thead>
                <tbody role="rowgroup" className="divide-y divide-zinc-100 max-sm:block">
                  {rows.map((e) => (
                    <ErrorRow key={e._id} error={e} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {page.data && rows.length > 0 && (
            <CursorPager
              cursors={cursors}
              setCursors={setCursors}
              nextCursor={page.data.nextCursor}
              pageSize={ERRORS_PAGE_SIZE}
              shown={rows.length}
              totalCount={page.data.totalCount}
              labels={{ previous: "← Previous", next: "Next →" }}
              showFirst
            />
          )}
        </Card>
      </div>
    </>
  );
}

function FilterChip({ label, onClear }: { label: string; onClear: () => void }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-blue-50 py-0.5 pl-2 pr-0.5 text-xs font-medium text-blue-800 ring-1 ring-inset ring-blue-200">
      <span className="max-w-48 truncate font-mono">{label}</span>
      <button type="button" onClick={onClear} aria-label={`Remove filter ${label}`} className="rounded-full px-1 hover:bg-blue-100">
        ×
      </button>
    </span>
  );
}
