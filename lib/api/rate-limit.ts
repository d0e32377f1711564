import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { config } from "@/lib/runtime/config";
import { ApiError } from "./errors";

/**
 * Per-API-key request limit over a one-minute window, counted in Postgres (rate-limiter-flexible's
 * Drizzle store) so every web instance shares the same budget.
 */
const limiters = new Map<number, RateLimiterDrizzle>();

function limiterFor(points: number): RateLimiterDrizzle {
  let limiter = limiters.get(points);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({ storeClient: getDb(), schema: rateLimits, points, duration: 60, keyPrefix: "apikey" });
    limiters.set(points, limiter);
  }
  return limiter;
}

export type RateLimitHeaders = Record<string, string>;

const headersOf = (limit: number, res: RateLimiterRes): RateLimitHeaders => ({
  "X-RateLimit-Limit": String(limit),
  "X-RateLimit-Remaining": String(Math.max(0, res.remainingPoints)),
  "X-RateLimit-Reset": String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)),
});

/** Counts one request for the key; throws a 429 ApiError (with the headers to send) once over the limit. */
export async function consumeRateLimit(keyId: string, perMinute: number | null): Promise<RateLimitHeaders> {
  const limit = perMinute ?? config.rateLimitPerMinute();
  try {
    return headersOf(limit, await limiterFor(limit).consume(keyId));
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const headers = { ...headersOf(limit, e), "Retry-After": String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))) };
    throw new ApiError(429, "rate_limit_exceeded", `Rate limit of ${limit} requests per minute exceeded for this API key`, { headers });
  }
}
