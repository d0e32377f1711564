"use client";

import { type CSSProperties, useCallback, useDeferredValue, useMemo } from "react";
import { Card } from "@/components/ui/card";
import { SearchInput } from "@/components/ui/search-input";
import { Segmented } from "@/components/ui/segmented";
import { useUrlFilters } from "@/lib/ui/hooks/use-url-filters";
import { useUrlSearch } from "@/lib/ui/hooks/use-url-search";
import { useNow } from "@/lib/ui/now";
import { type FamilyT, isActive, type JobStatusT } from "@/lib/ui/types";
import { TableJobRow } from "./table-job-row";

const FILTERS = ["all", "active", "completed", "failed", "canceled"] as const;
type Filter = (typeof FILTERS)[number];
const URL_KEYS = ["status", "q"] as const;
const inFilter = (f: Filter, s: JobStatusT) =>
  f === "all" || (f === "active" ? isActive(s) : f === "canceled" ? s === "canceled" || s === "canceling" : s === f);

const th = "px-3 py-2 text-xs font-medium text-zinc-600";

/** Every table of the job, filterable, with a shared timeline scale (the job's span). */
export function TableJobs({ job }: { job: FamilyT }) {
  // The status tab and the name filter live in the URL: they survive reload and Back, and can be linked.
  const [url, setUrl] = useUrlFilters(URL_KEYS);
  const filter: Filter = FILTERS.find((f) => f === url.status) ?? "all";
  const setFilter = (f: Filter) => setUrl({ status: f === "all" ? undefined : f });
  const setQ = useCallback((q: string | undefined) => setUrl({ q }), [setUrl]);
  const [text, setText] = useUrlSearch(url.q, setQ);
  const deferredText = useDeferredValue(text);
  const active = isActive(job.status);
  const now = useNow(active);

  const origin = Date.parse(job.createdAt);
  const spanStart = job.startedAt ? (Date.parse(job.startedAt) - origin) / 1000 : 0;
  const spanEnd = ((job.endedAt ? Date.parse(job.endedAt) : now) - origin) / 1000;
  const spanStyle = {
    "--span-start": spanStart,
    "--span-len": Math.max(0.001, spanEnd - spanStart),
    "--now": (now - origin) / 1000,
  } as CSSProperties;

  const counts = useMemo(() => {
    const c: Record<Filter, number> = { all: job.tables.length, active: 0, completed: 0, failed: 0, canceled: 0 };
    for (const t of job.tables) for (const f of ["active", "completed", "failed", "canceled"] as const) if (inFilter(f, t.status)) c[f]++;
    return c;
  }, [job.tables]);
  const shown = useMemo(() => {
    const q = deferredText.trim().toLowerCase();
    return job.tables.filter((t) => inFilter(filter, t.status) && (!q || t.tableName.toLowerCase().includes(q)));
  }, [job.tables, filter, deferredText]);

  return (
    <Card
      title={`Tables (${job.tables.length})`}
      bodyClassName="p-0"
      actions={
        <>
          <Segmented<Filter>
            label="Filter tables by status"
            value={filter}
            onChange={setFilter}
            options={[
              { value: "all", label: "All", count: counts.all },
              { value: "active", label: "Active", count: counts.active },
              { value: "completed", label: "Completed", count: counts.completed },
              { value: "failed", label: "Failed", count: counts.failed },
              { value: "canceled", label: "Canceled", count: counts.canceled },
            ]}
          />
          <SearchInput value={text} onChange={setText} label="Filter tables by name" className="w-52" />
        </>
      }
    >
      <div className="overflow-x-auto" style={spanStyle}>
        <table className="w-full min-w-[1050px] text-[13px]">
          <caption className="sr-only">Table jobs of this sync job</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50/60">
            <tr>
              <th scope="col" className={`${th} text-left`}>
                Table
              </th>
              <th scope="col" className={`${th} text-left`}>
                Status
              </th>
              <th scope="col" className={`${th} text-left`}>
                Stage
              </th>
              <th scope="col" className={`${th} text-left`}>
                Progress
              </th>
              <th scope="col" className={`${th} text-right`}>
                Extracted
              </th>
              <th scope="col" className={`${th} text-right`}>
                Loaded
              </th>
              <th scope="col" className={`${th} text-right`}>
                Errors
              </th>
              <th scope="col" className={`${th} text-right`}>
                Attempts
              </th>
              <th scope="col" className={`${th} text-left`}>
                Duration
              </th>
              <th scope="col" className={`${th} text-left`}>
                Timeline
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {shown.map((t) => (
              <TableJobRow key={t._id} jobId={job._id} table={t} origin={origin} />
            ))}
          </tbody>
        </table>
        {!shown.length && <p className="px-4 py-6 text-center text-sm text-zinc-600">No table matches this filter.</p>}
      </div>
    </Card>
  );
}
