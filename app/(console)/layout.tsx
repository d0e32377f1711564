import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { currentUser } from "@/lib/ui/server/current-user";
import { SessionProvider } from "@/lib/ui/session";

/**
 * The signed-in shell. Each page calls requireUser(itsPath) itself (a layout cannot see the path),
 * so without a session this layout renders the page bare and the page redirects to sign-in.
 * It dehydrates nothing: each page hands its own data to the client cache, and the integration
 * switcher asks the server for names only when opened.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const me = await currentUser();
  if (!me) return <>{children}</>;
  return (
    <SessionProvider me={me}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <AppHeader />
      <main id="main" className="mx-auto max-w-[1400px] px-4 py-5 lg:px-6">
        {children}
      </main>
    </SessionProvider>
  );
}
