import { count, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { forbidden, invalid, notFound } from "@/lib/errors";
import type { apiKeySchema } from "@/lib/contracts/management";
import { isObjectId, newId } from "@/lib/ids";
import { log } from "@/lib/runtime/log";
import { SCOPES, type Scope } from "@/lib/contracts/scopes";
import { forgetCachedPrincipals } from "./principal-cache";
import { newSecret, sha256 } from "./tokens";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";

export const TOKEN_PREFIX = "sc_";
/** Enough of the token to tell keys apart in a list, far too little to guess the rest (256 random bits). */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ApiKeyView = z.infer<typeof apiKeySchema>;

const isoIf = (d: Date | null) => (d ? d.toISOString() : undefined);

export const presentApiKey = (k: ApiKeyRow): ApiKeyView => ({
  _id: k.id,
  name: k.name,
  scopes: k.scopes as Scope[],
  prefix: k.tokenPrefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: isoIf(k.lastUsedAt),
  revokedAt: isoIf(k.revokedAt),
  expiresAt: isoIf(k.expiresAt),
  rateLimitPerMinute: k.rateLimitPerMinute ?? undefined,
});

const normalizeScopes = (scopes: readonly Scope[]): Scope[] => SCOPES.filter((s) => scopes.includes(s));

/**
 * The caller's powers: its scopes and, for an API key, the per-minute limit it runs under
 * (`ownLimit`, null when it follows the server default `effectiveLimit`). Browser users are not
 * rate limited, so they pass no limits.
 */
export type KeyGrantor = { scopes: readonly Scope[]; ownLimit?: number | null; effectiveLimit?: number | null; expiresAt?: Date | null };

/**
 * Creates a key; the token is returned here once and only its sha256 is stored.
 * The grantor (the caller) bounds what may be granted: a key holding only `admin` cannot mint
 * itself a `sync:write` key, and a key limited to N requests a minute cannot mint an unlimited
 * one (the new key inherits the limit when none is asked for). The CLI, run by the operator,
 * passes no grantor.
 */
export async function createApiKey(
  db: DbOrTx,
  input: { name: string; scopes: readonly Scope[]; expiresAt?: string | Date; rateLimitPerMinute?: number },
  grantor?: KeyGrantor,
  actor?: AuditActor,
): Promise<{ key: ApiKeyView; token: string }> {
  const beyond = grantor ? input.scopes.filter((s) => !grantor.scopes.includes(s)) : [];
  if (beyond.length) {
    throw forbidden("insufficient_scope", `You cannot grant scopes you do not hold: ${beyond.join(", ")}`, { field: "scopes" });
  }
  const ceiling = grantor?.effectiveLimit ?? null;
  if (ceiling !== null && input.rateLimitPerMinute !== undefined && input.rateLimitPerMinute > ceiling) {
    throw forbidden("insufficient_scope", `You cannot grant more than your own ${ceiling} requests per minute`, {
      field: "rateLimitPerMinute",
    });
  }
  const rateLimitPerMinute = input.rateLimitPerMinute ?? grantor?.ownLimit ?? null;
  // A key that expires cannot outlive itself through a key it mints: that key expires no later (by default, with it).
  const until = grantor?.expiresAt ?? null;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : until;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalid("expiresAt must be in the future", "expiresAt");
  if (until && expiresAt && expiresAt > until) {
    throw forbidden("insufficient_scope", `You cannot grant a key that outlives your own, which expires at ${until.toISOString()}`, {
      field: "expiresAt",
    });
  }
  const token = newSecret(TOKEN_PREFIX);
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({
        id: newId(),
        name: input.name,
        tokenHash: sha256(token),
        tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        scopes: normalizeScopes(input.scopes),
        expiresAt,
        rateLimitPerMinute,
      })
      .returning();
    const { name, scopes, expiresAt: expires, rateLimitPerMinute: limit } = created;
    await recordAudit(tx, actor, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: created.id,
      changes: auditDiff(undefined, { name, scopes, expiresAt: expires, rateLimitPerMinute: limit }),
    });
    return created;
  });
  log.info("api key created", { apiKeyId: row.id, name: row.name, scopes: row.scopes, rateLimitPerMinute: row.rateLimitPerMinute });
  return { key: presentApiKey(row), token };
}

export async function listApiKeys(db: DbOrTx, params: { limit: number; offset: number }) {
  const [rows, [{ n }]] = await Promise.all([
    db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(params.limit).offset(params.offset),
    db.select({ n: count() }).from(apiKeys),
  ]);
  return { data: rows.map(presentApiKey), totalCount: n };
}

export async function getApiKey(db: DbOrTx, id: string): Promise<ApiKeyView> {
  const [row] = isObjectId(id) ? await db.select().from(apiKeys).where(eq(apiKeys.id, id)) : [];
  if (!row) throw notFound("invalid_ref", `API key ${id} not found`, "id");
  return presentApiKey(row);
}

/** Revokes at once: authentication reads revoked_at on every request. Revoking twice is a no-op. */
export async function revokeApiKey(db: DbOrTx, id: string, actor?: AuditActor): Promise<void> {
  if (!isObjectId(id)) throw notFound("invalid_ref", `API key ${id} not found`, "id");
  const row = await db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, id))
      .for("update");
    if (!key) throw notFound("invalid_ref", `API key ${id} not found`, "id");
    // Revoking twice is a no-op: one revocation, one audit event.
    if (key.revokedAt) return null;
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiKeys.id, id))
      .returning({ id: apiKeys.id, name: apiKeys.name });
    await recordAudit(tx, actor, {
      action: "api_key.delete",
      targetType: "api_key",
      targetId: id,
      changes: { name: { from: revoked.name } },
    });
    return revoked;
  });
  if (!row) return;
  // This process's cache at once; the others through the auth_changed notification of the commit.
  forgetCachedPrincipals();
  log.info("api key revoked", { apiKeyId: row.id, name: row.name });
}

/**
 * Boot-time bootstrap for ADMIN_API_TOKEN: makes sure a key with exactly this token and every
 * scope works. The environment is the operator's statement of intent, so a key of that token
 * revoked or narrowed through the API is restored on the next boot; to retire the token,
 * remove the variable. Idempotent: the unique token hash is the upsert target.
 */
export async function ensureApiKeyWithToken(db: DbOrTx, token: string, name = "admin (ADMIN_API_TOKEN)"): Promise<ApiKeyView> {
  const value = token.trim();
  if (!value) throw new Error("ADMIN_API_TOKEN is empty");
  if (value.length < 24) log.warn("ADMIN_API_TOKEN is short; use a long random value (e.g. `openssl rand -base64 32`)");
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId(),
      name,
      tokenHash: sha256(value),
      tokenPrefix: value.slice(0, Math.min(SHOWN_PREFIX_LENGTH, Math.floor(value.length / 3))),
      scopes: [...SCOPES],
    })
    .onConflictDoUpdate({
      target: apiKeys.tokenHash,
      set: { scopes: [...SCOPES], revokedAt: null, expiresAt: null },
    })
    .returning();
  return presentApiKey(row);
}
