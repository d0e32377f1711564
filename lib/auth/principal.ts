import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { sha256 } from "./tokens";

export const SCOPES = ["sync:read", "sync:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export type Principal =
  | { kind: "apiKey"; id: string; name: string; scopes: Scope[]; rateLimitPerMinute?: number | null }
  | { kind: "user"; id: string; email: string; role: "admin" | "support"; scopes: Scope[]; csrfToken: string };

/** What a job records as `triggeredBy` / `canceledBy`. */
export const actorOf = (p: Principal): string => (p.kind === "apiKey" ? `apiKey:${p.name}` : `user:${p.email}`);

export const scopesForRole = (role: "admin" | "support"): Scope[] =>
  role === "admin" ? ["sync:read", "sync:write", "admin"] : ["sync:read"];

/**
 * Valid, unrevoked, unexpired API key for a bearer token, or null. A read, so every request sees a
 * revocation at once; `last_used_at` is a "seen recently" stamp written at most once a minute per
 * key, so an API read does not cost a write (and a WAL flush) per request.
 */
export async function principalFromToken(db: DbOrTx, token: string): Promise<Principal | null> {
  const [key] = await db.execute<{ id: string; name: string; scopes: Scope[]; rate_limit_per_minute: number | null; stale: boolean }>(sql`
    select id, name, scopes, rate_limit_per_minute, (last_used_at is null or last_used_at < now() - ${LAST_USED_EVERY}::interval) as stale
      from api_keys
     where token_hash = ${sha256(token)} and revoked_at is null and (expires_at is null or expires_at > now())`);
  if (!key) return null;
  if (key.stale) {
    // The condition again in the UPDATE: of many requests seeing a stale stamp at once, one writes.
    await db.execute(sql`
      update api_keys set last_used_at = now()
       where id = ${key.id} and (last_used_at is null or last_used_at < now() - ${LAST_USED_EVERY}::interval)`);
  }
  return { kind: "apiKey", id: key.id, name: key.name, scopes: key.scopes, rateLimitPerMinute: key.rate_limit_per_minute };
}

const LAST_USED_EVERY = "1 minute";

export const SESSION_COOKIE = "sc_session";
export const CSRF_HEADER = "x-csrf-token";

/** Signed-in browser user for a session cookie value, or null. */
export async function principalFromSession(db: DbOrTx, cookieValue: string): Promise<Principal | null> {
  const [row] = await db.execute<{ id: string; email: string; role: "admin" | "support"; csrf_token: string }>(sql`
    select u.id, u.email, u.role, s.csrf_token from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${sha256(cookieValue)} and s.expires_at > now()`);
  if (!row) return null;
  return { kind: "user", id: row.id, email: row.email, role: row.role, scopes: scopesForRole(row.role), csrfToken: row.csrf_token };
}
