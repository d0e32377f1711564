import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sha256 } from "../../lib/auth/tokens";
import { newId } from "../../lib/ids";
import { api, type ApiResult } from "../helpers/api";
import { sampleSync, testSql } from "../helpers/fixtures";

/**
 * The web server answers GET /v1 reads itself, through the same route handlers, and leaves every
 * other request to Next.js (lib/bin/web.ts, web-reads.ts). A path holding a `%` is always Next.js's
 * (its proxy checks the encoding and it decodes the params), so `/v1/syncs/%61bc` reaches the same
 * handler as `/v1/syncs/abc` the other way: the two answers must agree. Which way answered shows in
 * the framing only: the fast path sends a Content-Length, Next.js streams chunks.
 */

/** The same path with its last segment's first character percent-encoded (so Next.js answers it). */
const viaNext = (path: string) =>
  path.replace(/\/([0-9a-z])([^/?]*)(\?|$)/, (_, c: string, rest: string, end: string) => `/%${c.charCodeAt(0).toString(16)}${rest}${end}`);

const VARYING = new Set([
  "date",
  "content-length",
  "transfer-encoding",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "keep-alive",
  "connection",
]);
const stableHeaders = (r: ApiResult) => [...r.headers].filter(([name]) => !VARYING.has(name));

async function keyInDb(scopes: string[], perMinute: number | null = null): Promise<{ id: string; token: string }> {
  const id = newId();
  const token = `sc_fast_${randomBytes(16).toString("hex")}`;
  await testSql()`
    insert into api_keys (id, name, token_hash, token_prefix, scopes, rate_limit_per_minute)
    values (${id}, ${`fast-${id.slice(-6)}`}, ${sha256(token)}, 'sc_fast', ${scopes}, ${perMinute})`;
  return { id, token };
}

let syncId = "";
beforeAll(async () => {
  ({
    sync: { id: syncId },
  } = await sampleSync([{ name: "customers", rows: 3 }]));
});

describe("GET /v1 reads outside Next.js's pipeline", () => {
  it.each([
    ["a sync", () => `/v1/syncs/${syncId}`],
    ["its job history", () => `/v1/syncs/${syncId}/syncJobs?limit=5`],
    ["a 400 naming the bad parameter", () => `/v1/syncs/${syncId}/syncJobs?limit=abc`],
    ["a 404 for an unknown sync", () => `/v1/syncs/ffffffffffffffffffffffff`],
  ])("%s: the same status, headers and body as Next.js answers", async (_label, path) => {
    const fast = await api("GET", path());
    const next = await api("GET", viaNext(path()));
    expect(viaNext(path())).toContain("%");
    // Which way each was answered (see the comment at the top).
    expect(fast.headers.get("content-length")).toBe(String(Buffer.byteLength(fast.text)));
    expect(next.headers.get("content-length")).toBeNull();
    expect(fast.status).toBe(next.status);
    expect(fast.text).toBe(next.text);
    expect(stableHeaders(fast)).toEqual(stableHeaders(next));
    expect(fast.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("an undecodable path is still the proxy's 400, and HEAD and writes still reach their routes", async () => {
    const bad = await api("GET", "/v1/syncs/%C3%28");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: "invalid_parameter", field: "path" });
    const head = await fetch(`${inject("baseUrl")}/v1/syncs/${syncId}`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${inject("adminToken")}` },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const patched = await api("PATCH", `/v1/syncs/${syncId}`, { body: { name: "renamed-by-fast-path-test" } });
    expect(patched.status).toBe(200);
    expect((await api("GET", `/v1/syncs/${syncId}`)).body.name).toBe("renamed-by-fast-path-test");
  });

  it("counts a key's requests once, whichever way they were answered", async () => {
    const { token } = await keyInDb(["sync:read"], 4);
    const path = `/v1/syncs/${syncId}`;
    const seen: [number, string | null][] = [];
    for (const p of [path, viaNext(path), path, viaNext(path), path, viaNext(path)]) {
      const res = await api("GET", p, { token });
      seen.push([res.status, res.headers.get("x-ratelimit-remaining")]);
    }
    expect(seen).toEqual([
      [200, "3"],
      [200, "2"],
      [200, "1"],
      [200, "0"],
      [429, "0"],
      [429, "0"],
    ]);
  });

  it("a key revoked through the API is refused by its very next read", async () => {
    const { id, token } = await keyInDb(["sync:read"]);
    expect((await api("GET", `/v1/syncs/${syncId}`, { token })).status).toBe(200); // cached now
    expect((await api("DELETE", `/v1/apiKeys/${id}`)).status).toBe(204);
    const after = await api("GET", `/v1/syncs/${syncId}`, { token });
    expect(after.status).toBe(401);
    expect(after.headers.get("content-length")).not.toBeNull();
  });
});
