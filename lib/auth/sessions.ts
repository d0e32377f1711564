import { randomBytes } from "node:crypto";
import { eq, lt } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { sessions } from "@/db/schema";
import { SESSION_COOKIE } from "./principal";
import { forgetCachedPrincipals } from "./principal-cache";
import { sha256 } from "./tokens";

/** Sessions last two weeks; signing in again starts a new one. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

/**
 * Creates a browser session. Only the sha256 of the cookie value is stored, so a leaked
 * sessions table cannot be replayed; the CSRF token is per session and echoed by the UI.
 */
export async function createSession(db: DbOrTx, userId: string): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(sessions).values({ tokenHash: sha256(token), userId, csrfToken, expiresAt });
  // Housekeeping rides along with sign-ins: expired rows are useless and cheap to drop here.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  return { token, csrfToken, expiresAt };
}

export async function deleteSession(db: DbOrTx, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  forgetCachedPrincipals();
}

/** Cookie attributes: httpOnly so scripts never see it, lax against cross-site posts, secure on https. */
export function sessionCookie(value: string, opts: { secure: boolean; expires?: Date }) {
  return {
    name: SESSION_COOKIE,
    value,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: opts.secure,
    path: "/",
    ...(opts.expires ? { expires: opts.expires } : { maxAge: 0 }),
  };
}

/** True when the browser talked to us over https (directly or through a proxy that says so). */
export function isHttps(req: { headers: Headers; nextUrl?: URL }): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? req.nextUrl?.protocol.replace(":", "")) === "https";
}
