import type { SyncJobT, SyncT } from "@/lib/ui/types";
import { SyncRow } from "./sync-row";

const th = "px-3 py-2 text-xs font-medium text-zinc-600";
const wide = "hidden lg:table-cell";

/** The syncs of an integration with their latest job; on a phone only name, status and actions remain. */
export function SyncListTable({ syncs, jobBySync }: { syncs: SyncT[]; jobBySync: Map<string, SyncJobT> }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full text-[13px]">
        <caption className="sr-only">Syncs and their latest job</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50/60">
          <tr>
            <th scope="col" className={`${th} text-left`}>
              Sync
            </th>
            <th scope="col" className={`${th} text-left`}>
              Latest job
            </th>
            <th scope="col" className={`${th} ${wide} text-left`}>
              Started
            </th>
            <th scope="col" className={`${th} ${wide} text-left`}>
              Duration
            </th>
            <th scope="col" className={`${th} ${wide} text-right`}>
              Extracted
            </th>
            <th scope="col" className={`${th} ${wide} text-right`}>
              Loaded
            </th>
            <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
              Errors
            </th>
            <th scope="col" className={`${th} ${wide} text-left`}>
              Next run
            </th>
            <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {syncs.map((s) => (
            <SyncRow key={s._id} sync={s} job={jobBySync.get(s._id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
