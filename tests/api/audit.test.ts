import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditResponse } from "../../lib/contracts/audit";
import { api, waitFor } from "../helpers/api";

const uid = () => randomBytes(4).toString("hex");
const PASSWORD = `Audit-Pw-${uid()}`;

type Ev = {
  _id: string;
  action: string;
  principal: { kind: string; _id: string | null; name: string };
  target: { type: string; _id: string };
  changes: Record<string, any>;
};

async function events(query: Record<string, string>, token?: string) {
  const res = await api("GET", `/v1/audit?${new URLSearchParams(query)}`, token === undefined ? {} : { token });
  expect(res.status, res.text).toBe(200);
  auditResponse.strict().parse(res.body);
  return res.body as { data: Ev[]; nextCursor?: string };
}

describe("audit log", () => {
  it("records who created, edited, scheduled, ran, canceled and deleted a sync, with what changed and no credentials", async () => {
    const integration = await api("POST", "/v1/integrations", { body: { name: `audit-${uid()}` } });
    expect(integration.status).toBe(201);
    const created = await api("POST", "/v1/syncs", {
      body: {
        _integrationId: integration.body._id,
        name: "Audit me",
        source: { type: "sample", seed: 1, tables: [{ name: "slow", rows: 100_000, rowsPerSecond: 200 }] },
        destination: { type: "postgres", schema: `wh_audit_${uid()}` },
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body._id as string;

    expect((await api("PATCH", `/v1/syncs/${id}`, { body: { name: "Audited" } })).status).toBe(200);
    expect((await api("PUT", `/v1/syncs/${id}/schedule`, { body: { cron: "0 3 * * *", timezone: "Europe/Berlin" } })).status).toBe(200);
    // A refused edit records nothing: the event is written in the change's transaction.
    expect((await api("PATCH", `/v1/syncs/${id}`, { body: { schemaChanges: "sometimes" } })).status).toBe(400);

    const run = await api("POST", `/v1/syncs/${id}/run`);
    expect(run.status, run.text).toBe(200);
    const jobId = run.body._syncJobId as string;
    expect((await api("PUT", `/v1/syncJobs/${jobId}/cancel`)).status).toBe(204);
    await waitFor(async () => {
      const job = await api("GET", `/v1/syncJobs/${jobId}`);
      return ["canceled", "completed", "failed"].includes(job.body.status) ? true : undefined;
    });
    // Editing the source: the url's password is never recorded, only that it changed.
    const edit = await api("PATCH", `/v1/syncs/${id}`, {
      body: {
        source: {
          type: "postgres",
          url: `postgres://reader:${PASSWORD}@127.0.0.1:1/elsewhere`,
          tables: [{ name: "orders", primaryKey: "id" }],
        },
      },
    });
    expect(edit.status, edit.text).toBe(200);
    expect((await api("DELETE", `/v1/syncs/${id}`)).status).toBe(204);

    const onSync = await events({ targetType: "sync", targetId: id });
    expect(onSync.data.map((e) => e.action)).toEqual(["sync.delete", "sync.update", "sync.run", "sync.update", "sync.create"]);
    for (const e of onSync.data) expect(e.principal).toMatchObject({ kind: "apiKey", name: "test-admin", _id: "0000000000000000000000a1" });
    const [deleted, sourceEdit, ran, renamed, create] = onSync.data;
    expect(deleted.changes).toEqual({ name: { from: "Audited" } });
    expect(renamed.changes).toEqual({ name: { from: "Audit me", to: "Audited" } });
    expect(ran.changes).toEqual({ _syncJobId: { to: jobId } });
    expect(create.changes).toMatchObject({ name: { to: "Audit me" }, "source.type": { to: "sample" } });
    expect(sourceEdit.changes).toMatchObject({ "source.type": { from: "sample", to: "postgres" }, "source.url": { changed: true } });
    expect(JSON.stringify(onSync)).not.toContain(PASSWORD);

    const schedule = await events({ targetType: "schedule", targetId: id });
    expect(schedule.data).toHaveLength(1);
    expect(schedule.data[0]).toMatchObject({
      action: "schedule.update",
      changes: { cron: { to: "0 3 * * *" }, timezone: { to: "Europe/Berlin" }, enabled: { to: true } },
    });
    const cancel = await events({ action: "sync_job.cancel", targetId: jobId });
    expect(cancel.data).toHaveLength(1);
    expect(cancel.data[0]).toMatchObject({ target: { type: "sync_job", _id: jobId }, changes: { _syncId: { to: id } } });
  });

  it("records integrations, API keys and users, and who did it", async () => {
    const name = `audited-int-${uid()}`;
    const integration = await api("POST", "/v1/integrations", { body: { name } });
    await api("PATCH", `/v1/integrations/${integration.body._id}`, { body: { name: `${name}-2` } });
    await api("DELETE", `/v1/integrations/${integration.body._id}`);
    const onIntegration = await events({ targetType: "integration", targetId: integration.body._id });
    expect(onIntegration.data.map((e) => [e.action, e.changes.name])).toEqual([
      ["integration.delete", { from: `${name}-2` }],
      ["integration.update", { from: name, to: `${name}-2` }],
      ["integration.create", { to: name }],
    ]);

    const key = await api("POST", "/v1/apiKeys", { body: { name: `auditor-${uid()}`, scopes: ["sync:read", "admin"] } });
    expect(key.status, key.text).toBe(201);
    const keyId = key.body._id ?? key.body.key?._id;
    // The new key acts: its events name it, not the key that created it.
    const email = `audited-${uid()}@example.com`;
    const user = await api("POST", "/v1/users", {
      token: key.body.token,
      body: { email, password: "a-long-enough-password", role: "support" },
    });
    expect(user.status, user.text).toBe(201);
    const userId = user.body._id ?? user.body.id;
    await api("PATCH", `/v1/users/${userId}`, { token: key.body.token, body: { password: "another-long-password" } });
    await api("DELETE", `/v1/users/${userId}`, { token: key.body.token });
    await api("DELETE", `/v1/apiKeys/${keyId}`);

    const onUser = await events({ targetType: "user", targetId: userId });
    expect(onUser.data.map((e) => e.action)).toEqual(["user.delete", "user.update", "user.create"]);
    for (const e of onUser.data) expect(e.principal).toMatchObject({ kind: "apiKey", _id: keyId });
    expect(onUser.data[1].changes).toEqual({ password: { changed: true } });
    expect(onUser.data[2].changes).toEqual({ email: { to: email }, role: { to: "support" } });
    expect(JSON.stringify(onUser)).not.toMatch(/long-enough-password|another-long-password/);

    const onKey = await events({ targetType: "api_key", targetId: keyId });
    expect(onKey.data.map((e) => e.action)).toEqual(["api_key.delete", "api_key.create"]);
    expect(onKey.data[1].changes).toMatchObject({ scopes: { to: ["sync:read", "admin"] } });
    expect(JSON.stringify(onKey)).not.toContain(key.body.token);
  });

  it("pages newest first with a cursor, and refuses bad filters and non-admin keys", async () => {
    const first = await events({ limit: "3" });
    expect(first.data).toHaveLength(3);
    expect(first.nextCursor).toBe(first.data[2]._id);
    const second = await events({ limit: "3", cursor: first.nextCursor! });
    const ids = [...first.data, ...second.data].map((e) => Number(e._id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);

    for (const [query, field] of [
      ["cursor=abc", "cursor"],
      ["action=sync.explode", "action"],
      ["limit=0", "limit"],
      ["targetType=table", "targetType"],
    ] as const) {
      const res = await api("GET", `/v1/audit?${query}`);
      expect(res.status, res.text).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
    const reader = await api("POST", "/v1/apiKeys", { body: { name: `reader-${uid()}`, scopes: ["sync:read"] } });
    const denied = await api("GET", "/v1/audit", { token: reader.body.token });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].code).toBe("insufficient_scope");
    expect((await api("GET", "/v1/audit", { token: null })).status).toBe(401);
  });
});
