"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useCurrentIntegration } from "@/lib/ui/current-integration";
import { useIntegrations } from "@/lib/ui/hooks/use-integration-data";

const INLINE_MAX = 5;

/**
 * Switching integration is one click: up to five show as tabs in the header; with more, a
 * searchable menu opens on the current one.
 */
export function IntegrationSwitcher() {
  const { data } = useIntegrations();
  const pathname = usePathname();
  const marked = useCurrentIntegration();
  const fromPath = /^\/integrations\/([0-9a-f]{24})/.exec(pathname)?.[1];
  const currentId = fromPath ?? marked;
  const items = useMemo(() => [...(data?.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [data]);
  if (!items.length) return null;

  if (items.length <= INLINE_MAX) {
    return (
      <nav aria-label="Integrations" className="flex min-w-0 items-center gap-1 overflow-x-auto">
        {items.map((i) => (
          <Link
            key={i._id}
            href={`/integrations/${i._id}`}
            aria-current={i._id === currentId ? "page" : undefined}
            className={cn(
              "whitespace-nowrap rounded-md px-2.5 py-1 text-[13px] font-medium",
              i._id === currentId ? "bg-zinc-900 text-white" : "text-zinc-700 hover:bg-zinc-100",
            )}
          >
            {i.name}
          </Link>
        ))}
      </nav>
    );
  }
  return <SwitcherMenu items={items} currentId={currentId} />;
}

function SwitcherMenu({ items, currentId }: { items: { _id: string; name: string; numSyncs: number }[]; currentId: string | null }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const box = useRef<HTMLDivElement>(null);
  const current = items.find((i) => i._id === currentId);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const shown = items.filter((i) => i.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div ref={box} className="relative">
      <button
        type="button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex max-w-64 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-[13px] font-medium text-zinc-800 hover:bg-zinc-50"
      >
        <span className="truncate">{current?.name ?? "Choose integration"}</span>
        <svg viewBox="0 0 16 16" className="size-3.5 text-zinc-500" aria-hidden>
          <path d="M4 6l4 4 4-4" stroke="currentColor" strokeWidth="1.5" fill="none" />
        </svg>
      </button>
      {open && (
        <div className="absolute left-0 z-30 mt-1 w-72 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
          <label className="sr-only" htmlFor="integration-filter">
            Filter integrations
          </label>
          <input
            id="integration-filter"
            autoFocus
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter integrations…"
            className="mb-1 w-full rounded border border-zinc-200 px-2 py-1 text-[13px] outline-none focus:border-blue-500"
          />
          <ul className="max-h-80 overflow-y-auto">
            {shown.map((i) => (
              <li key={i._id}>
                <Link
                  href={`/integrations/${i._id}`}
                  onClick={() => setOpen(false)}
                  aria-current={i._id === currentId ? "page" : undefined}
                  className={cn(
                    "flex items-center justify-between rounded px-2 py-1.5 text-[13px] hover:bg-zinc-100",
                    i._id === currentId && "bg-zinc-100 font-medium",
                  )}
                >
                  <span className="truncate">{i.name}</span>
                  <span className="text-xs text-zinc-500">{i.numSyncs}</span>
                </Link>
              </li>
            ))}
            {!shown.length && <li className="px-2 py-1.5 text-[13px] text-zinc-500">No match</li>}
          </ul>
        </div>
      )}
    </div>
  );
}
