import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Scope } from "@/lib/contracts/scopes";
import { noteKeyUsed } from "./last-used";
import { cachedPrincipal } from "./principal-cache";
import type { Principal } from "./principal-shape";
import { sha256 } from "./tokens";

export type { Principal } from "./principal-shape";

/** What a job records as `triggeredBy` / `canceledBy`. */
export const actorOf = (p: Principal): string => (p.kind === "apiKey" ? `apiKey:${p.name}` : `user:${p.email}`);

export const scopesForRole = (role: "admin" | "support"): Scope[] =>
  role === "admin" ? ["sync:read", "sync:write", "admin"] : ["sync:read"];

/**
 * Valid, unrevoked, unexpired API key for a bearer token, or null. Verified keys are kept in memory
 * for a few seconds (principal-cache.ts: a revocation still takes effect at once, in every process),
 * and `last_used_at` is stamped at most once a minute per key, off the request path (last-used.ts):
 * a read costs neither an authentication query nor a write.
 */
export async function principalFromToken(db: DbOrTx, token: string): Promise<Principal | null> {
  const principal = await cachedPrincipal("apiKey", sha256(token), async (hash) => {
    const [key] = await db.execute<{
      id: string;
      name: string;
      scopes: Scope[];
      rate_limit_per_minute: number | null;
      expires_at: Date | null;
    }>(sql`
      select id, name, scopes, rate_limit_per_minute, expires_at
        from api_keys
       where token_hash = ${hash} and revoked_at is null and (expires_at is null or expires_at > now())`);
    if (!key) return null;
    const found: Principal = {
      kind: "apiKey",
      id: key.id,
      name: key.name,
      scopes: key.scopes,
      rateLimitPerMinute: key.rate_limit_per_minute,
      expiresAt: key.expires_at ? new Date(key.expires_at) : null,
    };
    return { principal: found, expiresAt: key.expires_at ? new Date(key.expires_at) : null };
  });
  if (principal?.kind === "apiKey") noteKeyUsed(db, principal.id);
  return principal;
}

export const SESSION_COOKIE = "sc_session";
export const CSRF_HEADER = "x-csrf-token";

/** Signed-in browser user for a session cookie value, or null (kept in memory like API keys, see principalFromToken). */
export async function principalFromSession(db: DbOrTx, cookieValue: string): Promise<Principal | null> {
  return cachedPrincipal("session", sha256(cookieValue), async (hash) => {
    const [row] = await db.execute<{ id: string; email: string; role: "admin" | "support"; csrf_token: string; expires_at: Date }>(sql`
      select u.id, u.email, u.role, s.csrf_token, s.expires_at from sessions s join users u on u.id = s.user_id
      where s.token_hash = ${hash} and s.expires_at > now()`);
    if (!row) return null;
    const found: Principal = {
      kind: "user",
      id: row.id,
      email: row.email,
      role: row.role,
      scopes: scopesForRole(row.role),
      csrfToken: row.csrf_token,
    };
    return { principal: found, expiresAt: new Date(row.expires_at) };
  });
}
