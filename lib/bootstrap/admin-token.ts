import type postgres from "postgres";
import { sha256 } from "@/lib/auth/tokens";
import { newId } from "@/lib/ids";

/** ADMIN_API_TOKEN at boot: make sure a live key with exactly this token and every scope exists. */
export async function ensureAdminToken(sql: postgres.Sql, token: string): Promise<void> {
  await sql`
    insert into api_keys (id, name, token_hash, token_prefix, scopes)
    values (${newId()}, 'admin-token', ${sha256(token)}, ${token.slice(0, 6)}, ${["sync:read", "sync:write", "admin"]})
    on conflict (token_hash) do update set revoked_at = null, expires_at = null, scopes = excluded.scopes`;
}
