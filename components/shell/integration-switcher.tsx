"use client";

import { usePathname, useRouter } from "next/navigation";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useCurrentIntegration } from "@/lib/ui/current-integration";
import { useDebouncedValue } from "@/lib/ui/hooks/use-debounced-value";
import { useIntegration, useIntegrationSearch } from "@/lib/ui/hooks/use-integration-data";

/**
 * Jump to any integration by typing part of its name: a button opens a search box over a list
 * (an ARIA combobox), with mouse or keyboard (arrows move, Enter opens, Escape closes and gives
 * focus back). The list is asked of the server when the box opens and as the user types, so no
 * page carries every integration in its HTML, and it works the same with 2 integrations or 2,000.
 */
export function IntegrationSwitcher() {
  const pathname = usePathname();
  const router = useRouter();
  const marked = useCurrentIntegration();
  const fromPath = /^\/integrations\/([0-9a-f]{24})/.exec(pathname)?.[1];
  const currentId = pathname === "/" ? null : (fromPath ?? marked);
  // The header asks for the integration only once the page on screen has marked it as its own.
  // Asking earlier puts an empty entry in the cache before the page's HydrationBoundary, which then
  // hands over its data only in an effect: the page renders without the name in the browser while
  // the server's HTML has it (React #418). "Once the header is hydrated" is not late enough: the
  // page streams behind its loading boundary and, on a busy server, hydrates after the header.
  // The page marks in an effect, that is after its own data is in the cache.
  const { data: current } = useIntegration(currentId && currentId === marked ? currentId : "");
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const q = useDebouncedValue(filter.trim(), 150);
  const search = useIntegrationSearch(q, open);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  const shown = search.data?.data ?? [];
  const more = (search.data?.totalCount ?? 0) - shown.length;
  // The answer on screen is for what is typed (not an older search still showing while the next loads).
  const settled = !!search.data && !search.isPlaceholderData && q === filter.trim();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);
  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const close = (refocus: boolean) => {
    setOpen(false);
    setFilter("");
    if (refocus) button.current?.focus();
  };
  const go = (integrationId: string) => {
    close(false);
    router.push(`/integrations/${integrationId}`);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, shown.length - 1));
    else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
    else if (e.key === "Home") setActive(0);
    else if (e.key === "End") setActive(Math.max(0, shown.length - 1));
    else if (e.key === "Enter" && settled && shown[active]) go(shown[active]._id);
    else if (e.key === "Escape") close(true);
    else return;
    e.preventDefault();
  };

  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <div ref={box} className="relative min-w-0">
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => (open ? close(false) : setOpen(true))}
        className="inline-flex max-w-full items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-[13px] font-medium text-zinc-800 hover:bg-zinc-50 sm:max-w-72"
      >
        <span className="sr-only">Integration: </span>
        <span className="truncate">{currentId ? current?.name || "…" : "All integrations"}</span>
        <svg viewBox="0 0 16 16" className="size-3.5 shrink-0 text-zinc-500" aria-hidden>
          <path d="M4 6l4 4 4-4" stroke="currentColor" strokeWidth="1.5" fill="none" />
        </svg>
      </button>
      {open && (
        <div
          role="dialog"
          aria-label="Switch integration"
          className="fixed inset-x-2 top-12 z-30 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg sm:absolute sm:inset-x-auto sm:left-0 sm:top-auto sm:mt-1 sm:w-80"
        >
          <label className="sr-only" htmlFor={`${id}-input`}>
            Search integrations
          </label>
          <input
            id={`${id}-input`}
            role="combobox"
            aria-expanded="true"
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={shown.length ? optionId(active) : undefined}
            autoFocus
            autoComplete="off"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKey}
            placeholder="Search integrations…"
            className="mb-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-[13px] outline-none focus:border-blue-500"
          />
          <ul
            ref={list}
            id={`${id}-list`}
            role="listbox"
            aria-label="Integrations"
            aria-busy={!settled || undefined}
            className="max-h-80 overflow-y-auto"
          >
            {shown.map((i, n) => (
              <li
                key={i._id}
                id={optionId(n)}
                role="option"
                aria-selected={n === active}
                data-index={n}
                onMouseEnter={() => setActive(n)}
                onClick={() => go(i._id)}
                className={cn(
                  "flex cursor-pointer items-center justify-between gap-2 rounded px-2 py-1.5 text-[13px]",
                  n === active && "bg-zinc-100",
                  i._id === currentId && "font-medium",
                )}
              >
                <span className="truncate">{i.name}</span>
                <span className="shrink-0 text-xs text-zinc-600">
                  {i.numSyncs} sync{i.numSyncs === 1 ? "" : "s"}
                </span>
              </li>
            ))}
          </ul>
          {search.isError && (
            <p className="px-2 py-1.5 text-[13px] text-red-800">Could not load the integrations. Close and open again to retry.</p>
          )}
          {!search.data && search.isPending && (
            <p role="status" className="px-2 py-1.5 text-[13px] text-zinc-600">
              Loading integrations…
            </p>
          )}
          {settled && !shown.length && (
            <p className="px-2 py-1.5 text-[13px] text-zinc-600">{q ? `No integration matches “${q}”` : "No integrations yet"}</p>
          )}
          {settled && more > 0 && <p className="px-2 py-1 text-xs text-zinc-600">{more} more: type more of the name to narrow the list</p>}
        </div>
      )}
    </div>
  );
}
