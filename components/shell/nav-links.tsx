"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

const links = [
  { href: "/settings", label: "Settings" },
  { href: "/api-docs", label: "API" },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex items-center gap-1">
      {links.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={pathname.startsWith(l.href) ? "page" : undefined}
          className={cn(
            "rounded-md px-2 py-1 text-[13px] font-medium",
            pathname.startsWith(l.href) ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:text-zinc-900",
          )}
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
