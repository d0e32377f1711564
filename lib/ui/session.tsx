"use client";

import { usePathname, useRouter } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { configureApiClient } from "@/lib/ui/api-client";
import type { Me } from "@/lib/ui/types";

const SessionContext = createContext<Me | null>(null);

/** Holds the signed-in user (rendered by the server layout) and wires the API client's CSRF header. */
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  // Configured during render so child queries that fire in their first effect already carry it.
  configureApiClient({
    csrfToken: me.csrfToken,
    onUnauthorized: () => router.replace(`/sign-in?next=${encodeURIComponent(pathname)}`),
  });
  useEffect(() => {
    configureApiClient({
      csrfToken: me.csrfToken,
      onUnauthorized: () => router.replace(`/sign-in?next=${encodeURIComponent(pathname)}`),
    });
  }, [me.csrfToken, router, pathname]);
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useMe outside SessionProvider");
  return me;
}

/** Support users are read-only: they never see a write button (and the API refuses them anyway). */
export const useCanWrite = (): boolean => useMe().role === "admin";
