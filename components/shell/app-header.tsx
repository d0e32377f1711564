import Link from "next/link";
import { IntegrationSwitcher } from "./integration-switcher";
import { LiveIndicator } from "./live-indicator";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

export function AppHeader() {
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-[1400px] items-center gap-4 px-4 lg:px-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold text-zinc-900">
          <svg viewBox="0 0 24 24" className="size-5 text-blue-600" aria-hidden>
            <path d="M4 7h12l-3-3M20 17H8l3 3" stroke="currentColor" strokeWidth="2.2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Sync Console</span>
        </Link>
        <span className="h-5 w-px shrink-0 bg-zinc-200" aria-hidden />
        <div className="min-w-0 flex-1">
          <IntegrationSwitcher />
        </div>
        <NavLinks />
        <LiveIndicator />
        <UserMenu />
      </div>
    </header>
  );
}
