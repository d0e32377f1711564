import Link from "next/link";
import { IntegrationSwitcher } from "./integration-switcher";
import { LiveIndicator } from "./live-indicator";
import { MobileMenu } from "./mobile-menu";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

/** One row at every width: on a phone the sections and Sign out move into the Menu button. */
export function AppHeader() {
  // Opaque, no backdrop blur: a blurred sticky header is redrawn, blur and all, on every frame anything under it changes.
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white">
      <div className="mx-auto flex h-12 max-w-[1400px] items-center gap-2 px-3 sm:gap-4 sm:px-4 lg:px-6">
        <Link href="/" prefetch={false} className="flex shrink-0 items-center gap-2 font-semibold text-zinc-900">
          <svg viewBox="0 0 24 24" className="size-5 text-blue-600" aria-hidden>
            <path
              d="M4 7h12l-3-3M20 17H8l3 3"
              stroke="currentColor"
              strokeWidth="2.2"
              fill="none"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span className="sr-only sm:not-sr-only">Sync Console</span>
        </Link>
        <span className="hidden h-5 w-px shrink-0 bg-zinc-200 sm:block" aria-hidden />
        <div className="min-w-0 flex-1">
          <IntegrationSwitcher />
        </div>
        <div className="hidden items-center gap-3 md:flex">
          <NavLinks />
          <LiveIndicator />
          <UserMenu />
        </div>
        <MobileMenu />
      </div>
    </header>
  );
}
