"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { useMe } from "@/lib/ui/session";

const links = [
  { href: "/", label: "Overview" },
  { href: "/settings", label: "Settings" },
  { href: "/api-docs", label: "API" },
  { href: "/audit", label: "Audit", adminOnly: true },
];

const isCurrent = (pathname: string, href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));

/** The console's sections; `stacked` lays them out for the phone menu. */
export function NavLinks({ stacked = false, onNavigate }: { stacked?: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  const admin = useMe().role === "admin";
  return (
    <nav aria-label="Console" className={stacked ? "flex flex-col gap-0.5" : "flex items-center gap-1"}>
      {links
        .filter((l) => admin || !l.adminOnly)
        .map((l) => (
          <Link
            key={l.href}
            href={l.href}
            // Not prefetched: on every page load the header would ask the server to render each section (the overview's
            // health query among them) while this page is still loading; a click fetches the one it needs.
            prefetch={false}
            onClick={onNavigate}
            aria-current={isCurrent(pathname, l.href) ? "page" : undefined}
            className={cn(
              "rounded-md px-2 py-1 text-[13px] font-medium",
              stacked && "py-2",
              isCurrent(pathname, l.href) ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:text-zinc-900",
            )}
          >
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
