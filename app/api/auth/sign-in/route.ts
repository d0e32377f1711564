import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { ApiError } from "@/lib/api/errors";
import { errorResponse, parseBody } from "@/lib/api/handler";
import { createSession, isHttps, sessionCookie } from "@/lib/auth/sessions";
import { checkCredentials } from "@/lib/auth/users";
import { log } from "@/lib/runtime/log";

const SignInBody = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320),
  password: z.string().min(1, "Enter your password").max(1000),
});

export async function POST(req: NextRequest): Promise<Response> {
  try {
    // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant:
    // that closes login CSRF (signing a victim into the attacker's account) without a token.
    if (!req.headers.get("content-type")?.includes("application/json")) {
      throw new ApiError(415, "unsupported_media_type", "Send the credentials as JSON");
    }
    const { email, password } = await parseBody(req, SignInBody);
    const db = getDb();
    const user = await checkCredentials(db, email, password);
    if (!user) {
      log.info("sign-in refused", { email: email.toLowerCase() });
      throw new ApiError(401, "invalid_credentials", "Email or password is incorrect");
    }
    const session = await createSession(db, user.id);
    log.info("signed in", { userId: user.id, role: user.role });
    const res = NextResponse.json({ email: user.email, role: user.role, csrfToken: session.csrfToken });
    res.cookies.set(sessionCookie(session.token, { secure: isHttps(req), expires: session.expiresAt }));
    res.headers.set("cache-control", "no-store");
    return res;
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e);
    log.error("sign-in failed", { err: String(e) });
    return errorResponse(new ApiError(500, "internal_error", "Something went wrong on our side"));
  }
}
