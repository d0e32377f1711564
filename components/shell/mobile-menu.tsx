"use client";

import { usePathname } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Pill } from "@/components/ui/status-badge";
import { useMe } from "@/lib/ui/session";
import { NavLinks } from "./nav-links";
import { useSignOut } from "./user-menu";

/** On a phone the sections, the signed-in user and Sign out fold into one menu, so the header never overflows. */
export function MobileMenu() {
  const me = useMe();
  const { signOut, pending } = useSignOut();
  const pathname = usePathname();
  // The menu belongs to the page it was opened on: navigating elsewhere closes it in the same render.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = useCallback(
    (next: boolean | ((o: boolean) => boolean)) => {
      setOpenOn((on) => ((typeof next === "function" ? next(on === pathname) : next) ? pathname : null));
    },
    [pathname],
  );
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, setOpen]);

  return (
    <div ref={box} className="md:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-2.5 text-[13px] font-medium text-zinc-800"
      >
        <svg viewBox="0 0 16 16" className="size-4" aria-hidden>
          <path d="M2 4h12M2 8h12M2 12h12" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        Menu
      </button>
      {open && (
        <div id={id} className="fixed inset-x-2 top-12 z-30 space-y-2 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg">
          <NavLinks stacked onNavigate={() => setOpen(false)} />
          <div className="flex items-center justify-between gap-2 border-t border-zinc-100 px-2 pt-2">
            <span className="min-w-0 truncate text-xs text-zinc-600">
              {me.email} <Pill tone={me.role === "admin" ? "violet" : "amber"}>{me.role}</Pill>
            </span>
            <Button size="sm" pending={pending} onClick={signOut}>
              Sign out
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
