"use client";

import Link from "next/link";
import { useDeferredValue, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { SearchInput } from "@/components/ui/search-input";
import { Segmented } from "@/components/ui/segmented";
import type { OverviewT } from "@/lib/contracts/overview";
import { formatNumber, plural } from "@/lib/ui/format";
import { BUCKETS } from "./health-buckets";

type Row = OverviewT["integrations"][number];
type Filter = "all" | "attention";

/** Integrations that need a look (failing syncs) first, then by name; searchable for installs with hundreds. */
export function IntegrationHealthList({ integrations }: { integrations: Row[] }) {
  const [text, setText] = useState("");
  const [filter, setFilter] = useState<Filter>("all");
  const q = useDeferredValue(text).trim().toLowerCase();
  const sorted = useMemo(() => [...integrations].sort((a, b) => b.failing - a.failing || a.name.localeCompare(b.name)), [integrations]);
  const attention = useMemo(() => sorted.filter((i) => i.failing > 0).length, [sorted]);
  const shown = sorted.filter((i) => (filter === "all" || i.failing > 0) && (!q || i.name.toLowerCase().includes(q)));

  return (
    <Card
      title={`Integrations (${formatNumber(integrations.length)})`}
      bodyClassName="p-0"
      actions={
        <>
          <Segmented<Filter>
            label="Which integrations to show"
            value={filter}
            onChange={setFilter}
            options={[
              { value: "all", label: "All", count: integrations.length },
              { value: "attention", label: "With failing syncs", count: attention },
            ]}
          />
          <SearchInput value={text} onChange={setText} label="Search integrations" className="w-full sm:w-56" />
        </>
      }
    >
      <ul className="divide-y divide-zinc-100" aria-label="Integrations and the state of their syncs">
        {shown.map((i) => (
          <li key={i._id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2.5" data-testid="overview-integration" data-integration-id={i._id}>
            <div className="min-w-0">
              <Link href={`/integrations/${i._id}`} className="break-words text-[13px] font-medium text-zinc-900 hover:underline">
                {i.name}
              </Link>
              <span className="ml-2 text-xs text-zinc-600">{plural(i.numSyncs, "sync")}</span>
            </div>
            <HealthChips row={i} />
          </li>
        ))}
      </ul>
      {!shown.length && <p className="px-4 py-6 text-center text-sm text-zinc-600">No integration matches.</p>}
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
