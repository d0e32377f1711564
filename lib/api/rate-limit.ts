import { getSql } from "@/db/client";
import { config } from "@/lib/runtime/config";
import { log } from "@/lib/runtime/log";
import { DomainError } from "@/lib/errors";

/**
 * Per-API-key request limit over fixed one-minute windows, shared by every web instance through the
 * `rate_limits` table but not written per request (a read should not cost a write):
 *
 * - Windows are clock minutes, so every instance agrees on where one starts and ends, and a key's
 *   row is `<key id>:<window start>`.
 * - The first request of a key in a window (per instance) adds itself to the shared row and reads
 *   back what every instance has used so far: one round trip per key per minute.
 * - After that each instance counts in memory and, every FLUSH_MS, adds what it admitted to the shared
 *   rows in one statement and reads the totals back.
 *
 * One instance is therefore exact. With several, a key can go over its limit by what the other
 * instances admitted since their last flush (at most about FLUSH_MS of its traffic per instance).
 * If Postgres cannot be reached, the in-memory counts keep limiting and are flushed later.
 */

const WINDOW_MS = 60_000;
const FLUSH_MS = 1_000;
/** Shared rows of windows older than this are deleted by the flush that notices them. */
const KEEP_MS = 5 * WINDOW_MS;

type Counter = {
  window: number;
  /** What all instances had used at the last read (our flushed requests included). */
  shared: number;
  /** Admitted here and being flushed right now. */
  flushing: number;
  /** Admitted here since the last flush started. */
  pending: number;
  /** The window's first flush; requests arriving meanwhile wait for it. */
  ready: Promise<void>;
};

type LimiterState = { counters: Map<string, Counter>; timer?: NodeJS.Timeout; lastCleanup: number };
// On globalThis: one process can hold two copies of this module (Next.js's bundle beside modules
// loaded directly, as a custom server does), and a key must have one count per process, not one per copy.
const shared = globalThis as unknown as { __rateLimiter?: LimiterState };
const state: LimiterState = (shared.__rateLimiter ??= { counters: new Map(), lastCleanup: 0 });
const counters = state.counters;

export type RateLimitHeaders = Record<string, string>;
/** The X-RateLimit-* headers for every answer, and the 429's error once the key is over its limit. */
export type RateLimitDecision = { headers: RateLimitHeaders; refused?: DomainError };

const rowKey = (keyId: string, window: number) => `${keyId}:${window}`;

/** Adds the given counters' pending requests to their shared rows and reads the totals back. */
async function flush(batch: [string, Counter][]): Promise<void> {
  const moving = batch.filter(([, c]) => c.pending > 0);
  if (!moving.length) return;
  for (const [, c] of moving) {
    c.flushing += c.pending;
    c.pending = 0;
  }
  const sql = getSql();
  try {
    const rows = await sql<{ key: string; points: number }[]>`
      insert into rate_limits (key, points, expire)
      select * from unnest(
        ${sql.array(moving.map(([id, c]) => rowKey(id, c.window)))}::text[],
        ${sql.array(moving.map(([, c]) => c.flushing))}::int[],
        ${sql.array(moving.map(([, c]) => new Date(c.window + WINDOW_MS).toISOString()))}::timestamptz[])
      on conflict (key) do update set points = rate_limits.points + excluded.points
      returning key, points`;
    const totals = new Map(rows.map((r) => [r.key, r.points]));
    for (const [id, c] of moving) {
      c.shared = totals.get(rowKey(id, c.window)) ?? c.shared + c.flushing;
      c.flushing = 0;
    }
    if (Date.now() - state.lastCleanup > KEEP_MS) {
      state.lastCleanup = Date.now();
      await sql`delete from rate_limits where expire < ${new Date(Date.now() - KEEP_MS).toISOString()}::timestamptz`;
    }
  } catch (e) {
    // Keep limiting on the local counts; they go out with the next flush.
    for (const [, c] of moving) {
      c.pending += c.flushing;
      c.flushing = 0;
    }
    log.warn("rate limit counts could not be shared", { err: String((e as Error)?.message ?? e) });
  }
}

function startFlushing() {
  if (state.timer) return;
  state.timer = setInterval(() => {
    const now = currentWindow();
    for (const [id, c] of counters) if (c.window < now && c.pending === 0 && c.flushing === 0) counters.delete(id);
    void flush([...counters]);
  }, FLUSH_MS);
  state.timer.unref();
}

const currentWindow = () => Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;

function headersOf(limit: number, used: number, window: number): RateLimitHeaders {
  return {
    "X-RateLimit-Limit": String(limit),
    "X-RateLimit-Remaining": String(Math.max(0, limit - used)),
    "X-RateLimit-Reset": String(Math.ceil((window + WINDOW_MS) / 1000)),
  };
}

/** Counts one request for the key; once it is over the limit, the decision carries the `rate_limit_exceeded` error to answer with. */
export async function consumeRateLimit(keyId: string, perMinute: number | null): Promise<RateLimitDecision> {
  const limit = perMinute ?? config.rateLimitPerMinute();
  const window = currentWindow();
  const c = counters.get(keyId);
  if (!c || c.window !== window) {
    // Earlier windows' counts have nothing more to say; this request opens the new one.
    const fresh: Counter = { window, shared: 0, flushing: 0, pending: 1, ready: Promise.resolve() };
    fresh.ready = flush([[keyId, fresh]]);
    counters.set(keyId, fresh);
    startFlushing();
    await fresh.ready;
    const used = fresh.shared + fresh.flushing + fresh.pending;
    // Other instances used the window up already (the shared row then counts this refused request too).
    if (used > limit) return over(limit, limit, window);
    return { headers: headersOf(limit, used, window) };
  }
  await c.ready;
  const used = c.shared + c.flushing + c.pending;
  if (used >= limit) return over(limit, used, window);
  c.pending += 1;
  return { headers: headersOf(limit, used + 1, window) };
}

function over(limit: number, used: number, window: number): RateLimitDecision {
  const retryAfterSeconds = Math.max(1, Math.ceil((window + WINDOW_MS - Date.now()) / 1000));
  const refused = new DomainError("rate_limit_exceeded", `Rate limit of ${limit} requests per minute exceeded for this API key`, {
    retryAfterSeconds,
  });
  return { headers: headersOf(limit, used, window), refused };
}
