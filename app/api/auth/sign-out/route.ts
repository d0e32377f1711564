import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { forbidden } from "@/lib/errors";
import { route } from "@/lib/api/handler";
import { CSRF_HEADER, principalFromSession, SESSION_COOKIE } from "@/lib/auth/principal";
import { deleteSession, isHttps, sessionCookie } from "@/lib/auth/sessions";
import { safeEqual } from "@/lib/auth/tokens";

/**
 * Deletes the session row (so the cookie is dead even if a copy survives) and clears the cookie.
 * Anonymous on the wrapper: an expired or unknown cookie still gets cleared, not a 401.
 */
export const POST = route({ scope: null }, async ({ req }) => {
  const token = req.cookies.get(SESSION_COOKIE)?.value;
  if (token) {
    const db = getDb();
    const principal = await principalFromSession(db, token);
    // A live session is only ended by its own page: a cross-site post cannot sign people out.
    if (principal?.kind === "user" && !safeEqual(req.headers.get(CSRF_HEADER) ?? "", principal.csrfToken)) {
      throw forbidden("csrf_failed", `Missing or wrong ${CSRF_HEADER} header`);
    }
    await deleteSession(db, token);
  }
  const res = new NextResponse(null, { status: 204 });
  res.cookies.set(sessionCookie("", { secure: isHttps(req) }));
  return res;
});
