import type { AuditEventT } from "@/lib/contracts/audit";

const show = (v: unknown): string => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** The changed fields of one event: "name: Orders → Orders to warehouse"; credentials only as "changed". */
export function AuditChanges({ changes }: { changes: AuditEventT["changes"] }) {
  const entries = Object.entries(changes);
  if (!entries.length) return <span className="text-zinc-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {entries.map(([field, c]) => (
        <li key={field} className="break-all font-mono text-[12px] text-zinc-700">
          <span className="text-zinc-500">{field}:</span>{" "}
          {"changed" in c ? (
            <em className="not-italic text-amber-700">changed (value not recorded)</em>
          ) : (
            <>
              {"from" in c && <span className="text-zinc-500 line-through decoration-zinc-300">{show(c.from)}</span>}
              {"from" in c && "to" in c && " → "}
              {"to" in c && <span>{show(c.to)}</span>}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
