import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { sha256 } from "../../lib/auth/tokens";
import { newId } from "../../lib/ids";
import { api, waitFor } from "../helpers/api";
import { testSql } from "../helpers/fixtures";

/**
 * The web server keeps verified API keys and sessions in memory for a few seconds
 * (lib/auth/principal-cache.ts). A change made by another process — the CLI, another web instance,
 * an operator in psql — must still take effect at once: these make it through a connection of the
 * test's own, after the credential has been used (so it is cached), and expect the next requests to be
 * refused well within the cache's 5 s lifetime (the auth_changed notification empties it).
 */

const PROMPT_MS = 1_000;

/** Polls until the request answers `status`; returns how long that took after the change. */
async function refusedWithin(since: number, call: () => Promise<{ status: number }>, status: number): Promise<number> {
  for (;;) {
    const res = await call();
    const took = Date.now() - since;
    if (res.status === status) return took;
    if (took > 6_000) throw new Error(`still ${res.status} ${took} ms after the change`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function keyInDb(scopes: string[]): Promise<{ id: string; token: string }> {
  const id = newId();
  const token = `sc_cache_${randomBytes(16).toString("hex")}`;
  await testSql()`
    insert into api_keys (id, name, token_hash, token_prefix, scopes)
    values (${id}, ${`cache-${id.slice(-6)}`}, ${sha256(token)}, 'sc_cache_', ${scopes})`;
  return { id, token };
}

async function sessionInDb(role: "admin" | "support"): Promise<{ userId: string; cookie: string }> {
  const userId = newId();
  const token = randomBytes(32).toString("base64url");
  await testSql()`insert into users (id, email, password_hash, role) values (${userId}, ${`cache-${userId}@example.com`}, '-', ${role})`;
  await testSql()`
    insert into sessions (token_hash, user_id, csrf_token, expires_at)
    values (${sha256(token)}, ${userId}, 'csrf', now() + interval '1 hour')`;
  return { userId, cookie: `sc_session=${token}` };
}

describe("cached credentials", () => {
  it("a key revoked by another process is refused at once, not after the cache's lifetime", async () => {
    const key = await keyInDb(["sync:read"]);
    for (let i = 0; i < 5; i++) expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(200);

    const t0 = Date.now();
    await testSql()`update api_keys set revoked_at = now() where id = ${key.id}`;
    const took = await refusedWithin(t0, () => api("GET", "/v1/syncs", { token: key.token }), 401);
    expect(took).toBeLessThan(PROMPT_MS);
    const after = await api("GET", "/v1/syncs", { token: key.token });
    expect(after.body).toEqual({ message: "Bearer Authentication Failed" });
  });

  it("a key narrowed by another process loses the scope at once", async () => {
    const key = await keyInDb(["sync:read", "admin"]);
    expect((await api("GET", "/v1/apiKeys", { token: key.token })).status).toBe(200);

    const t0 = Date.now();
    await testSql()`update api_keys set scopes = ${["sync:read"]} where id = ${key.id}`;
    const took = await refusedWithin(t0, () => api("GET", "/v1/apiKeys", { token: key.token }), 403);
    expect(took).toBeLessThan(PROMPT_MS);
    expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(200);
  });

  it("a session deleted, or its user demoted, by another process stops working at once", async () => {
    const me = () => api("GET", "/api/auth/me", { token: null, headers: { cookie: ended.cookie } });
    const ended = await sessionInDb("support");
    expect((await me()).status).toBe(200);
    let t0 = Date.now();
    await testSql()`delete from sessions where user_id = ${ended.userId}`;
    expect(await refusedWithin(t0, me, 401)).toBeLessThan(PROMPT_MS);

    const admin = await sessionInDb("admin");
    const keys = () => api("GET", "/v1/apiKeys", { token: null, headers: { cookie: admin.cookie } });
    expect((await keys()).status).toBe(200);
    t0 = Date.now();
    await testSql()`update users set role = 'support' where id = ${admin.userId}`;
    expect(await refusedWithin(t0, keys, 403)).toBeLessThan(PROMPT_MS);
    await testSql()`delete from users where id in (${ended.userId}, ${admin.userId})`;
  });

  it("a key's expiry is checked on every request, cached or not", async () => {
    const key = await keyInDb(["sync:read"]);
    await testSql()`update api_keys set expires_at = now() + interval '1200 milliseconds' where id = ${key.id}`;
    expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(200);
    expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_400));
    expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(401);
  });
});

/** Opens an event stream; `ended` resolves with everything it carried once the server closes it. */
async function openStream(path: string, headers: Record<string, string>): Promise<{ text: () => string; ended: Promise<string> }> {
  const res = await fetch(`${inject("baseUrl")}${path}`, { headers });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  })();
  await waitFor(async () => (text.includes("event: ready") ? true : undefined), 5_000, 10);
  return { text: () => text, ended };
}

describe("open event streams", () => {
  it("end as soon as their key is revoked or their session is deleted, by any process", async () => {
    const key = await keyInDb(["sync:read"]);
    const session = await sessionInDb("support");
    const byKey = await openStream("/v1/events", { authorization: `Bearer ${key.token}` });
    const bySession = await openStream("/v1/events", { cookie: session.cookie });
    const unrelated = await keyInDb(["sync:read"]);
    const kept = await openStream("/v1/events", { authorization: `Bearer ${unrelated.token}` });

    let t0 = Date.now();
    await testSql()`update api_keys set revoked_at = now() where id = ${key.id}`;
    expect(await byKey.ended).toContain("event: unauthorized");
    expect(Date.now() - t0).toBeLessThan(PROMPT_MS);

    t0 = Date.now();
    await testSql()`delete from users where id = ${session.userId}`;
    expect(await bySession.ended).toContain("event: unauthorized");
    expect(Date.now() - t0).toBeLessThan(PROMPT_MS);

    // A stream whose credential still holds carries on.
    await new Promise((r) => setTimeout(r, 300));
    expect(kept.text()).not.toContain("unauthorized");
    const racing = await Promise.race([kept.ended.then(() => "ended"), new Promise((r) => setTimeout(() => r("open"), 200))]);
    expect(racing).toBe("open");
    await testSql()`update api_keys set revoked_at = now() where id = ${unrelated.id}`;
    await kept.ended;
  });

  it("end when their key loses the scope the stream needs", async () => {
    const key = await keyInDb(["sync:read", "admin"]);
    const stream = await openStream("/v1/events", { authorization: `Bearer ${key.token}` });
    await testSql()`update api_keys set scopes = ${["admin"]} where id = ${key.id}`;
    expect(await stream.ended).toContain("event: unauthorized");
  });
});
