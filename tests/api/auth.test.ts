import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema";
import { ensureApiKeyWithToken } from "../../lib/auth/api-keys";
import { sha256 } from "../../lib/auth/tokens";
import { apiKeyCreated, apiKeyList, apiKeySchema } from "../../lib/contracts/management";
import { api, waitFor } from "../helpers/api";
import { testDb } from "../helpers/fixtures";

async function newKey(scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/apiKeys", { body: { name: `key-${Math.random().toString(36).slice(2, 8)}`, scopes, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body as { _id: string; token: string; prefix: string; name: string };
}

async function someSyncId(): Promise<{ integrationId: string; syncId: string }> {
  const integ = await api("POST", "/v1/integrations", { body: { name: "auth-test" } });
  const sync = await api("POST", "/v1/syncs", {
    body: { _integrationId: integ.body._id, name: "auth", source: { type: "sample", tables: [{ name: "t", rows: 1 }] } },
  });
  expect(sync.status, sync.text).toBe(201);
  return { integrationId: integ.body._id, syncId: sync.body._id };
}

describe("authentication", () => {
  it.each([
    ["GET", "/v1/syncs"],
    ["GET", "/v1/integrations"],
    ["POST", "/v1/integrations"],
    ["GET", "/v1/apiKeys"],
    ["DELETE", "/v1/apiKeys/0123456789abcdef01234567"],
  ])("%s %s without credentials is a bare 401 Unauthorized", async (method, path) => {
    const res = await api(method, path, { token: null, body: method === "POST" ? { name: "x" } : undefined });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Unauthorized" });
  });

  it.each([
    ["an unknown token", { authorization: "Bearer sc_notarealtokenatall" }],
    ["a Basic header", { authorization: "Basic dXNlcjpwYXNz" }],
    ["an empty bearer", { authorization: "Bearer " }],
  ])("%s is a bare 401 Bearer Authentication Failed", async (_label, headers) => {
    const res = await api("GET", "/v1/syncs", { token: null, headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Bearer Authentication Failed" });
  });
});

describe("API keys", () => {
  it("shows the token once and stores only its hash", async () => {
    const created = await newKey(["sync:read"]);
    apiKeyCreated.strict().parse(created);
    expect(created.token).toMatch(/^sc_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(12);

    const [row] = await testDb().select().from(apiKeys).where(eq(apiKeys.id, created._id));
    expect(row.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await api("GET", "/v1/apiKeys?limit=200");
    expect(list.status).toBe(200);
    apiKeyList.parse(list.body);
    for (const k of list.body.data) apiKeySchema.strict().parse(k);
    expect(list.text).not.toContain(created.token);
    expect(list.text).not.toContain(row.tokenHash);
    const listed = list.body.data.find((k: any) => k._id === created._id);
    expect(listed).toMatchObject({ name: created.name, scopes: ["sync:read"], prefix: created.prefix });
    expect(listed.lastUsedAt).toBeUndefined();
    expect(listed.revokedAt).toBeUndefined();

    // Using the key stamps lastUsedAt, just after the response (the stamp is off the request path).
    expect((await api("GET", "/v1/syncs", { token: created.token })).status).toBe(200);
    const one = await waitFor(
      async () => {
        const res = await api("GET", `/v1/apiKeys/${created._id}`);
        return res.body.lastUsedAt ? res : undefined;
      },
      2_000,
      20,
    );
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(created.token);
  });

  it("a read-only key reads but gets 403 insufficient_scope on writes and admin routes", async () => {
    const { integrationId, syncId } = await someSyncId();
    const reader = await newKey(["sync:read"]);
    const writer = await newKey(["sync:read", "sync:write"]);

    for (const path of ["/v1/syncs", `/v1/syncs/${syncId}`, "/v1/integrations", `/v1/integrations/${integrationId}`]) {
      expect((await api("GET", path, { token: reader.token })).status, path).toBe(200);
    }
    const adminOnly: [string, string, unknown?][] = [
      ["POST", "/v1/integrations", { name: "nope" }],
      ["PATCH", `/v1/integrations/${integrationId}`, { name: "nope" }],
      ["DELETE", `/v1/integrations/${integrationId}`],
      ["POST", "/v1/syncs", { _integrationId: integrationId, name: "n", source: { type: "sample", tables: [{ name: "t", rows: 1 }] } }],
      ["PATCH", `/v1/syncs/${syncId}`, { disabled: true }],
      ["DELETE", `/v1/syncs/${syncId}`],
      ["GET", "/v1/apiKeys"],
      ["POST", "/v1/apiKeys", { name: "escalate", scopes: ["admin"] }],
      ["DELETE", `/v1/apiKeys/${reader._id}`],
    ];
    for (const token of [reader.token, writer.token]) {
      for (const [method, path, body] of adminOnly) {
        const res = await api(method, path, { token, body });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.errors[0].code).toBe("insufficient_scope");
      }
    }
    // Running needs sync:write, which the reader lacks.
    const run = await api("POST", `/v1/syncs/${syncId}/run`, { token: reader.token, body: {} });
    expect(run.status).toBe(403);
    expect(run.body.errors[0].code).toBe("insufficient_scope");

    // Nothing was changed by the refused calls.
    const sync = await api("GET", `/v1/syncs/${syncId}`);
    expect(sync.body.disabled).toBe(false);
    const keys = await api("GET", "/v1/apiKeys?limit=200");
    expect(keys.body.data.some((k: any) => k.name === "escalate")).toBe(false);
  });

  it("a key cannot grant scopes it does not hold", async () => {
    const adminOnly = await newKey(["admin"]);
    const res = await api("POST", "/v1/apiKeys", { token: adminOnly.token, body: { name: "wider", scopes: ["admin", "sync:write"] } });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toMatchObject({ code: "insufficient_scope", field: "scopes" });
    const same = await api("POST", "/v1/apiKeys", { token: adminOnly.token, body: { name: "same", scopes: ["admin"] } });
    expect(same.status).toBe(201);
  });

  it("a revoked key fails at once with 401 Bearer Authentication Failed", async () => {
    const key = await newKey(["sync:read", "sync:write", "admin"]);
    expect((await api("GET", "/v1/apiKeys", { token: key.token })).status).toBe(200);

    expect((await api("DELETE", `/v1/apiKeys/${key._id}`)).status).toBe(204);
    const after = await api("GET", "/v1/syncs", { token: key.token });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ message: "Bearer Authentication Failed" });

    const listed = await api("GET", `/v1/apiKeys/${key._id}`);
    expect(listed.body.revokedAt).toBeDefined();
    // Revoking again changes nothing.
    expect((await api("DELETE", `/v1/apiKeys/${key._id}`)).status).toBe(204);
    expect((await api("GET", `/v1/apiKeys/${key._id}`)).body.revokedAt).toBe(listed.body.revokedAt);
  });

  it("an expired key fails like a revoked one", async () => {
    const key = await newKey(["sync:read"], { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await api("GET", "/v1/syncs", { token: key.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    const res = await api("GET", "/v1/syncs", { token: key.token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Bearer Authentication Failed" });
  });

  it("ensureApiKeyWithToken (ADMIN_API_TOKEN at boot) is idempotent and restores a revoked key", async () => {
    const token = `boot-${Math.random().toString(36).slice(2)}-${Date.now()}-long-enough`;
    const db = testDb();
    const first = await ensureApiKeyWithToken(db, token, "boot admin");
    const again = await ensureApiKeyWithToken(db, token, "boot admin");
    expect(again._id).toBe(first._id);
    expect(
      await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tokenHash, sha256(token))),
    ).toHaveLength(1);
    expect(first.scopes).toEqual(["sync:read", "sync:write", "admin"]);
    expect((await api("GET", "/v1/apiKeys", { token })).status).toBe(200);

    expect((await api("DELETE", `/v1/apiKeys/${first._id}`)).status).toBe(204);
    expect((await api("GET", "/v1/syncs", { token })).status).toBe(401);
    await ensureApiKeyWithToken(db, token, "boot admin");
    expect((await api("GET", "/v1/syncs", { token })).status).toBe(200);
  });
});
