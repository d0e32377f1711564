import postgres from "postgres";
import { databaseUrl } from "@/db/client";
import { log } from "@/lib/runtime/log";
import type { Principal } from "./principal-shape";

/**
 * Verified API keys and sessions, kept in the web process for a few seconds so a read does not pay
 * an authentication query (and its share of the pool) on every request. Keyed by the token's sha256;
 * an unknown token is never cached, so a new key or session works at once.
 *
 * A revocation still takes effect at once:
 * - in this process, the services that take a credential away call `forgetCachedPrincipals()` after
 *   their commit (revoking a key, signing out, changing a role or password, deleting a user);
 * - in every other process, the `auth_changed` notification those changes raise at commit (triggers
 *   on api_keys, sessions and users, migration 0009) empties the cache as it arrives, milliseconds;
 * - should the notification connection be down, nothing is cached at all until it is back, and no
 *   entry is trusted for longer than AUTH_CACHE_MS (default 5 s) whatever happens.
 * A key's or session's own expiry is checked against the clock on every hit.
 */

const TTL_MS = Number(process.env.AUTH_CACHE_MS ?? 5_000);
/** Far more than the keys and sessions in use at once; a flood of distinct valid tokens just empties it. */
const MAX_ENTRIES = 10_000;
const CHANNEL = "auth_changed";
const RELISTEN_MS = 1_000;

type Entry = { principal: Principal; expiresAt: number | null; cachedAt: number };
export type Verified = { principal: Principal; expiresAt: Date | null };

type CacheState = {
  entries: Map<string, Entry>;
  /** Told whenever credentials may have changed (see onCredentialsChanged). */
  watchers?: Set<() => void>;
  /** Bumped by every invalidation: a lookup that started before one does not store its (maybe stale) answer. */
  generation: number;
  listening: boolean;
  listener?: postgres.Sql;
};
// On globalThis: Next.js may load this module in more than one bundle of the same process.
const state = globalThis as unknown as { __principalCache?: CacheState };
const cache: CacheState = (state.__principalCache ??= { entries: new Map(), generation: 0, listening: false });

/** Drops every cached credential (this process). Call after committing anything that narrows or removes one. */
export function forgetCachedPrincipals(): void {
  cache.generation++;
  cache.entries.clear();
  for (const watcher of cache.watchers ?? []) watcher();
}

/**
 * Calls `fn` whenever a credential may have been narrowed or removed, here or in another process
 * (the same moments the cache is emptied), so what outlives one request (an event stream) can
 * check its caller again. Returns the unsubscribe.
 */
export function onCredentialsChanged(fn: () => void): () => void {
  startListening();
  (cache.watchers ??= new Set()).add(fn);
  return () => void cache.watchers?.delete(fn);
}

/**
 * The principal for a token hash, from the cache or from `load` (which returns null for an unknown,
 * revoked or expired credential). `kind` keeps key and session hashes apart.
 */
export async function cachedPrincipal(
  kind: "apiKey" | "session",
  tokenHash: string,
  load: (tokenHash: string) => Promise<Verified | null>,
): Promise<Principal | null> {
  if (TTL_MS <= 0) return (await load(tokenHash))?.principal ?? null;
  startListening();
  const key = `${kind}:${tokenHash}`;
  const now = Date.now();
  const hit = cache.entries.get(key);
  if (hit && cache.listening && now - hit.cachedAt < TTL_MS && (hit.expiresAt === null || hit.expiresAt > now)) return hit.principal;
  if (hit) cache.entries.delete(key);
  const generation = cache.generation;
  const found = await load(tokenHash);
  if (found && cache.listening && generation === cache.generation) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
    cache.entries.set(key, { principal: found.principal, expiresAt: found.expiresAt?.getTime() ?? null, cachedAt: now });
  }
  return found?.principal ?? null;
}

/**
 * One connection of its own that LISTENs for `auth_changed`. Until it listens, and whenever it is
 * closed, the cache is off (empty, nothing stored); it tries again every RELISTEN_MS.
 */
function startListening(): void {
  if (cache.listener) return;
  let retry: NodeJS.Timeout | undefined;
  const stopped = () => {
    if (cache.listening) log.warn("principal cache off until the auth_changed listener reconnects");
    cache.listening = false;
    forgetCachedPrincipals();
    // A failed LISTEN and the close of its connection both land here: one retry, not two.
    retry ??= setTimeout(() => {
      retry = undefined;
      listen();
    }, RELISTEN_MS);
    retry.unref();
  };
  const listener = postgres(databaseUrl(), {
    max: 1,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connect_timeout: 2,
    onclose: stopped,
    // Not in postgres.js's types, but the option its own listen() is built on: every notification of this connection.
    ...({ onnotify: (channel: string) => channel === CHANNEL && forgetCachedPrincipals() } as object),
  });
  cache.listener = listener;
  const listen = () =>
    void listener`listen auth_changed`.then(() => {
      // Whatever changed while nobody listened is unknown: start from empty.
      forgetCachedPrincipals();
      cache.listening = true;
    }, stopped);
  listen();
}
