import type { SyncJobT, SyncT } from "@/lib/ui/types";
import { ConnectorRow } from "./connector-row";

const th = "px-3 py-2 text-xs font-medium text-zinc-600";

export function ConnectorTable({ syncs, jobBySync }: { syncs: SyncT[]; jobBySync: Map<string, SyncJobT> }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full min-w-[980px] text-[13px]">
        <caption className="sr-only">Connectors and their latest job</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50/60">
          <tr>
            <th scope="col" className={`${th} text-left`}>Connector</th>
            <th scope="col" className={`${th} text-left`}>Latest job</th>
            <th scope="col" className={`${th} text-left`}>Started</th>
            <th scope="col" className={`${th} text-left`}>Duration</th>
            <th scope="col" className={`${th} text-right`}>Extracted</th>
            <th scope="col" className={`${th} text-right`}>Loaded</th>
            <th scope="col" className={`${th} text-right`}>Errors</th>
            <th scope="col" className={`${th} text-left`}>Next run</th>
            <th scope="col" className={`${th} text-right`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {syncs.map((s) => (
            <ConnectorRow key={s._id} sync={s} job={jobBySync.get(s._id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
