import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { parseBody, route } from "@/lib/api/handler";
import { createSession, isHttps, sessionCookie } from "@/lib/auth/sessions";
import { beginSignIn, clientAddress } from "@/lib/auth/sign-in-throttle";
import { checkCredentials } from "@/lib/auth/users";
import { log } from "@/lib/runtime/log";

const SignInBody = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320),
  password: z.string().min(1, "Enter your password").max(1000),
});

/**
 * Signs a dashboard user in: a session cookie plus the CSRF token the UI echoes on writes.
 * `requireJson` makes the wrapper refuse anything but an exact `application/json` body (415).
 */
export const POST = route({ scope: null, requireJson: true }, async ({ req }) => {
  const { email, password } = await parseBody(req, SignInBody);
  const attempt = await beginSignIn(email, clientAddress(req.headers));
  const db = getDb();
  const user = await checkCredentials(db, email, password);
  if (!user) {
    log.info("sign-in refused", { email: email.toLowerCase() });
    throw new DomainError("invalid_credentials", "Email or password is incorrect");
  }
  await attempt.succeeded();
  const session = await createSession(db, user.id);
  log.info("signed in", { userId: user.id, role: user.role });
  const res = NextResponse.json({ email: user.email, role: user.role, csrfToken: session.csrfToken });
  res.cookies.set(sessionCookie(session.token, { secure: isHttps(req), expires: session.expiresAt }));
  res.headers.set("cache-control", "no-store");
  return res;
});
