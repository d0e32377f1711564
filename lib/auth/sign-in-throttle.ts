import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { DomainError } from "@/lib/errors";

/**
 * Sign-in throttling, counted in Postgres (rate-limiter-flexible's Drizzle store, the same table
 * as the API-key limit) so every web instance shares the counts. Each attempt takes a point from
 * its email and from its client address *before* the password is checked — 30 parallel guesses
 * cannot all slip in ahead of the first failure — and a success gives the points back. Once a
 * budget is spent every attempt, the right password included, is a 429 until the window ends.
 *
 * Per address the budget is larger: people behind one NAT share it, and the per-email limit is what
 * protects an account. The address is the last X-Forwarded-For entry: Next.js fills it with the
 * socket's address when no proxy did, and a proxy in front appends the client it saw. A client that
 * talks to us directly can invent it, so only the per-email limit holds against such a client.
 */
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_ADDRESS = 30;

type Limiters = { email: RateLimiterDrizzle; address: RateLimiterDrizzle };
let limiters: Limiters | undefined;
const get = (): Limiters =>
  (limiters ??= {
    email: new RateLimiterDrizzle({
      storeClient: getDb(),
      schema: rateLimits,
      points: MAX_FAILURES_PER_EMAIL,
      duration: SIGN_IN_WINDOW_SECONDS,
      keyPrefix: "signin_email",
    }),
    address: new RateLimiterDrizzle({
      storeClient: getDb(),
      schema: rateLimits,
      points: MAX_FAILURES_PER_ADDRESS,
      duration: SIGN_IN_WINDOW_SECONDS,
      keyPrefix: "signin_addr",
    }),
  });

export function clientAddress(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops.at(-1)?.slice(0, 64) ?? "unknown";
}

export type SignInAttempt = { succeeded: () => Promise<void> };

/** Takes a point from both budgets, or throws 429 `too_many_sign_in_attempts` with Retry-After. */
export async function beginSignIn(email: string, address: string): Promise<SignInAttempt> {
  const { email: byEmail, address: byAddress } = get();
  const emailKey = email.trim().toLowerCase();
  const results = await Promise.allSettled([byEmail.consume(emailKey), byAddress.consume(address)]);
  const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  const other = refused.find((e) => !(e instanceof RateLimiterRes));
  if (other) throw other;
  if (refused.length) {
    const waitMs = Math.max(...refused.map((e) => (e as RateLimiterRes).msBeforeNext));
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new DomainError("too_many_sign_in_attempts", `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, {
      retryAfterSeconds,
    });
  }
  return {
    // A success clears the account's failures and returns the address's point: only failures count.
    succeeded: async () => {
      await Promise.all([byEmail.delete(emailKey), byAddress.reward(address, 1)]);
    },
  };
}
