import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256 } from "../../lib/auth/tokens";
import { newId } from "../../lib/ids";
import { api } from "../helpers/api";
import { testSql } from "../helpers/fixtures";

async function keyWithLimit(perMinute: number | null): Promise<string> {
  const token = `sc_rl_${randomBytes(16).toString("hex")}`;
  await testSql()`
    insert into api_keys (id, name, token_hash, token_prefix, scopes, rate_limit_per_minute)
    values (${newId()}, ${`rl-${perMinute}`}, ${sha256(token)}, 'sc_rl_', ${["sync:read"]}, ${perMinute})`;
  return token;
}

describe("per-key rate limit", () => {
  it("answers 429 with Retry-After and X-RateLimit-* once a key is over its limit, without touching other keys", async () => {
    // The limit counts per clock minute: four requests straddling a minute's end would meet two
    // windows (seen on a loaded machine: remaining 2, 1, 2). Start with 20 s of the minute to spare.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100));
    const limited = await keyWithLimit(3);
    const other = await keyWithLimit(null);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api("GET", "/v1/integrations", { token: limited });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("3");
      remaining.push(res.headers.get("x-ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    // The reset lies after the moment the request was sent (compared with the time after the
    // answer, a request at the very end of a minute would see its window's reset just passed).
    const sentAt = Date.now() / 1000;
    const over = await api("GET", "/v1/integrations", { token: limited });
    expect(over.status).toBe(429);
    expect(over.body.errors[0].code).toBe("rate_limit_exceeded");
    const retryAfter = Number(over.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(over.headers.get("x-ratelimit-reset"))).toBeGreaterThan(sentAt);

    expect((await api("GET", "/v1/integrations", { token: other })).status).toBe(200);
  });

  it("still answers a bad token with the bare 401 before any counting", async () => {
    const res = await api("GET", "/v1/integrations", { token: "sc_not_a_real_token" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Bearer Authentication Failed" });
  });
});
