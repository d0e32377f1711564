"use client";

import { usePathname, useRouter } from "next/navigation";
import { createContext, type ReactNode, useContext } from "react";
import { configureApiClient } from "@/lib/ui/api-client";
import type { Me } from "@/lib/ui/types";

const SessionContext = createContext<Me | null>(null);

/** Holds the signed-in user (rendered by the server layout) and wires the API client's CSRF header. */
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  // Set during render (an idempotent module assignment) so queries fired by children's first
  // effects already carry the token; an expired session sends the user to sign in and back.
  configureApiClient({
    csrfToken: me.csrfToken,
    onUnauthorized: () => router.replace(`/sign-in?next=${encodeURIComponent(pathname)}`),
  });
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useMe outside SessionProvider");
  return me;
}

/** Support users are read-only: they never see a write button (and the API refuses them anyway). */
export const useCanWrite = (): boolean => useMe().role === "admin";
