import type { Scope } from "@/lib/contracts/scopes";

/**
 * Who is calling: an API key, or a dashboard user signed in with a session. Its own file so that
 * principal.ts (which verifies credentials) and principal-cache.ts (which keeps verified ones) can
 * both use it without importing each other.
 */
export type Principal =
  | { kind: "apiKey"; id: string; name: string; scopes: Scope[]; rateLimitPerMinute?: number | null; expiresAt?: Date | null }
  | { kind: "user"; id: string; email: string; role: "admin" | "support"; scopes: Scope[]; csrfToken: string };
