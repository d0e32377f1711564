import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/handler";
import { CSRF_HEADER, principalFromSession, SESSION_COOKIE } from "@/lib/auth/principal";
import { deleteSession, isHttps, sessionCookie } from "@/lib/auth/sessions";
import { safeEqual } from "@/lib/auth/tokens";
import { log } from "@/lib/runtime/log";

/** Deletes the session row (so the cookie is dead even if a copy survives) and clears the cookie. */
export async function POST(req: NextRequest): Promise<Response> {
  try {
    const token = req.cookies.get(SESSION_COOKIE)?.value;
    if (token) {
      const db = getDb();
      const principal = await principalFromSession(db, token);
      // A live session is only ended by its own page: a cross-site post cannot sign people out.
      if (principal?.kind === "user" && !safeEqual(req.headers.get(CSRF_HEADER) ?? "", principal.csrfToken)) {
        throw new ApiError(403, "csrf_failed", `Missing or wrong ${CSRF_HEADER} header`);
      }
      await deleteSession(db, token);
    }
    const res = new NextResponse(null, { status: 204 });
    res.cookies.set(sessionCookie("", { secure: isHttps(req) }));
    return res;
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e);
    log.error("sign-out failed", { err: String(e) });
    return errorResponse(new ApiError(500, "internal_error", "Something went wrong on our side"));
  }
}
