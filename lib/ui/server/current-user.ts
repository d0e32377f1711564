import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { principalFromSession, SESSION_COOKIE } from "@/lib/auth/principal";
import type { Me } from "@/lib/ui/types";

/** The signed-in user of this request, looked up once per render (React cache). */
export const currentUser = cache(async (): Promise<Me | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  const p = await principalFromSession(getDb(), token);
  return p?.kind === "user" ? { email: p.email, role: p.role, csrfToken: p.csrfToken } : null;
});

/**
 * Every console page calls this first with its own path, so a signed-out visitor lands on the
 * sign-in page and comes back to the deep link afterwards.
 */
export async function requireUser(path: string): Promise<Me> {
  const me = await currentUser();
  if (!me) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  return me;
}
