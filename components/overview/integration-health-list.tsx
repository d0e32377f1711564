"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { SearchInput } from "@/components/ui/search-input";
import { Segmented } from "@/components/ui/segmented";
import type { OverviewT } from "@/lib/contracts/overview";
import { OVERVIEW_LIST_MAX, OVERVIEW_PAGE_SIZE } from "@/lib/ui/constants";
import { formatNumber, plural } from "@/lib/ui/format";
import { BUCKETS } from "./health-buckets";

type Row = OverviewT["integrations"][number];
type Filter = "all" | "attention";

/**
 * Integrations that need a look (failing syncs) first, then by name, a page at a time: the server
 * sorts, searches and filters, so hundreds of integrations cost one page of rows in the browser.
 */
export function IntegrationHealthList({
  overview,
  search,
  onSearch,
  attention,
  onAttention,
  pending,
  onMore,
}: {
  overview: OverviewT;
  search: string;
  onSearch: (text: string) => void;
  attention: boolean;
  onAttention: (on: boolean) => void;
  pending: boolean;
  onMore: () => void;
}) {
  const { integrations: shown, integrationsTotalCount: matching, totals } = overview;
  const rest = matching - shown.length;
  const canShowMore = rest > 0 && shown.length < OVERVIEW_LIST_MAX;

  return (
    <Card
      title={`Integrations (${formatNumber(totals.numIntegrations)})`}
      bodyClassName="p-0"
      actions={
        <>
          <Segmented<Filter>
            label="Which integrations to show"
            value={attention ? "attention" : "all"}
            onChange={(v) => onAttention(v === "attention")}
            options={[
              { value: "all", label: "All", count: totals.numIntegrations },
              { value: "attention", label: "With failing syncs", count: totals.numIntegrationsFailing },
            ]}
          />
          <SearchInput value={search} onChange={onSearch} label="Search integrations" className="w-full sm:w-56" />
        </>
      }
    >
      <ul
        className={cn("divide-y divide-zinc-100 transition-opacity", pending && "opacity-60")}
        aria-label="Integrations and the state of their syncs"
        aria-busy={pending || undefined}
      >
        {shown.map((i) => (
          <li
            key={i._id}
            className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2.5"
            data-testid="overview-integration"
            data-integration-id={i._id}
          >
            <div className="min-w-0">
              <Link
                prefetch={false}
                href={`/integrations/${i._id}`}
                className="break-words text-[13px] font-medium text-zinc-900 hover:underline"
              >
                {i.name}
              </Link>
              <span className="ml-2 text-xs text-zinc-600">{plural(i.numSyncs, "sync")}</span>
            </div>
            <HealthChips row={i} />
          </li>
        ))}
      </ul>
      {!shown.length && <p className="px-4 py-6 text-center text-sm text-zinc-600">No integration matches.</p>}
      {shown.length > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-100 px-4 py-2.5 text-xs text-zinc-600">
          <span role="status" data-testid="overview-shown">
            {rest > 0 ? `Showing ${formatNumber(shown.length)} of ${formatNumber(matching)}` : `All ${formatNumber(matching)} shown`}
            {rest > 0 && !canShowMore && ": search to find the others"}
          </span>
          {canShowMore && (
            <Button size="xs" onClick={onMore} pending={pending}>
              Show {formatNumber(Math.min(OVERVIEW_PAGE_SIZE, rest))} more
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}

function HealthChips({ row }: { row: Row }) {
  if (row.numSyncs === 0) return <span className="text-xs text-zinc-500">No syncs yet</span>;
  return (
    <ul className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs" aria-label={`State of the syncs of ${row.name}`}>
      {BUCKETS.filter((b) => row[b.key] > 0).map((b) => (
        <li key={b.key} className={cn("inline-flex items-center gap-1", b.text)} data-bucket={b.key}>
          <span className={cn("size-2 rounded-full", b.dot)} aria-hidden />
          {formatNumber(row[b.key])} {b.label.toLowerCase()}
        </li>
      ))}
    </ul>
  );
}
